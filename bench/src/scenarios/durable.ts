/**
 * S5 time to durable: from an update's arrival at the server to its commit. The reference runs as an
 * instrumented copy that times its LevelDB writes; our server reports its own commit timing when it exposes
 * `GET /api/metrics`, and otherwise the harness takes the time from the send to the first receiver, an upper
 * bound for a server that broadcasts only after the commit.
 */
import { driveLoad } from '../fanout'
import { startServer, type DurableStats, type ServerKind } from '../servers'
import type { LatencySummary } from '../stats'
import { measureWindow, type WindowFigures } from '../window'
import { setUpFanout } from './fanout'

/** Shape of a durability run. */
export interface DurableParams {
	rooms: number
	clientsPerRoom: number
	fullPerRoom: number
	ratePerSecond: number
	warmupMs: number
	durationMs: number
	drainMs: number
}

/** Figures of a durability run. */
export interface DurableRun {
	/** The server's own figures (null when it does not expose them). */
	server: DurableStats | null
	/** Send → first receiver, as seen by the load generator. */
	firstReceiver: LatencySummary
	window: WindowFigures
}

/** Runs the durability scenario on a fresh server of the given kind. */
export async function runDurable(kind: ServerKind, params: DurableParams): Promise<DurableRun> {
	const server = await startServer(kind, { timedPersistence: kind === 'reference', metrics: true })
	try {
		const setup = await setUpFanout(server, params.rooms, params.clientsPerRoom, params.fullPerRoom)
		try {
			await driveLoad(setup.tracker, params.ratePerSecond, params.warmupMs)
			await server.resetDurableStats()
			const window = await measureWindow(server, setup.tracker, params.ratePerSecond, params.durationMs, params.drainMs)
			// The reference persists after broadcasting: give its queue a moment before asking.
			await new Promise((r) => setTimeout(r, 300))
			return { server: await server.durableStats(), firstReceiver: window.firstSamples.summary(), window }
		} finally {
			setup.dispose()
		}
	} finally {
		await server.stop()
	}
}
