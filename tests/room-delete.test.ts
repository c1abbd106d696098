import { PNG } from 'pngjs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CLOSE_ROOM_NOT_FOUND } from '@kompasbord/shared'
import type { SqliteRoomStore } from '../server/src/store/sqlite-room-store'
import { api, type ApiClient, type CreatedRoom } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { credentialProtocols } from './support/y-client'
import { participantToken } from './session-helpers'

let server: InProcessServer
let client: ApiClient
let counter = 0
const id = (prefix: string) => `${prefix}-${++counter}-${Math.random().toString(36).slice(2, 10)}`

beforeAll(async () => {
	server = await startServerInProcess()
	client = api(server.baseUrl)
})

afterAll(async () => {
	await server?.close()
})

function sqlite(): SqliteRoomStore {
	return server.app.store as SqliteRoomStore
}

/** Rows of the room in every table that has a `room_id` column, by table. */
function rowsByTable(roomId: string): Record<string, number> {
	const db = sqlite().db
	const counts: Record<string, number> = {}
	const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all()
	for (const { name } of tables) {
		const columns = db.pragma(`table_info(${name})`) as { name: string }[]
		if (!columns.some((c) => c.name === 'room_id')) continue
		counts[name] = (db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE room_id = ?`).get(roomId) as { n: number }).n
	}
	return counts
}

/** The database file and its WAL, as bytes. */
async function fileBytes(): Promise<Buffer> {
	const file = path.join(server.dataDir, 'kompasbord.sqlite')
	const wal = await readFile(`${file}-wal`).catch(() => Buffer.alloc(0))
	return Buffer.concat([await readFile(file), wal])
}

/** A room with content in every table: placed, held and hidden notes, votes, retired client ids. */
async function roomWithEverything(marker: string): Promise<{ room: CreatedRoom; secrets: string[] }> {
	// In a traject, with a kept board image: those rows go with the room too.
	const traject = await client.request<{ trajectId: string; trajectKey: string }>('POST', '/api/trajects', {
		body: { title: 'Gemeente (het traject blijft bestaan)' },
	})
	const room = await client.createRoom('dos-en-donts', {
		title: `Titel ${marker}`,
		trajectId: traject.body.trajectId,
		trajectKey: traject.body.trajectKey,
	})
	const image = new PNG({ width: 8, height: 8 })
	const kept = await fetch(`${server.baseUrl}/api/rooms/${room.roomId}/snapshot`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${room.facilitatorKey}`, 'content-type': 'image/png' },
		body: new Uint8Array(PNG.sync.write(image)),
	})
	expect(kept.status).toBe(204)
	// A rebuilt doc leaves retired client ids: replace the doc with its own snapshot, retiring a client id.
	const stored = await server.app.store.loadUpdates(room.roomId)
	await server.app.store.replaceDoc(room.roomId, Y.mergeUpdates(stored.updates), [424242])
	const placed = `Geplaatst ${marker}`
	const hidden = `Verborgen ${marker}`
	const held = `Vastgehouden ${marker}`
	const voter = id('voter')
	const { noteId } = await client.postNote(
		room.roomId,
		{ zoneId: 'dos', text: placed, clientNoteId: id('n') },
		await participantToken(client, room, id('p'))
	)
	const { noteId: hiddenId } = await client.postNote(
		room.roomId,
		{ zoneId: 'donts', text: hidden, clientNoteId: id('n') },
		await participantToken(client, room, id('p'))
	)
	const hide = await client.request(
		'POST',
		`/api/rooms/${room.roomId}/moderation/notes/${encodeURIComponent(hiddenId)}/hide`,
		{
			facilitatorKey: room.facilitatorKey,
		}
	)
	expect(hide.status).toBe(200)
	await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting' })
	expect(
		(
			await client.request('POST', `/api/rooms/${room.roomId}/votes`, {
				body: { noteId },
				token: await participantToken(client, room, voter),
			})
		).status
	).toBe(201)
	await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
	const posted = await client.postNote(
		room.roomId,
		{ zoneId: 'dos', text: held, clientNoteId: id('n') },
		await participantToken(client, room, id('p'))
	)
	expect(posted.status).toBe('held')
	return { room, secrets: [`Titel ${marker}`, placed, hidden, held] }
}

function openSocket(url: string, protocols: string[]): Promise<{ socket: WebSocket; closed: Promise<number> }> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url, protocols)
		const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)))
		socket.once('open', () => resolve({ socket, closed }))
		socket.once('error', reject)
	})
}

function upgradeStatus(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(url)
		socket.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0)
			socket.terminate()
		})
		socket.once('open', () => reject(new Error('the websocket opened')))
		socket.once('error', () => undefined)
	})
}

