/**
 * S4 cold load: rooms of N notes (compact: written in a few large updates) and a history-heavy room (every
 * note moved many times, one update per move), timed from a client's first connect to the moment it holds
 * every note at its final position, each time on a freshly started server over an identical copy of the
 * prepared data directory.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { connectClient, withTimeout } from '../client'
import { fillRoom, waitDataSettled, whenHolds, type NoteSet } from '../prepare'
import { startServer, type ServerKind } from '../servers'

/** One room to prepare and load. */
export interface ColdRoomSpec {
	/** Label in the report, e.g. `1000 notes`. */
	label: string
	notes: number
	/** Moves per note after creation (0: compact). */
	moves: number
}

/** Shape of a cold-load run. */
export interface ColdLoadParams {
	rooms: ColdRoomSpec[]
	/** Notes per transaction when creating. */
	batch: number
}

/** A prepared data directory: room ids and what each holds. */
export interface PreparedColdRooms {
	kind: ServerKind
	pristineDir: string
	rooms: Array<{ spec: ColdRoomSpec; roomId: string; set: NoteSet }>
	/** How long preparing took, ms. */
	prepareMs: number
}

/** One cold load. */
export interface ColdLoadTiming {
	/** First connect → the client holds every note at its final revision, ms. */
	loadMs: number
	/** First connect → the provider's first `synced`, ms (the reference may report synced before its data). */
	syncedMs: number
}

/** Creates and fills the rooms through a client, then stops the server; the directory is the pristine copy. */
export async function prepareColdRooms(kind: ServerKind, params: ColdLoadParams): Promise<PreparedColdRooms> {
	const t0 = performance.now()
	const server = await startServer(kind)
	const rooms: PreparedColdRooms['rooms'] = []
	try {
		for (const [i, spec] of params.rooms.entries()) {
			const roomId = await server.createRoom()
			const set = await fillRoom(server, roomId, `cold${i}`, spec.notes, { batch: params.batch, moves: spec.moves })
			rooms.push({ spec, roomId, set })
		}
		await waitDataSettled(server.dataDir)
	} finally {
		await server.stop()
	}
	return { kind, pristineDir: server.dataDir, rooms, prepareMs: performance.now() - t0 }
}

/** Starts the server cold on a fresh copy of the prepared data and times loading one room. */
export async function coldLoadOnce(prepared: PreparedColdRooms, roomIndex: number): Promise<ColdLoadTiming> {
	const { roomId, set } = prepared.rooms[roomIndex]
	const dataDir = await mkdtemp(join(tmpdir(), `kb-bench-cold-${prepared.kind}-`))
	await cp(prepared.pristineDir, dataDir, { recursive: true })
	const server = await startServer(prepared.kind, { dataDir })
	try {
		const t0 = performance.now()
		const client = connectClient(server, roomId)
		try {
			let syncedMs = NaN
			client.whenSynced.then(() => {
				syncedMs = performance.now() - t0
			})
			await whenHolds(client, set, 120_000)
			const loadMs = performance.now() - t0
			await withTimeout(client.whenSynced, 1000, 'synced')
			return { loadMs, syncedMs }
		} finally {
			client.destroy()
		}
	} finally {
		await server.stop()
		await rm(dataDir, { recursive: true, force: true })
	}
}
