/**
 * On PostgreSQL a change is committed in the background (group commit) while the room's doc already holds it. A
 * board that syncs in that moment (a join, or a reconnect) is answered from that doc, so its answer waits for the
 * commit as a broadcast does: no client receives a change the server could still lose. (CI once saw the
 * reconnect after a database outage hand a change to a board before it was stored.)
 */
import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import type { TLRecord } from '@tldraw/tlschema'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import type { StoredUpdate } from '../../server/src/store/room-records'
import { createTestDatabase, postgresUnavailable } from '../../server/src/store/pg-test-database'
import { api } from '../support/api'
import { type InProcessServer, startServerInProcess } from '../support/server-in-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, credentialProtocols } from '../support/y-client'

const missing = await postgresUnavailable()
const required = process.env.CI === 'true'
if (missing && !required) console.warn(`[kompasbord] PostgreSQL sync answer tests skipped: ${missing}`)

const messageSync = 0
const { messageYjsSyncStep1: syncStep1, messageYjsSyncStep2: syncStep2 } = syncProtocol

/** A board's sync step 1 (its doc's state vector), as y-websocket sends it. */
function syncStep1Message(doc: Y.Doc): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, messageSync)
	syncProtocol.writeSyncStep1(encoder, doc)
	return encoding.toUint8Array(encoder)
}

/** A websocket to the room that sends its sync step 1 only when the test says, and keeps the sync step 2 answers. */
async function rawBoard(wsUrl: string, roomId: string, key: string) {
	const ws = new WebSocket(`${wsUrl}/${roomId}`, credentialProtocols({ key }))
	const answers: Uint8Array[] = []
	let attached = () => {}
	// The server's own sync step 1 comes once the connection has joined the room: from then on what it sends is
	// handled at once (before, it would wait, and a pong would not mean it was read).
	const joined = new Promise<void>((resolve) => (attached = resolve))
	ws.on('message', (data: Buffer) => {
		const decoder = decoding.createDecoder(new Uint8Array(data))
		if (decoding.readVarUint(decoder) !== messageSync) return
		const type = decoding.readVarUint(decoder)
		if (type === syncStep1) attached()
		else if (type === syncStep2) answers.push(decoding.readVarUint8Array(decoder))
	})
	await new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('error', reject)
	})
	await joined
	return {
		answers,
		askSync: (doc: Y.Doc) => ws.send(syncStep1Message(doc)),
		/** Resolves once the server has handled every frame sent before (a pong follows them). */
		read: () =>
			new Promise<void>((resolve) => {
				ws.once('pong', () => resolve())
				ws.ping()
			}),
		close: () => ws.close(),
	}
}

describe.skipIf(missing !== null && !required)(
	`a sync answer waits for the commit on PostgreSQL${missing ? ` (${missing})` : ''}`,
	() => {
		if (missing) {
			it('PostgreSQL is reachable (required when CI=true)', () => {
				throw new Error(missing)
			})
			return
		}
		let database: Awaited<ReturnType<typeof createTestDatabase>>
		let server: InProcessServer

		beforeAll(async () => {
			database = await createTestDatabase()
			server = await startServerInProcess({ env: { DATABASE_URL: database.url } })
		})

		afterAll(async () => {
			await server?.close()
			await database?.drop()
		})

		it('a joining and a reconnecting board get a change only once it is stored, and then get it', async () => {
			const room = await api(server.baseUrl).createRoom('dos-en-donts')
			const writer = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
			const joining = await rawBoard(server.wsUrl, room.roomId, room.facilitatorKey)
			const reconnecting = await rawBoard(server.wsUrl, room.roomId, room.facilitatorKey)
			const store = server.app.store as { appendUpdates(batch: StoredUpdate[]): Promise<void> }
			const append = store.appendUpdates
			try {
				await writer.waitForSync()
				// The reconnecting board already holds the board as it was.
				const held = new Y.Doc()
				reconnecting.askSync(held)
				Y.applyUpdate(held, await waitFor(() => reconnecting.answers.shift()))

				// The store's commits wait until the test lets them go.
				let release = () => {}
				const gate = new Promise<void>((resolve) => (release = resolve))
				const waiting: StoredUpdate[][] = []
				store.appendUpdates = async (batch) => {
					waiting.push(batch)
					await gate
					return append.call(store, batch)
				}
				const id = 'shape:durable-first'
				writer.doc
					.getMap<TLRecord>(RECORDS_MAP)
					.set(id, noteShapeRecord({ id, parentId: PAGE_ID, index: 'a1', x: 0, y: 0, text: id, scale: 1 }))
				await waitFor(() => waiting.length > 0, { message: 'the change reached the store' })

				joining.askSync(new Y.Doc())
				reconnecting.askSync(held)
				await Promise.all([joining.read(), reconnecting.read()])
				expect(joining.answers).toHaveLength(0)
				expect(reconnecting.answers).toHaveLength(0)

				release()
				const joined = new Y.Doc()
				Y.applyUpdate(joined, await waitFor(() => joining.answers.shift()))
				Y.applyUpdate(held, await waitFor(() => reconnecting.answers.shift()))
				for (const doc of [joined, held]) expect(doc.getMap<TLRecord>(RECORDS_MAP).has(id)).toBe(true)
				// By then it is in PostgreSQL.
				const stored = new Y.Doc()
				for (const update of (await server.app.store.loadUpdates(room.roomId)).updates) Y.applyUpdate(stored, update)
				expect(stored.getMap<TLRecord>(RECORDS_MAP).has(id)).toBe(true)
			} finally {
				store.appendUpdates = append
				writer.destroy()
				joining.close()
				reconnecting.close()
			}
		})
	}
)
