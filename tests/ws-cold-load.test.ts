/**
 * A room loaded on a fresh server: a new client's first sync is answered from the stored bytes before the
 * server decodes them (server/src/rooms/room.ts), so these tests check that what clients end with is exactly
 * the stored state, that offline edits still reach the server, and that messages a client sends while the
 * room is loading are handled in the order they were sent.
 */
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import {
	api,
	connectYClient,
	credentialProtocols,
	makeTempDir,
	removeTempDir,
	startServerInProcess,
	waitFor,
} from './support'
import type { InProcessServer, YClient } from './support'

const messageSync = 0
const syncStep1 = 0
const syncStep2 = 1
const syncUpdate = 2

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

async function start(dataDir: string): Promise<InProcessServer> {
	const server = await startServerInProcess({ dataDir })
	servers.push(server)
	return server
}

async function stop(server: InProcessServer): Promise<void> {
	servers = servers.filter((s) => s !== server)
	await server.close()
}

/** Facilitator keys of the rooms {@link newRoom} made: these boards write as the facilitator. */
const keys = new Map<string, string>()

/** A blank room; its key is kept for {@link client}. */
async function newRoom(server: InProcessServer): Promise<{ roomId: string; facilitatorKey: string }> {
	const room = await api(server.baseUrl).createRoom('blanco')
	keys.set(room.roomId, room.facilitatorKey)
	return room
}

function client(server: InProcessServer, roomId: string, doc?: Y.Doc): YClient {
	const c = connectYClient(server.wsUrl, roomId, { key: keys.get(roomId) }, { doc })
	opened.push(c)
	return c
}

function syncMessage(type: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, messageSync)
	encoding.writeVarUint(encoder, type)
	encoding.writeVarUint8Array(encoder, payload)
	return encoding.toUint8Array(encoder)
}

/** A valid tldraw record (a note on the page) carrying `meta`: the server accepts only valid records. */
function rec(id: string, meta: Record<string, unknown> = {}) {
	return noteShapeRecord({ id, parentId: PAGE_ID, index: 'a1', x: 0, y: 0, text: '', scale: 1, meta: meta as never })
}

describe('cold load', () => {
	it("a cold-loaded room gives a fresh client exactly the stored state, and a returning client's offline edits reach everyone", async () => {
		const dataDir = await makeTempDir('kb-cold-')
		dirs.push(dataDir)
		let server = await start(dataDir)
		const { roomId } = await newRoom(server)
		const writer = client(server, roomId)
		await writer.waitForSync()
		const records = writer.doc.getMap<unknown>(RECORDS_MAP)
		for (let rev = 0; rev < 3; rev++) {
			writer.doc.transact(() => {
				for (let i = 0; i < 100; i++) records.set(`shape:n${i}`, rec(`shape:n${i}`, { x: i, rev }))
			})
		}
		const watcher = client(server, roomId)
		await watcher.waitForSync()
		await waitFor(() =>
			watcher.doc.getMap<{ meta: { rev: number } }>(RECORDS_MAP).get('shape:n99')?.meta.rev === 2 ? true : null
		)
		// The returning client: a copy of the board with an edit made while the server was down.
		const offline = new Y.Doc()
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(writer.doc))
		writer.destroy()
		watcher.destroy()
		await stop(server)
		offline.getMap<unknown>(RECORDS_MAP).set('shape:offline', rec('shape:offline', { x: -1 }))

		server = await start(dataDir)
		const fresh = client(server, roomId)
		await fresh.waitForSync()
		const stored = new Y.Doc()
		for (const update of (await server.app.store.loadUpdates(roomId)).updates) Y.applyUpdate(stored, update)
		expect(fresh.doc.getMap(RECORDS_MAP).toJSON()).toEqual(stored.getMap(RECORDS_MAP).toJSON())
		expect(Y.encodeStateVector(fresh.doc)).toEqual(Y.encodeStateVector(stored))
		expect(fresh.doc.getMap(RECORDS_MAP).get('shape:n5')).toEqual(rec('shape:n5', { x: 5, rev: 2 }))

		const returning = client(server, roomId, offline)
		await returning.waitForSync()
		await waitFor(() => fresh.doc.getMap(RECORDS_MAP).has('shape:offline'))
		const room = server.app.rooms.peek(roomId)
		expect(room?.doc.getMap(RECORDS_MAP).get('shape:offline')).toEqual(rec('shape:offline', { x: -1 }))
		expect(fresh.doc.getMap(RECORDS_MAP).toJSON()).toEqual(returning.doc.getMap(RECORDS_MAP).toJSON())
	})

	it('handles messages sent while the room is still loading in the order they were sent', async () => {
		const dataDir = await makeTempDir('kb-cold-')
		dirs.push(dataDir)
		const server = await start(dataDir)
		const { roomId } = await newRoom(server)
		// Hold the room's load until the client's messages have reached the server.
		const store = server.app.store
		const loadUpdates = store.loadUpdates.bind(store)
		let releaseLoad = (): void => {}
		const gate = new Promise<void>((resolve) => {
			releaseLoad = resolve
		})
		store.loadUpdates = async (id) => {
			await gate
			return loadUpdates(id)
		}

		const ws = new WebSocket(`${server.wsUrl}/${roomId}`, credentialProtocols({ key: keys.get(roomId) }))
		const received: { type: number; update: Uint8Array }[] = []
		ws.on('message', (data: Buffer) => {
			const decoder = decoding.createDecoder(new Uint8Array(data))
			if (decoding.readVarUint(decoder) !== messageSync) return
			const type = decoding.readVarUint(decoder)
			received.push({ type, update: decoding.readVarUint8Array(decoder) })
		})
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve())
			ws.once('error', reject)
		})
		const emptyStateVector = Y.encodeStateVector(new Y.Doc())
		const edit = new Y.Doc()
		edit.getMap(RECORDS_MAP).set('shape:early', rec('shape:early'))
		ws.send(syncMessage(syncStep1, emptyStateVector))
		ws.send(syncMessage(syncUpdate, Y.encodeStateAsUpdate(edit)))
		ws.send(syncMessage(syncStep1, emptyStateVector))
		// A pong means the server has read every frame sent before the ping.
		await new Promise<void>((resolve) => {
			ws.once('pong', () => resolve())
			ws.ping()
		})
		releaseLoad()

		const answers = await waitFor(() => {
			const steps = received.filter((m) => m.type === syncStep2)
			return steps.length >= 2 && received.some((m) => m.type === syncStep1) ? steps : null
		})
		const docOf = (update: Uint8Array) => {
			const doc = new Y.Doc()
			Y.applyUpdate(doc, update)
			return doc.getMap(RECORDS_MAP)
		}
		// The first step 1 was answered before the edit was applied, the second after it.
		expect(docOf(answers[0].update).has('document:document')).toBe(true)
		expect(docOf(answers[0].update).has('shape:early')).toBe(false)
		expect(docOf(answers[1].update).get('shape:early')).toEqual(rec('shape:early'))
		// The server's own step 1 names the edit's client: it went out once the doc held the stored state.
		const serverStep1 = received.find((m) => m.type === syncStep1)
		expect(serverStep1 && Y.decodeStateVector(serverStep1.update).has(edit.clientID)).toBe(true)
		ws.close()
	})
})
