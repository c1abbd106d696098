/**
 * A room whose history outgrew its content is rebuilt without history when it unloads with no one connected
 * (server/src/rooms/doc-rebuild.ts): a fresh client then loads only the content, and a client still holding the
 * old doc is sent away with CLOSE_DOC_REPLACED before anything of its copy is merged. A room that is in use at
 * shutdown is only compacted, so its boards reconnect to the same doc.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_DOC_REPLACED, PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import { docHistoryStats } from '../server/src/rooms/doc-rebuild'
import { api, connectYClient, makeTempDir, removeTempDir, startServerInProcess, waitFor } from './support'
import type { InProcessServer, YClient } from './support'

const opened: YClient[] = []
let servers: InProcessServer[] = []
let dirs: string[] = []
afterEach(async () => {
	for (const c of opened.splice(0)) c.destroy()
	for (const s of servers) await s.close()
	for (const d of dirs) await removeTempDir(d)
	servers = []
	dirs = []
})

async function start(env: Record<string, string> = {}, dataDir?: string): Promise<InProcessServer> {
	const server = await startServerInProcess({ env, dataDir })
	servers.push(server)
	return server
}

/** Facilitator keys of the rooms {@link newRoom} made: these boards write as the facilitator. */
const keys = new Map<string, string>()

/** A blank room; its key is kept for {@link client}. */
async function newRoom(server: InProcessServer): Promise<{ roomId: string }> {
	const room = await api(server.baseUrl).createRoom('blanco')
	keys.set(room.roomId, room.facilitatorKey)
	return room
}

function client(server: InProcessServer, roomId: string): YClient {
	const c = connectYClient(server.wsUrl, roomId, { key: keys.get(roomId) }, { maxBackoffTime: 100 })
	opened.push(c)
	return c
}

const NOTES = 200
const MOVES = 4

/** Writes NOTES notes and moves each MOVES times, round robin (every move a tombstone that cannot merge). */
function busyBoard(c: YClient): void {
	const records = c.doc.getMap<unknown>(RECORDS_MAP)
	c.doc.transact(() => {
		for (let i = 0; i < NOTES; i++) records.set(`shape:n${i}`, rec(`shape:n${i}`, { x: 0, rev: 0 }))
	})
	for (let rev = 1; rev <= MOVES; rev++) {
		for (let i = 0; i < NOTES; i++) records.set(`shape:n${i}`, rec(`shape:n${i}`, { x: rev * 10, rev }))
	}
}

function recordsOf(doc: Y.Doc): Record<string, unknown> {
	return doc.getMap<unknown>(RECORDS_MAP).toJSON()
}

/** Waits until the server's doc holds the last move of every note, committed. */
async function serverHolds(server: InProcessServer, roomId: string): Promise<void> {
	await waitFor(async () => {
		const room = server.app.rooms.peek(roomId)
		await room?.flushed()
		return (
			(room?.doc.getMap<{ meta: { rev: number } }>(RECORDS_MAP).get(`shape:n${NOTES - 1}`)?.meta.rev ?? 0) === MOVES
		)
	})
}

/** The room's stored state, decoded. */
async function storedDoc(server: InProcessServer, roomId: string): Promise<Y.Doc> {
	const { updates } = await server.app.store.loadUpdates(roomId)
	const doc = new Y.Doc()
	for (const update of updates) Y.applyUpdate(doc, update)
	return doc
}

/** A valid tldraw record (a note on the page) carrying `meta`: the server accepts only valid records. */
function rec(id: string, meta: Record<string, unknown> = {}) {
	return noteShapeRecord({ id, parentId: PAGE_ID, index: 'a1', x: 0, y: 0, text: '', scale: 1, meta: meta as never })
}