describe('DELETE /api/rooms/:roomId', () => {
	it('needs the facilitator key', async () => {
		const room = await client.createRoom('blanco')
		expect((await client.request('DELETE', `/api/rooms/${room.roomId}`)).status).toBe(401)
		expect(
			(await client.request('DELETE', `/api/rooms/${room.roomId}`, { facilitatorKey: 'wrong-key-0123456789' })).status
		).toBe(403)
		expect(
			(await client.request('DELETE', '/api/rooms/no-such-room', { facilitatorKey: room.facilitatorKey })).status
		).toBe(404)
		expect((await client.getRoom(room.roomId)).roomId).toBe(room.roomId)
	})

	it('deletes every row of the room, closes its sockets with 4404, answers 404 everywhere and leaves no text in the file', async () => {
		const marker = id('geheim')
		const keeper = id('blijft')
		const { room, secrets } = await roomWithEverything(marker)
		const other = await roomWithEverything(keeper)
		// The tables this room has content in (any other table with a room_id column is checked after the delete).
		const filled = ['rooms', 'room_updates', 'notes', 'vote_allocations', 'hidden_notes', 'retired_clients']
		const before = rowsByTable(room.roomId)
		for (const table of filled) expect(before[table], `rows of the room in ${table} before`).toBeGreaterThan(0)
		// The text is in the file now (the positive control of the byte search below).
		sqlite().db.pragma('wal_checkpoint(TRUNCATE)')
		const bytesBefore = await fileBytes()
		for (const secret of secrets) expect(bytesBefore.includes(Buffer.from(secret)), secret).toBe(true)

		const facilitator = await openSocket(
			`${server.wsUrl}/${room.roomId}`,
			credentialProtocols({ key: room.facilitatorKey })
		)
		const viewer = await openSocket(
			`${server.wsUrl}/${room.roomId}`,
			credentialProtocols({ viewToken: room.viewToken })
		)
		// A participant's token names a participant of this room id even once it is gone: the routes answer 404.
		const token = await participantToken(client, room, 'after')
		const res = await client.request('DELETE', `/api/rooms/${room.roomId}`, { facilitatorKey: room.facilitatorKey })
		expect(res.status).toBe(204)
		expect(await facilitator.closed).toBe(CLOSE_ROOM_NOT_FOUND)
		expect(await viewer.closed).toBe(CLOSE_ROOM_NOT_FOUND)
		expect(server.app.rooms.isLoaded(room.roomId)).toBe(false)

		for (const [table, n] of Object.entries(rowsByTable(room.roomId))) expect(n, `rows of the room in ${table}`).toBe(0)
		const otherRows = rowsByTable(other.room.roomId)
		for (const table of filled) expect(otherRows[table], `rows of the other room in ${table}`).toBeGreaterThan(0)

		const base = `/api/rooms/${room.roomId}`
		const key = { facilitatorKey: room.facilitatorKey }
		for (const [method, url, options] of [
			['GET', base, {}],
			['GET', `${base}/session`, {}],
			['PATCH', `${base}/session`, { ...key, body: { phase: 'open' } }],
			['GET', `${base}/notes`, { token }],
			['POST', `${base}/notes`, { token, body: { zoneId: 'dos', text: 'x', clientNoteId: id('n') } }],
			['POST', `${base}/votes`, { token, body: { noteId: 'shape:x' } }],
			['GET', `${base}/moderation/hidden`, key],
			['GET', `${base}/export.md`, key],
			['GET', `${base}/export.json`, key],
			['GET', `${base}/export.csv`, key],
			['DELETE', base, key],
			['GET', `/api/join/${room.joinCode}`, {}],
		] as const) {
			const answer = await client.request(method, url, options)
			expect(answer.status, `${method} ${url}`).toBe(404)
		}
		expect(await upgradeStatus(`${server.wsUrl}/${room.roomId}`)).toBe(404)
		expect(await upgradeStatus(`${server.wsUrl}/${room.roomId}?key=${room.facilitatorKey}`)).toBe(404)
		// The other room is untouched.
		expect((await client.getRoom(other.room.roomId)).title).toBe(`Titel ${keeper}`)

		// No trace of the deleted text in the database file or its WAL, after a checkpoint; the other room's is there.
		sqlite().db.pragma('wal_checkpoint(TRUNCATE)')
		const bytes = await fileBytes()
		for (const secret of [...secrets, marker]) expect(bytes.includes(Buffer.from(secret)), secret).toBe(false)
		for (const secret of other.secrets) expect(bytes.includes(Buffer.from(secret)), secret).toBe(true)
	})

	it('runs secure_delete on every connection to the file', async () => {
		expect(sqlite().db.pragma('secure_delete', { simple: true })).toBe(1)
	})
})
