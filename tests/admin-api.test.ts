import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
	CLOSE_KEY_REPLACED,
	CLOSE_ROOM_NOT_FOUND,
	type AdminRoomList,
	type NewFacilitatorLink,
} from '@kompasbord/shared'
import { participantToken } from './session-helpers'
import { api, type ApiClient } from './support/api'
import { credentialProtocols } from './support/y-client'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'

const TOKEN = 'admin-token-for-tests-0123456789abcdef'
let dist: string
let server: InProcessServer
let bare: InProcessServer
let client: ApiClient

function admin(method: string, url: string, token: string | null = TOKEN, base = server.baseUrl) {
	return fetch(`${base}${url}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} })
}

/** A websocket URL with its credential as a query (`?key=`, `?viewToken=`, `?participantToken=`): the URL and subprotocols. */
function target(url: string): [string, string[]] {
	const [base, query = ''] = url.split('?')
	return [base, credentialProtocols(Object.fromEntries(new URLSearchParams(query)))]
}

function openSocket(url: string): Promise<{ closed: Promise<number> }> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(...target(url))
		const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)))
		socket.once('open', () => resolve({ closed }))
		socket.once('error', reject)
	})
}

function upgradeStatus(url: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = new WebSocket(...target(url))
		socket.once('unexpected-response', (_req, res) => {
			resolve(res.statusCode ?? 0)
			socket.terminate()
		})
		socket.once('open', () => reject(new Error('the websocket opened')))
		socket.once('error', () => undefined)
	})
}

beforeAll(async () => {
	dist = await makeTempDir('kompasbord-admin-dist-')
	await mkdir(path.join(dist, 'assets'))
	await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>bord</title>')
	await writeFile(path.join(dist, 'admin.html'), '<!doctype html><title>beheer</title>')
	server = await startServerInProcess({ env: { ADMIN_TOKEN: TOKEN, CLIENT_DIST_DIR: dist, RETENTION: '30d' } })
	bare = await startServerInProcess({ env: { CLIENT_DIST_DIR: dist } })
	client = api(server.baseUrl)
})

afterAll(async () => {
	await server?.close()
	await bare?.close()
	await removeTempDir(dist)
})

describe('admin routes', () => {
	it('do not exist without ADMIN_TOKEN (404), page included', async () => {
		const room = await api(bare.baseUrl).createRoom('blanco')
		for (const [method, url] of [
			['GET', '/api/admin/rooms'],
			['POST', `/api/admin/rooms/${room.roomId}/close`],
			['POST', `/api/admin/rooms/${room.roomId}/reopen`],
			['POST', `/api/admin/rooms/${room.roomId}/facilitator-key`],
			['DELETE', `/api/admin/rooms/${room.roomId}`],
			['GET', '/admin'],
			['GET', '/admin.html'],
		]) {
			expect((await admin(method, url, TOKEN, bare.baseUrl)).status, `${method} ${url}`).toBe(404)
		}
		expect((await api(bare.baseUrl).getRoom(room.roomId)).roomId).toBe(room.roomId)
	})

	it('answer 401 without the token or with a wrong one; the page itself loads', async () => {
		const room = await client.createRoom('blanco')
		for (const token of [null, 'wrong-token', `${TOKEN}x`]) {
			for (const [method, url] of [
				['GET', '/api/admin/rooms'],
				['POST', `/api/admin/rooms/${room.roomId}/close`],
				['POST', `/api/admin/rooms/${room.roomId}/facilitator-key`],
				['DELETE', `/api/admin/rooms/${room.roomId}`],
			]) {
				const res = await admin(method, url, token)
				expect(res.status, `${method} ${url} with ${token}`).toBe(401)
				expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
			}
		}
		const page = await fetch(`${server.baseUrl}/admin`)
		expect(page.status).toBe(200)
		expect(await page.text()).toContain('beheer')
		expect((await client.getRoom(room.roomId)).phase).toBe('open')
	})

	it('list every room with its template, dates, participants, connections, size and status', async () => {
		const room = await client.createRoom('dos-en-donts', { title: 'Beheerd bord' })
		await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Luisteren', clientNoteId: 'n-admin-1' },
			await participantToken(client, room, 'p-admin-0001')
		)
		await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Vragen', clientNoteId: 'n-admin-2' },
			await participantToken(client, room, 'p-admin-0002')
		)
		const board = await openSocket(`${server.wsUrl}/${room.roomId}?viewToken=${room.viewToken}`)
		const res = await admin('GET', '/api/admin/rooms')
		expect(res.status).toBe(200)
		expect(res.headers.get('cache-control')).toBe('no-store')
		const list = (await res.json()) as AdminRoomList
		expect(list.retentionMs).toBe(30 * 86_400_000)
		const listed = list.rooms.find((r) => r.roomId === room.roomId)
		expect(listed).toMatchObject({
			title: 'Beheerd bord',
			templateId: 'dos-en-donts',
			status: 'open',
			closedAt: null,
			participants: 2,
			connected: 1,
		})
		expect(listed?.bytes).toBeGreaterThan(1000)
		expect(listed?.createdAt).toBeLessThanOrEqual(listed?.lastActivityAt ?? 0)
		expect(list.rooms[0].roomId).toBe(room.roomId)
		void board
	})

	it('close and reopen a session', async () => {
		const room = await client.createRoom('blanco')
		const closed = await admin('POST', `/api/admin/rooms/${room.roomId}/close`)
		expect(closed.status).toBe(200)
		expect(await closed.json()).toEqual({ roomId: room.roomId, phase: 'closed' })
		expect((await client.getRoom(room.roomId)).phase).toBe('closed')
		expect((await client.request('GET', `/api/join/${room.joinCode}`)).status).toBe(404)
		const list = (await (await admin('GET', '/api/admin/rooms')).json()) as AdminRoomList
		expect(list.rooms.find((r) => r.roomId === room.roomId)?.status).toBe('closed')
		const reopened = await admin('POST', `/api/admin/rooms/${room.roomId}/reopen`)
		expect(await reopened.json()).toEqual({ roomId: room.roomId, phase: 'open' })
		expect((await client.join(room.joinCode)).roomId).toBe(room.roomId)
		expect((await admin('POST', '/api/admin/rooms/no-such-room/close')).status).toBe(404)
	})

	it('make a new facilitator link; the old key stops working at once', async () => {
		const room = await client.createRoom('blanco')
		const oldBoard = await openSocket(`${server.wsUrl}/${room.roomId}?key=${room.facilitatorKey}`)
		const res = await admin('POST', `/api/admin/rooms/${room.roomId}/facilitator-key`)
		expect(res.status).toBe(200)
		const link = (await res.json()) as NewFacilitatorLink
		expect(link.facilitatorKey).not.toBe(room.facilitatorKey)
		expect(link.links.facilitator).toBe(`${server.baseUrl}/b/${room.roomId}#key=${link.facilitatorKey}`)
		expect(await oldBoard.closed).toBe(CLOSE_KEY_REPLACED)
		const patch = { body: { structureLocked: false } }
		expect(
			(
				await client.request('PATCH', `/api/rooms/${room.roomId}/session`, {
					...patch,
					facilitatorKey: room.facilitatorKey,
				})
			).status
		).toBe(403)
		expect(
			(
				await client.request('PATCH', `/api/rooms/${room.roomId}/session`, {
					...patch,
					facilitatorKey: link.facilitatorKey,
				})
			).status
		).toBe(200)
		expect(await upgradeStatus(`${server.wsUrl}/${room.roomId}?key=${room.facilitatorKey}`)).toBe(403)
		const newBoard = await openSocket(`${server.wsUrl}/${room.roomId}?key=${link.facilitatorKey}`)
		void newBoard
		expect((await admin('POST', '/api/admin/rooms/no-such-room/facilitator-key')).status).toBe(404)
	})

	it('delete a room with everything in it', async () => {
		const room = await client.createRoom('blanco')
		await client.postNote(
			room.roomId,
			{ zoneId: 'notities', text: 'Weg ermee', clientNoteId: 'n-admin-3' },
			await participantToken(client, room, 'p-admin-0003')
		)
		const board = await openSocket(
			`${server.wsUrl}/${room.roomId}?participantToken=${await participantToken(client, room, 'board')}`
		)
		expect((await admin('DELETE', `/api/admin/rooms/${room.roomId}`)).status).toBe(204)
		expect(await board.closed).toBe(CLOSE_ROOM_NOT_FOUND)
		expect((await client.request('GET', `/api/rooms/${room.roomId}`)).status).toBe(404)
		expect(await server.app.store.getNote(room.roomId, 'n-admin-3')).toBeNull()
		expect((await admin('DELETE', `/api/admin/rooms/${room.roomId}`)).status).toBe(404)
		const list = (await (await admin('GET', '/api/admin/rooms')).json()) as AdminRoomList
		expect(list.rooms.some((r) => r.roomId === room.roomId)).toBe(false)
	})
})