describe('rebuilding a room without its history', () => {
	it('rebuilds an idle room, serves fresh clients the content only, and sends a stale copy away untouched', async () => {
		const server = await start({ ROOM_IDLE_MS: '100' })
		const { roomId } = await newRoom(server)
		const writer = client(server, roomId)
		await writer.waitForSync()
		busyBoard(writer)
		const expected = recordsOf(writer.doc)
		await serverHolds(server, roomId)

		// Everyone leaves; the room unloads and is rebuilt.
		writer.provider.disconnect()
		const retired = await waitFor(async () => {
			const ids = await server.app.store.listRetiredClients(roomId)
			return server.app.rooms.loadedCount === 0 && ids.length > 0 ? ids : null
		})
		expect(retired).toContain(writer.doc.clientID)
		const stored = await storedDoc(server, roomId)
		expect(recordsOf(stored)).toEqual(expected)
		expect(docHistoryStats(stored).tombstones).toBe(0)

		// The old copy, with an edit made while away, is refused before any of it is merged.
		writer.doc.getMap<unknown>(RECORDS_MAP).set('shape:stale-edit', rec('shape:stale-edit'))
		const closed = new Promise<{ code: number }>((resolve) => writer.provider.once('closed', resolve))
		writer.provider.connect()
		expect((await closed).code).toBe(CLOSE_DOC_REPLACED)

		// A fresh client gets the content, without the stale edit and without tombstones.
		const fresh = client(server, roomId)
		await fresh.waitForSync()
		expect(recordsOf(fresh.doc)).toEqual(expected)
		expect(docHistoryStats(fresh.doc).tombstones).toBe(0)
		// And it works on as usual with another fresh client.
		const other = client(server, roomId)
		await other.waitForSync()
		fresh.doc.getMap<unknown>(RECORDS_MAP).set('shape:n1', rec('shape:n1', { x: 999, rev: 99 }))
		await waitFor(() =>
			(other.doc.getMap<{ meta: { x: number } }>(RECORDS_MAP).get('shape:n1')?.meta.x ?? 0) === 999 ? true : null
		)
	})

	it('leaves a small history alone', async () => {
		const server = await start({ ROOM_IDLE_MS: '100' })
		const { roomId } = await newRoom(server)
		const writer = client(server, roomId)
		await writer.waitForSync()
		writer.doc.getMap<unknown>(RECORDS_MAP).set('shape:a', rec('shape:a', { x: 1 }))
		writer.doc.getMap<unknown>(RECORDS_MAP).set('shape:a', rec('shape:a', { x: 2 }))
		await waitFor(() =>
			(server.app.rooms.peek(roomId)?.doc.getMap<{ meta: { x: number } }>(RECORDS_MAP).get('shape:a')?.meta.x ?? 0) ===
			2
				? true
				: null
		)
		writer.provider.disconnect()
		await waitFor(() => server.app.rooms.loadedCount === 0)
		await server.app.rooms.acquire(roomId).then((room) => room && server.app.rooms.release(room))
		expect(await server.app.store.listRetiredClients(roomId)).toEqual([])
		// The same doc: the writer reconnects and syncs.
		writer.provider.connect()
		await writer.waitForSync()
	})

	it('only compacts a room in use at shutdown, and rebuilds one no one is in', async () => {
		const dataDir = await makeTempDir('kb-rebuild-')
		dirs.push(dataDir)
		const server = await start({ ROOM_IDLE_MS: '600000' }, dataDir)
		const inUse = (await newRoom(server)).roomId
		const left = (await newRoom(server)).roomId
		const stays = client(server, inUse)
		const leaves = client(server, left)
		await Promise.all([stays.waitForSync(), leaves.waitForSync()])
		busyBoard(stays)
		busyBoard(leaves)
		for (const id of [inUse, left]) await serverHolds(server, id)
		leaves.destroy()
		await waitFor(() => (server.app.rooms.peek(left)?.peers.size === 0 ? true : null))
		servers = servers.filter((s) => s !== server)
		await server.app.close()

		const again = await start({}, dataDir)
		expect(await again.app.store.listRetiredClients(inUse)).toEqual([])
		expect(docHistoryStats(await storedDoc(again, inUse)).tombstones).toBeGreaterThanOrEqual(NOTES * MOVES)
		expect((await again.app.store.listRetiredClients(left)).length).toBeGreaterThan(0)
		expect(docHistoryStats(await storedDoc(again, left)).tombstones).toBe(0)
	})
})
