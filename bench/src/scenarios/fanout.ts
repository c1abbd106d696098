/**
 * S1 fan-out: R rooms × C clients, each client changing its note once a second; p50/p99 latency from sender
 * to every receiver, and the delivery ratio.
 */
import { connectClients, destroyAll, type BenchClient } from '../client'
import { driveLoad, FanoutTracker } from '../fanout'
import type { RunningServer } from '../servers'
import { measureWindow, type WindowFigures } from '../window'

/** Shape of one fan-out run. */
export interface FanoutParams {
	rooms: number
	clientsPerRoom: number
	/** Full clients per room; the others are sinks (see ClientMode in client.ts). */
	fullPerRoom: number
	/** Total update rate; S1 uses rooms × clientsPerRoom (once a second per client). */
	ratePerSecond: number
	warmupMs: number
	durationMs: number
	/** How long to wait after the window for the last deliveries. */
	drainMs: number
}

let runCounter = 0

/** A loaded set of rooms and clients, with every client's note created and delivered everywhere. */
export interface FanoutSetup {
	clients: BenchClient[]
	tracker: FanoutTracker
	dispose(): void
}

/**
 * Creates rooms, connects clients, creates every client's note and waits until it is everywhere. Given several
 * servers (a cluster on one database), rooms are created through each in turn and clients spread over all.
 */
export async function setUpFanout(
	servers: RunningServer | readonly RunningServer[],
	rooms: number,
	clientsPerRoom: number,
	fullPerRoom: number
): Promise<FanoutSetup> {
	const all = 'pid' in servers ? [servers as RunningServer] : (servers as readonly RunningServer[])
	const server = all[0]
	const roomIds: string[] = []
	for (let r = 0; r < rooms; r++) roomIds.push(await all[r % all.length].createRoom())
	const clients = await connectClients(all, roomIds, clientsPerRoom, { fullPerRoom })
	const tracker = new FanoutTracker(clients, `f${process.pid}x${runCounter++}`)
	const dispose = (): void => {
		tracker.dispose()
		destroyAll(clients)
	}
	try {
		tracker.openWindow()
		tracker.sendAll()
		tracker.closeWindow()
		if (!(await tracker.drain(30_000))) throw new Error(`${server.kind}: initial notes did not arrive everywhere`)
	} catch (err) {
		dispose()
		throw err
	}
	return { clients, tracker, dispose }
}

/**
 * Runs one fan-out measurement against a started server (or the servers of a cluster, clients spread over them);
 * connects and disconnects its own clients.
 */
export async function runFanout(
	server: RunningServer | readonly RunningServer[],
	params: FanoutParams
): Promise<WindowFigures> {
	const setup = await setUpFanout(server, params.rooms, params.clientsPerRoom, params.fullPerRoom)
	try {
		await driveLoad(setup.tracker, params.ratePerSecond, params.warmupMs)
		return await measureWindow(server, setup.tracker, params.ratePerSecond, params.durationMs, params.drainMs)
	} finally {
		setup.dispose()
	}
}
