import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { RECORDS_MAP } from '@kompasbord/shared'
import { api, type CreatedRoom } from '../support/api'
import { startServerInProcess, type InProcessServer } from '../support/server-in-process'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, type YClient } from '../support/y-client'
import { joinAsParticipant, openNonReadingSocket, participantProtocols, syncStep1Message } from './attack-mix'
import { writeNotes } from './board-writes'

const MB = 1024 * 1024

let cleanups: (() => unknown)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
	cleanups = []
})

function rssOf(pid: number): number {
	const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
	return Number(kb) * 1024
}

/** Participant tokens of the rooms {@link newRoom} made; every plain socket of a room connects with its room's. */
const tokens = new Map<string, string>()

/** A room, and a participant token of it for the test's sockets. */
async function newRoom(baseUrl: string, title: string): Promise<CreatedRoom> {
	const room = await api(baseUrl).createRoom('blanco', { title })
	tokens.set(room.roomId, await joinAsParticipant(baseUrl, room.joinCode))
	return room
}

/** The participant credential of the room a websocket URL (`…/ws/<roomId>`) names. */
function protocolsOf(url: string): string[] {
	return participantProtocols(tokens.get(url.slice(url.lastIndexOf('/') + 1)) ?? '')
}

/** A y-websocket client of the room as its participant. */
function participantClient(wsUrl: string, roomId: string): YClient {
	return connectYClient(wsUrl, roomId, { participantToken: tokens.get(roomId) })
}

/** Opens a plain websocket and resolves with it once open, or with the HTTP status of a refused upgrade. */
function open(url: string): Promise<WebSocket | number> {
	return new Promise((resolve) => {
		const ws = new WebSocket(url, protocolsOf(url))
		ws.on('error', () => {})
		ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
		ws.once('open', () => resolve(ws))
	})
}

/** Resolves with the close code the server sends. */
function closeCode(ws: WebSocket): Promise<number> {
	return new Promise((resolve) => ws.once('close', (code) => resolve(code)))
}

describe('websocket resources: a client that does not read', () => {
	it.skipIf(process.platform !== 'linux')(
		'sync requests from sockets that never read keep the server memory bounded',
		async () => {
			const server: ServerProcess = await startServerProcess()
			cleanups.push(() => server.stop())
			const room = await newRoom(server.baseUrl, 'groot bord')
			const facilitator: YClient = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
			cleanups.push(() => facilitator.destroy())
			await facilitator.waitForSync()
			// About 1 MB of board: every answer to a sync request from an empty client carries all of it.
			writeNotes(facilitator.doc, 250, 4000)
			const check = participantClient(server.wsUrl, room.roomId)
			cleanups.push(() => check.destroy())
			await check.waitForSync()
			await waitFor(() => check.doc.getMap(RECORDS_MAP).size >= 251, { timeout: 30_000 })
			const before = rssOf(server.process.pid!)

			const step1 = syncStep1Message()
			for (let i = 0; i < 3; i++) {
				const ws = await openNonReadingSocket(`${server.wsUrl}/${room.roomId}`, protocolsOf(room.roomId))
				cleanups.push(() => ws.terminate())
				// Without a bound: 80 answers of 1 MB queued for a socket that never takes them, 240 MB in all.
				for (let k = 0; k < 80; k++) ws.send(step1)
			}
			// The requests are all on the server once a client that connected after them has synced.
			const after = participantClient(server.wsUrl, room.roomId)
			cleanups.push(() => after.destroy())
			await after.waitForSync()
			let peak = 0
			for (let i = 0; i < 20; i++) {
				peak = Math.max(peak, rssOf(server.process.pid!))
				const probe = await fetch(`${server.baseUrl}/api/health`)
				expect(probe.status).toBe(200)
			}
			expect(peak - before, `server grew ${((peak - before) / MB).toFixed(1)} MB`).toBeLessThan(80 * MB)
			expect(after.doc.getMap(RECORDS_MAP).size).toBe(check.doc.getMap(RECORDS_MAP).size)
		},
		120_000
	)

	it(`closes a socket whose unsent data passes WS_MAX_BUFFERED_BYTES (1013), and only that one`, async () => {
		const server: InProcessServer = await startServerInProcess({ env: { WS_MAX_BUFFERED_BYTES: String(256 * 1024) } })
		cleanups.push(() => server.close())
		const room = await newRoom(server.baseUrl, 'trage lezer')
		const facilitator = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		cleanups.push(() => facilitator.destroy())
		await facilitator.waitForSync()
		const reader = participantClient(server.wsUrl, room.roomId)
		cleanups.push(() => reader.destroy())
		await reader.waitForSync()
		const stalled = await Promise.all(
			[0, 1, 2].map(() => openNonReadingSocket(`${server.wsUrl}/${room.roomId}`, protocolsOf(room.roomId)))
		)
		for (const ws of stalled) cleanups.push(() => ws.terminate())
		await waitFor(() => server.app.websocketConnections.size === 5)

		// 12 MB of notes (more than the kernel's socket buffers hold), broadcast to everyone in the room: the
		// stalled sockets take none of it.
		const ids = writeNotes(facilitator.doc, 500, 24_000)
		await waitFor(() => reader.doc.getMap(RECORDS_MAP).has(ids[ids.length - 1]), { timeout: 60_000 })
		// The three are closed and cut; what was queued for them is freed. The reader and the facilitator stay.
		await waitFor(() => server.app.websocketConnections.size === 2, { message: 'stalled sockets closed' })
		expect(facilitator.provider.wsconnected).toBe(true)
		expect(reader.provider.wsconnected).toBe(true)
		for (const socket of server.app.websocketConnections) expect(socket.bufferedAmount).toBeLessThan(256 * 1024)
	}, 120_000)

	it('closes a socket that asks for the whole room again and again (1008)', async () => {
		const server = await startServerInProcess()
		cleanups.push(() => server.close())
		const room = await newRoom(server.baseUrl, 'opnieuw')
		const ws = (await open(`${server.wsUrl}/${room.roomId}`)) as WebSocket
		cleanups.push(() => ws.terminate())
		const closed = closeCode(ws)
		for (let i = 0; i < 50; i++) ws.send(syncStep1Message())
		expect(await closed).toBe(1008)
		// An honest client (one sync request per connection) is unaffected.
		const honest = participantClient(server.wsUrl, room.roomId)
		cleanups.push(() => honest.destroy())
		await honest.waitForSync()
	})
})

