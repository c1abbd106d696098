import { randomBytes } from 'node:crypto'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { api } from '../support/api'
import { startServerInProcess, type InProcessServer } from '../support/server-in-process'
import { waitFor } from '../support/wait-for'
import { joinAsParticipant, participantProtocols } from './attack-mix'

let cleanups: (() => unknown)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
	cleanups = []
})

/** What the server wrote on a raw upgrade request's connection, and whether it closed the connection itself. */
interface RawAnswer {
	status: number
	body: unknown
	/** Everything the server sent, as text. */
	raw: string
}

/** An HTTP/1.1 websocket upgrade request for `path`, as a browser sends it. */
function upgradeRequest(path: string, protocols: string[], extra: Record<string, string> = {}): string {
	const headers: Record<string, string> = {
		host: '127.0.0.1',
		connection: 'Upgrade',
		upgrade: 'websocket',
		'sec-websocket-version': '13',
		'sec-websocket-key': randomBytes(16).toString('base64'),
		...(protocols.length ? { 'sec-websocket-protocol': protocols.join(', ') } : {}),
		...extra,
	}
	return `GET ${path} HTTP/1.1\r\n${Object.entries(headers)
		.map(([name, value]) => `${name}: ${value}\r\n`)
		.join('')}\r\n`
}

/**
 * Sends an upgrade request over a plain TCP connection and resolves, once the server has closed the connection,
 * with its answer: a refused upgrade is an HTTP error and the end of the connection, never a 101.
 */
function rawUpgrade(
	port: number,
	path: string,
	protocols: string[] = [],
	extra: Record<string, string> = {}
): Promise<RawAnswer> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(port, '127.0.0.1')
		let raw = ''
		socket.setEncoding('utf8')
		socket.on('data', (chunk: string) => {
			raw += chunk
		})
		socket.once('error', reject)
		socket.once('connect', () => socket.write(upgradeRequest(path, protocols, extra)))
		// The client never closes its side: only the server ends this connection.
		const hung = setTimeout(() => {
			socket.destroy()
			reject(new Error(`the server left the connection of ${path} open; it sent: ${raw}`))
		}, 10_000)
		socket.once('close', () => {
			clearTimeout(hung)
			const [head, ...rest] = raw.split('\r\n\r\n')
			const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0)
			const text = rest.join('\r\n\r\n')
			let body: unknown = text
			try {
				body = JSON.parse(text)
			} catch {
				// not JSON: kept as text
			}
			resolve({ status, body, raw })
		})
	})
}

/** A refusal in the contract's shape. */
const refusal = (status: number, code: string) => ({
	status,
	body: { error: { code, message: expect.any(String) } },
	raw: expect.not.stringContaining(' 101 '),
})

async function serverWithRoom(env: Record<string, string> = {}) {
	const server: InProcessServer = await startServerInProcess({ env })
	cleanups.push(() => server.close())
	const room = await api(server.baseUrl).createRoom('blanco', { title: 'deur' })
	const token = await joinAsParticipant(server.baseUrl, room.joinCode)
	return { server, room, token }
}

