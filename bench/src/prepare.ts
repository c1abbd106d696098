/** Filling rooms with notes through a real client, and telling when a client holds them all. */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type * as Y from 'yjs'
import { connectClient, sleep, withTimeout, type BenchClient } from './client'
import { noteId, noteRecord } from './note'
import type { RunningServer } from './servers'

/** Which notes a room should hold: `count` notes of `owner`, each at revision `rev`. */
export interface NoteSet {
	owner: string
	count: number
	rev: number
}

/** Whether the records map holds every note of the set at its revision. */
export function holdsAll(records: Y.Map<unknown>, set: NoteSet): boolean {
	if (records.size < set.count) return false
	for (let i = 0; i < set.count; i++) {
		const record = records.get(noteId(set.owner, i)) as { meta?: { rev?: number } } | undefined
		if (record?.meta?.rev !== set.rev) return false
	}
	return true
}

/** Resolves once `client` holds the whole note set (checked after every change to its doc). */
export function whenHolds(client: BenchClient, set: NoteSet, timeoutMs: number): Promise<void> {
	const done = new Promise<void>((resolveDone) => {
		const check = (): void => {
			if (!client.provider.synced || !holdsAll(client.records, set)) return
			client.doc.off('afterTransaction', check)
			client.provider.off('sync', check)
			resolveDone()
		}
		client.doc.on('afterTransaction', check)
		client.provider.on('sync', check)
		check()
	})
	return withTimeout(done, timeoutMs, `${set.count} notes at rev ${set.rev} in room ${client.roomId}`)
}

/** Options of {@link fillRoom}. */
export interface FillOptions {
	/** Notes created per transaction (one update each). */
	batch: number
	/** After creating, move every note this many times, one note per transaction (history). */
	moves: number
	/** Changes sent before waiting for the server to pass them on (keeps the socket buffers bounded). */
	window?: number
}

/**
 * Writes `count` notes into a room through one client, optionally moves each of them `moves` times, and
 * waits until a second client has received the final state. Returns the note set now in the room.
 */
export async function fillRoom(
	server: RunningServer,
	roomId: string,
	owner: string,
	count: number,
	{ batch, moves, window = 1000 }: FillOptions
): Promise<NoteSet> {
	const writer = connectClient(server, roomId)
	const watcher = connectClient(server, roomId)
	try {
		await withTimeout(Promise.all([writer.whenSynced, watcher.whenSynced]), 30_000, 'fill clients to sync')
		let sinceWait = 0
		const pace = async (set: NoteSet): Promise<void> => {
			if (++sinceWait < window) return
			sinceWait = 0
			await waitForNote(watcher, set.owner, set.count - 1, set.rev, 120_000)
		}
		for (let start = 0; start < count; start += batch) {
			const end = Math.min(count, start + batch)
			writer.doc.transact(() => {
				for (let i = start; i < end; i++) writer.records.set(noteId(owner, i), noteRecord(owner, i, 0))
			})
			await pace({ owner, count: end, rev: 0 })
		}
		for (let rev = 1; rev <= moves; rev++) {
			for (let i = 0; i < count; i++) {
				writer.records.set(noteId(owner, i), noteRecord(owner, i, rev))
				if (++sinceWait >= window) {
					sinceWait = 0
					await waitForNote(watcher, owner, i, rev, 120_000)
				}
			}
		}
		const set = { owner, count, rev: moves }
		await whenHolds(watcher, set, 300_000)
		return set
	} finally {
		writer.destroy()
		watcher.destroy()
	}
}

/** Waits until the client has note `i` of `owner` at revision `rev` (or later). */
async function waitForNote(
	client: BenchClient,
	owner: string,
	i: number,
	rev: number,
	timeoutMs: number
): Promise<void> {
	const id = noteId(owner, i)
	const deadline = performance.now() + timeoutMs
	for (;;) {
		const record = client.records.get(id) as { meta?: { rev?: number } } | undefined
		if ((record?.meta?.rev ?? -1) >= rev) return
		if (performance.now() > deadline) throw new Error(`timed out waiting for ${id} rev ${rev}`)
		await sleep(5)
	}
}

/**
 * Total size of the files under a directory, in bytes. A file deleted between the listing and its `stat` (LevelDB
 * removes its old logs and tables as it compacts) counts as gone.
 */
export async function dirSize(dir: string): Promise<number> {
	let total = 0
	for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue
		try {
			total += (await stat(join(entry.parentPath, entry.name))).size
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
		}
	}
	return total
}

/**
 * Waits until a server's data directory stopped changing for `quietMs` (the reference server writes to
 * LevelDB after it has broadcast an update, so a client having it does not mean it is on disk yet).
 */
export async function waitDataSettled(dataDir: string, quietMs = 1000, timeoutMs = 120_000): Promise<void> {
	const deadline = performance.now() + timeoutMs
	let last = -1
	let stableSince = performance.now()
	while (performance.now() < deadline) {
		const size = await dirSize(dataDir)
		if (size !== last) {
			last = size
			stableSince = performance.now()
		} else if (performance.now() - stableSince >= quietMs) return
		await sleep(100)
	}
	throw new Error(`data directory ${dataDir} kept changing for ${timeoutMs} ms`)
}
