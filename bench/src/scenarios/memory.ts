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
	/**
	 * Rooms loaded (each with its idle connections, and one note room) before the growth readings start, so
	 * that what the first room and connection cost once (code compiled and memory allocated on first use) is
	 * not spread over the measured ones; reported on its own as the first rooms' cost.
	 */
	warmupRooms: number
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
	/** RSS the warm-up rooms with their idle connections added to the idle server (first use included). */
	warmupRss: number
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
 * one cold start that reads the idle server, loads the warm-up rooms with their connections, then measures
 * empty rooms and idle connections (and then fills the note rooms), and one cold start that loads one note room
 * as its warm-up and measures the others. Growth is read from the warmed-up server: what the first room costs
 * once is reported on its own (`warmupRss`), not spread over the measured rooms.
 */
export async function runMemory(kind: ServerKind, params: MemoryParams): Promise<MemoryRun> {
	// 1. Create the rooms, then restart so that nothing is loaded when measuring.
	const created = await withInspectedServer(kind, undefined, async (server) => {
		const create = async (count: number) => {
			const ids: string[] = []
			for (let i = 0; i < count; i++) ids.push(await server.createRoom())
			return ids
		}
		return {
			warm: await create(params.warmupRooms),
			empty: await create(params.emptyRooms),
			notes: await create(params.noteRooms + 1),
		}
	})
	const dataDir = created.dataDir
	const { warm, empty, notes } = created.value

	// 2. Cold: idle reading, the warm-up rooms with their idle connections, then one client per measured empty
	// room, then their idle connections; then fill the note rooms.
	const second = await withInspectedServer(kind, dataDir, async (server, inspector) => {
		const base = await settledReading(server, inspector, params.settleMs)
		const warmClients = [
			...(await connectClients(server, warm, 1)),
			...(await connectClients(server, warm, params.idlePerRoom)),
		]
		const warmed = await settledReading(server, inspector, params.settleMs)
		const roomClients = await connectClients(server, empty, 1)
		const rooms = await settledReading(server, inspector, params.settleMs)
		const idle = await connectClients(server, empty, params.idlePerRoom)
		const conns = await settledReading(server, inspector, params.settleMs)
		destroyAll(idle)
		destroyAll(roomClients)
		destroyAll(warmClients)
		const sets: NoteSet[] = []
		for (const [i, roomId] of notes.entries()) {
			sets.push(await fillRoom(server, roomId, `m${i}`, params.notesPerRoom, { batch: 100, moves: 0 }))
		}
		await waitDataSettled(server.dataDir)
		return { base, warmed, rooms, conns, sets }
	})
	const { base, warmed, rooms, conns, sets } = second.value

	// 3. Cold again: the first note room as the warm-up, then one client per other note room, waiting until each
	// holds all its notes.
	const third = await withInspectedServer(kind, dataDir, async (server, inspector) => {
		const loadNoteRooms = async (from: number, to: number) => {
			const clients = await connectClients(server, notes.slice(from, to), 1)
			await withTimeout(
				Promise.all(clients.map((client, i) => whenHolds(client, sets[from + i], 60_000))),
				120_000,
				'note rooms to load'
			)
			return clients
		}
		const clients = await loadNoteRooms(0, 1)
		try {
			const before = await settledReading(server, inspector, params.settleMs)
			clients.push(...(await loadNoteRooms(1, notes.length)))
			const after = await settledReading(server, inspector, params.settleMs)
			return { before, after }
		} finally {
			destroyAll(clients)
		}
	})
	const { before, after } = third.value

	const idleCount = params.emptyRooms * params.idlePerRoom
	const growth = (from: Reading, to: Reading, count: number) => ({
		rss: (to.rss - from.rss) / count,
		heapUsed: (to.heapUsed - from.heapUsed) / count,
		external: (to.external - from.external) / count,
	})
	const perIdleConnection = growth(rooms, conns, idleCount)
	const perEmptyRoom = growth(warmed, rooms, params.emptyRooms)
	const perNoteRoom = growth(before, after, params.noteRooms)
	return {
		baselineRss: base.rss,
		warmupRss: warmed.rss - base.rss,
		perIdleConnection: perIdleConnection.rss,
		perEmptyRoom: perEmptyRoom.rss,
		perNoteRoom: perNoteRoom.rss,
		heap: {
			perIdleConnection: perIdleConnection.heapUsed,
			perEmptyRoom: perEmptyRoom.heapUsed,
			perNoteRoom: perNoteRoom.heapUsed,
		},
		external: {
			perIdleConnection: perIdleConnection.external,
			perEmptyRoom: perEmptyRoom.external,
			perNoteRoom: perNoteRoom.external,
		},
	}
}