describe('websocket upgrade: every refusal comes before the upgrade', () => {
	it('answers the HTTP error and ends the connection: room, credential, route', async () => {
		const { server, room, token } = await serverWithRoom()
		const at = (path: string, protocols: string[] = []) => rawUpgrade(server.port, path, protocols)
		expect(await at('/ws/no-such-room', participantProtocols(token))).toEqual(refusal(404, 'room_not_found'))
		expect(await at(`/ws/${room.roomId}`)).toEqual(refusal(401, 'credential_required'))
		expect(await at(`/ws/${room.roomId}`, ['kompasbord'])).toEqual(refusal(401, 'credential_required'))
		expect(await at(`/ws/${room.roomId}`, ['kompasbord', 'kompasbord-facilitator.wrong'])).toEqual(
			refusal(403, 'bad_key')
		)
		expect(await at(`/ws/${room.roomId}`, ['kompasbord', 'kompasbord-participant.p.x.y'])).toEqual(
			refusal(403, 'bad_participant_token')
		)
		expect(await at(`/ws/${room.roomId}`, ['kompasbord', 'kompasbord-view.v.sig'])).toEqual(
			refusal(403, 'bad_view_token')
		)
		// Only the y-websocket route upgrades: other routes, pages and unknown paths answer 404.
		for (const path of ['/api/health', '/', '/ws', '/ws/', `/ws/${room.roomId}/more`, '/nothing-here']) {
			expect(await at(path, participantProtocols(token)), path).toEqual(refusal(404, 'not_found'))
		}
		// A room id that is not valid URL encoding.
		expect(await at('/ws/%E0%A4%A', participantProtocols(token))).toEqual(refusal(400, 'bad_request'))
		expect(server.app.websocketConnections.size).toBe(0)

		// The same request with a good credential is upgraded, and answers the chosen subprotocol.
		const socket = net.connect(server.port, '127.0.0.1')
		cleanups.push(() => socket.destroy())
		socket.setEncoding('utf8')
		let head = ''
		socket.on('data', (chunk: string) => {
			head += chunk
		})
		socket.once('connect', () => socket.write(upgradeRequest(`/ws/${room.roomId}`, participantProtocols(token))))
		await waitFor(() => head.includes('\r\n\r\n'))
		expect(head).toMatch(/^HTTP\/1\.1 101 /)
		expect(head.toLowerCase()).toContain('sec-websocket-protocol: kompasbord\r\n')
		await waitFor(() => server.app.websocketConnections.size === 1)
	})

	it('refuses over the per-address caps with 429, and an upgrade ws itself refuses counts for nothing', async () => {
		const { server, room, token } = await serverWithRoom({ WS_MAX_SOCKETS_PER_ADDRESS: '1' })
		const path = `/ws/${room.roomId}`
		// Admitted, then refused by ws (a version it does not speak): the connection's count is given back.
		for (let i = 0; i < 3; i++) {
			const answer = await rawUpgrade(server.port, path, participantProtocols(token), {
				'sec-websocket-version': '7',
			})
			expect(answer.status).toBe(400)
		}
		const open = net.connect(server.port, '127.0.0.1')
		cleanups.push(() => open.destroy())
		open.once('connect', () => open.write(upgradeRequest(path, participantProtocols(token))))
		await waitFor(() => server.app.websocketConnections.size === 1)
		expect(await rawUpgrade(server.port, path, participantProtocols(token))).toEqual(
			refusal(429, 'too_many_connections')
		)
		open.destroy()
		await waitFor(() => server.app.websocketConnections.size === 0)
		const again = net.connect(server.port, '127.0.0.1')
		cleanups.push(() => again.destroy())
		again.once('connect', () => again.write(upgradeRequest(path, participantProtocols(token))))
		await waitFor(() => server.app.websocketConnections.size === 1)
	})

	it('refuses with 503 shutting_down while the server closes', async () => {
		const { server, room, token } = await serverWithRoom()
		const path = `/ws/${room.roomId}`
		// A socket that never answers the server's close frame holds the shutdown for its grace second.
		const stuck = net.connect(server.port, '127.0.0.1')
		cleanups.push(() => stuck.destroy())
		let received = 0
		stuck.on('data', (chunk: Buffer) => {
			received += chunk.length
		})
		stuck.once('connect', () => stuck.write(upgradeRequest(path, participantProtocols(token))))
		await waitFor(() => server.app.websocketConnections.size === 1)
		await waitFor(() => received > 0)
		const before = received
		const closed = server.app.close()
		// The close frame (1012) went out: the server is closing and still listening.
		await waitFor(() => received > before)
		expect(await rawUpgrade(server.port, path, participantProtocols(token))).toEqual(refusal(503, 'shutting_down'))
		await closed
	})
})
