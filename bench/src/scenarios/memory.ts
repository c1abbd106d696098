/**
 * S3 memory: server RSS per idle connection and per loaded room (empty, and with 1000 notes), each read
 * after a full garbage collection forced through the V8 inspector.
 */
import { connectClients, destroyAll, sleep, withTimeout } from '../client'
import { fillRoom, waitDataSettled, whenHolds, type NoteSet } from '../prepare'
import { InspectorSession, readRss } from '../probe'
import { startServer, type RunningServer, type ServerKind } from '../servers'

/** Shape of a memory run. */
export interface MemoryParams {
	/** Empty rooms loaded (one client each) to measure the cost of a room. */
	emptyRooms: number
	/** Extra idle connections per empty room, to measure the cost of a connection. */
	idlePerRoom: number
	/** Rooms filled with `notesPerRoom` notes, measured after a cold restart. */
	noteRooms: number
	notesPerRoom: number
	/** Wait before each reading, so that buffers and timers settle. */
	settleMs: number
}

/** Figures of a memory run, in bytes. */
export interface MemoryRun {
	/** RSS of the idle server with nothing loaded. */
	baselineRss: number
	perIdleConnection: number
	/** A loaded empty room with its one connection. */
	perEmptyRoom: number
	/** A loaded room of `notesPerRoom` notes with its one connection. */
	perNoteRoom: number
	/** V8 heap used, same three deltas, for the profile notes. */
	heap: { perIdleConnection: number; perEmptyRoom: number; perNoteRoom: number }
	/** Memory outside the V8 heap held by JS objects (Buffers, ArrayBuffers), same deltas. */
	external: { perIdleConnection: number; perEmptyRoom: number; perNoteRoom: number }
}

interface Reading {
	rss: number
	heapUsed: number
	external: number
}

/** Forces a full GC (twice, with a pause) and reads RSS and the V8 heap. */
async function settledReading(server: RunningServer, inspector: InspectorSession, settleMs: number): Promise<Reading> {
	await sleep(settleMs)
	await inspector.collectGarbage()
	await sleep(200)
	await inspector.collectGarbage()
	await sleep(300)
	const usage = await inspector.memoryUsage()
	return { rss: readRss(server.pid), heapUsed: usage.heapUsed, external: usage.external }
}

async function withInspectedServer<T>(
	kind: ServerKind,
	dataDir: string | undefined,
	fn: (server: RunningServer, inspector: InspectorSession) => Promise<T>
): Promise<{ value: T; dataDir: string }> {
	const server = await startServer(kind, { dataDir, inspect: true })
	let inspector: InspectorSession | null = null
	try {
		inspector = await InspectorSession.open(server.inspectorUrl!)
		return { value: await fn(server, inspector), dataDir: server.dataDir }
	} finally {
		inspector?.close()
		await server.stop()
	}
}

/**
 * Runs the memory scenario: three server processes on one data directory — one that creates the rooms,
 * one cold start that measures empty rooms and idle connections (and then fills the note rooms), and one
 * cold start that measures the note rooms.
 */
export async function runMemory(kind: ServerKind, params: MemoryParams): Promise<MemoryRun> {
	// 1. Create the rooms, then restart so that nothing is loaded when measuring.
	const created = await withInspectedServer(kind, undefined, async (server) => {
		const empty: string[] = []
		const notes: string[] = []
		for (let i = 0; i < params.emptyRooms; i++) empty.push(await server.createRoom())
		for (let i = 0; i < params.noteRooms; i++) notes.push(await server.createRoom())
		return { empty, notes }
	})
	const dataDir = created.dataDir
	const { empty, notes } = created.value

	// 2. Cold: baseline, one client per empty room, then idle connections; then fill the note rooms.
	const second = await withInspectedServer(kind, dataDir, async (server, inspector) => {
		const base = await settledReading(server, inspector, params.settleMs)
		const roomClients = await connectClients(server, empty, 1)
		const rooms = await settledReading(server, inspector, params.settleMs)
		const idle = await connectClients(server, empty, params.idlePerRoom)
		const conns = await settledReading(server, inspector, params.settleMs)
		destroyAll(idle)
		destroyAll(roomClients)
		const sets: NoteSet[] = []
		for (const [i, roomId] of notes.entries()) {
			sets.push(await fillRoom(server, roomId, `m${i}`, params.notesPerRoom, { batch: 100, moves: 0 }))
		}
		await waitDataSettled(server.dataDir)
		return { base, rooms, conns, sets }
	})
	const { base, rooms, conns, sets } = second.value

	// 3. Cold again: baseline, then one client per note room, waiting until each holds all its notes.
	const third = await withInspectedServer(kind, dataDir, async (server, inspector) => {
		const before = await settledReading(server, inspector, params.settleMs)
		const clients = await connectClients(server, notes, 1)
		try {
			await withTimeout(
				Promise.all(clients.map((client, i) => whenHolds(client, sets[i], 60_000))),
				120_000,
				'note rooms to load'
			)
			const after = await settledReading(server, inspector, params.settleMs)
			return { before, after }
		} finally {
			destroyAll(clients)
		}
	})
	const { before, after } = third.value

	const idleCount = params.emptyRooms * params.idlePerRoom
	return {
		baselineRss: base.rss,
		perIdleConnection: (conns.rss - rooms.rss) / idleCount,
		perEmptyRoom: (rooms.rss - base.rss) / params.emptyRooms,
		perNoteRoom: (after.rss - before.rss) / params.noteRooms,
		heap: {
			perIdleConnection: (conns.heapUsed - rooms.heapUsed) / idleCount,
			perEmptyRoom: (rooms.heapUsed - base.heapUsed) / params.emptyRooms,
			perNoteRoom: (after.heapUsed - before.heapUsed) / params.noteRooms,
		},
		external: {
			perIdleConnection: (conns.external - rooms.external) / idleCount,
			perEmptyRoom: (rooms.external - base.external) / params.emptyRooms,
			perNoteRoom: (after.external - before.external) / params.noteRooms,
		},
	}
}