describe('websocket resources: caps per address', () => {
	it('refuses sockets over WS_MAX_SOCKETS_PER_ADDRESS with 429, and takes new ones once some closed', async () => {
		const server = await startServerInProcess({ env: { WS_MAX_SOCKETS_PER_ADDRESS: '4' } })
		cleanups.push(() => server.close())
		const room = await newRoom(server.baseUrl, 'veel')
		const url = `${server.wsUrl}/${room.roomId}`
		const sockets: WebSocket[] = []
		for (let i = 0; i < 4; i++) sockets.push((await open(url)) as WebSocket)
		cleanups.push(() => sockets.forEach((s) => s.terminate()))
		expect(await open(url)).toBe(429)
		sockets[0].close()
		await waitFor(() => server.app.websocketConnections.size === 3)
		const again = await open(url)
		expect(again).toBeInstanceOf(WebSocket)
		;(again as WebSocket).terminate()
	})

	it('refuses a room over WS_MAX_ROOMS_PER_ADDRESS with 429 too_many_rooms; rooms it holds stay open to it', async () => {
		const server = await startServerInProcess({ env: { WS_MAX_ROOMS_PER_ADDRESS: '2' } })
		cleanups.push(() => server.close())
		const rooms = await Promise.all([0, 1, 2].map((i) => newRoom(server.baseUrl, `kamer ${i}`)))
		const held = [
			(await open(`${server.wsUrl}/${rooms[0].roomId}`)) as WebSocket,
			(await open(`${server.wsUrl}/${rooms[1].roomId}`)) as WebSocket,
		]
		cleanups.push(() => held.forEach((s) => s.terminate()))
		const body = await new Promise<string>((resolve) => {
			const ws = new WebSocket(`${server.wsUrl}/${rooms[2].roomId}`, protocolsOf(rooms[2].roomId))
			ws.on('error', () => {})
			ws.once('unexpected-response', (_req, res) => {
				expect(res.statusCode).toBe(429)
				let text = ''
				res.on('data', (chunk) => (text += chunk))
				res.on('end', () => resolve(text))
			})
		})
		expect(JSON.parse(body)).toMatchObject({ error: { code: 'too_many_rooms' } })
		expect(server.app.rooms.loadedCount).toBe(2)
		const more = await open(`${server.wsUrl}/${rooms[0].roomId}`)
		expect(more).toBeInstanceOf(WebSocket)
		;(more as WebSocket).terminate()
	})

	it('lets a venue of 300 boards behind one address in with the defaults', async () => {
		const server = await startServerInProcess()
		cleanups.push(() => server.close())
		const room = await newRoom(server.baseUrl, 'zaal')
		const sockets = await Promise.all(Array.from({ length: 300 }, () => open(`${server.wsUrl}/${room.roomId}`)))
		cleanups.push(() => sockets.forEach((s) => typeof s !== 'number' && s.terminate()))
		expect(sockets.filter((s) => s instanceof WebSocket)).toHaveLength(300)
		await waitFor(() => server.app.websocketConnections.size === 300)
	}, 60_000)
})
