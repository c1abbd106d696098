import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import * as encoding from 'lib0/encoding'
import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import { startServerProcess, type ServerProcess } from './support/server-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'
import { waitFor } from './support/wait-for'
import { credentialProtocols, type YCredential } from './support/y-client'

/** The operator token the tests that read `/api/metrics` start their server with. */
const METRICS_TOKEN = 'ws-server-test-metrics-token'

/** Credentials of the rooms {@link createRoom} made: the participant token and view token of each. */
const roomCredentials = new Map<string, { participantToken: string; viewToken: string }>()

/**
 * The subprotocols a client of `roomId` offers: `{ key }` as the facilitator, `{ view: '1' }` with the room's
 * view token, otherwise the participant token of the room's participant.
 */
function protocolsFor(roomId: string, params: Record<string, string> = {}): string[] {
	const known = roomCredentials.get(roomId)
	const credential: YCredential = params.key
		? { key: params.key }
		: params.view
			? { viewToken: known?.viewToken }
			: { participantToken: known?.participantToken }
	return credentialProtocols(credential)
}

/** One y-websocket client, as any official client connects. */
function client(server: ServerProcess, roomId: string, params: Record<string, string> = {}) {
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(server.wsUrl, roomId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		protocols: protocolsFor(roomId, params),
	})
	const synced = new Promise<void>((resolve) => {
		if (provider.synced) resolve()
		else provider.once('sync', (isSynced: boolean) => isSynced && resolve())
	})
	return { doc, provider, synced, records: doc.getMap<unknown>(RECORDS_MAP) }
}

type Client = ReturnType<typeof client>
const clients: Client[] = []
function open(server: ServerProcess, roomId: string, params?: Record<string, string>): Client {
	const c = client(server, roomId, params)
	clients.push(c)
	return c
}
afterEach(() => {
	for (const c of clients.splice(0)) {
		c.provider.destroy()
		c.doc.destroy()
	}
})

async function createRoom(
	server: ServerProcess,
	templateId = 'blanco'
): Promise<{ roomId: string; facilitatorKey: string }> {
	const res = await fetch(`${server.baseUrl}/api/rooms`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ templateId }),
	})
	expect(res.status).toBe(201)
	const room = (await res.json()) as { roomId: string; facilitatorKey: string; joinCode: string; viewToken: string }
	const joined = await fetch(`${server.baseUrl}/api/join/${room.joinCode}`, { method: 'POST' })
	expect(joined.status).toBe(201)
	const { participantToken } = (await joined.json()) as { participantToken: string }
	roomCredentials.set(room.roomId, { participantToken, viewToken: room.viewToken })
	return room
}

/** Opens a websocket that the server must refuse; resolves with the HTTP status and JSON body of the answer. */
function refusal(url: string, protocols: string[] = []): Promise<{ status: number; body: unknown }> {
	const ws = new WebSocket(url, protocols)
	return new Promise((resolve, reject) => {
		ws.once('open', () => reject(new Error(`${url} was upgraded`)))
		ws.once('unexpected-response', (_req, response) => {
			let text = ''
			response.setEncoding('utf8')
			response.on('data', (chunk: string) => (text += chunk))
			response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text ? JSON.parse(text) : null }))
		})
	})
}

/** A raw websocket to the y-websocket endpoint, resolving with its close code. */
function rawSocket(server: ServerProcess, roomId: string) {
	const ws = new WebSocket(`${server.wsUrl}/${roomId}`, protocolsFor(roomId))
	const opened = new Promise<void>((resolve, reject) => {
		ws.once('open', () => resolve())
		ws.once('error', reject)
	})
	const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
	return { ws, opened, closed }
}

/** A valid tldraw record (a note on the page) carrying `meta`: the server accepts only valid records. */
function rec(id: string, meta: Record<string, unknown> = {}) {
	return noteShapeRecord({ id, parentId: PAGE_ID, index: 'a1', x: 0, y: 0, text: '', scale: 1, meta: meta as never })
}

describe('y-websocket server', () => {
	let server: ServerProcess
	beforeAll(async () => {
		server = await startServerProcess({ env: { MAX_MESSAGE_BYTES: String(64 * 1024) } })
	})
	afterAll(async () => {
		await server?.stop()
	})

	it('two official clients converge, and a client joining late gets the full state', async () => {
		const { roomId } = await createRoom(server)
		const a = open(server, roomId)
		const b = open(server, roomId)
		await Promise.all([a.synced, b.synced])
		// The server seeded the room before anyone connected: the first sync carries the structure.
		expect(a.records.get('document:document')).toBeTruthy()
		expect(a.records.get('page:page')).toBeTruthy()
		a.records.set('shape:from-a', rec('shape:from-a', { x: 1 }))
		b.records.set('shape:from-b', rec('shape:from-b', { x: 2 }))
		await waitFor(() => a.records.has('shape:from-b') && b.records.has('shape:from-a'))
		expect(a.records.toJSON()).toEqual(b.records.toJSON())

		const late = open(server, roomId)
		await late.synced
		expect(late.records.toJSON()).toEqual(a.records.toJSON())
	})

	it('removes the awareness state of a closed connection for everyone else', async () => {
		const { roomId } = await createRoom(server)
		const a = open(server, roomId)
		const b = open(server, roomId)
		await Promise.all([a.synced, b.synced])
		a.provider.awareness.setLocalStateField('user', { name: 'Anna' })
		await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID))
		a.provider.destroy()
		await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), {
			message: 'awareness of the closed client removed',
		})
	})

	it('refuses unknown rooms on REST and on the websocket', async () => {
		const res = await fetch(`${server.baseUrl}/api/rooms/does-not-exist-at-all-123`)
		expect(res.status).toBe(404)
		expect(await res.json()).toEqual({ error: { code: 'room_not_found', message: expect.any(String) } })
		expect(await refusal(`${server.wsUrl}/does-not-exist-at-all-123`)).toEqual({
			status: 404,
			body: { error: { code: 'room_not_found', message: expect.any(String) } },
		})
		// Nothing but one room id after /ws/ is a websocket endpoint.
		expect((await refusal(`${server.wsUrl}/does-not-exist/more`)).status).toBe(404)
		expect((await refusal(`${server.baseUrl.replace('http', 'ws')}/api/health`)).status).toBe(404)
	})

	it('refuses a wrong facilitator key with 403 before the upgrade, and accepts the right one', async () => {
		const { roomId, facilitatorKey } = await createRoom(server)
		expect(await refusal(`${server.wsUrl}/${roomId}`, credentialProtocols({ key: 'not-the-key' }))).toEqual({
			status: 403,
			body: { error: { code: 'bad_key', message: expect.any(String) } },
		})
		// No credential at all, or one in the query as older clients sent it: 401.
		for (const url of [`${server.wsUrl}/${roomId}`, `${server.wsUrl}/${roomId}?key=${facilitatorKey}`]) {
			expect(await refusal(url)).toEqual({
				status: 401,
				body: { error: { code: 'credential_required', message: expect.any(String) } },
			})
		}
		const facilitator = open(server, roomId, { key: facilitatorKey })
		await facilitator.synced
		facilitator.records.set('shape:by-facilitator', rec('shape:by-facilitator'))
		const other = open(server, roomId)
		await other.synced
		await waitFor(() => other.records.has('shape:by-facilitator'))
	})

	it('answers invalid JSON and bad bodies with a 400 JSON error', async () => {
		const bad = await fetch(`${server.baseUrl}/api/rooms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"templateId": ',
		})
		expect(bad.status).toBe(400)
		expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_json')
		const unknown = await fetch(`${server.baseUrl}/api/rooms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ templateId: 'nope' }),
		})
		expect(unknown.status).toBe(400)
		const missing = await fetch(`${server.baseUrl}/api/rooms`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({}),
		})
		expect(missing.status).toBe(400)
	})

	it('closes only the offending socket on malformed, text and oversized frames', async () => {
		const { roomId } = await createRoom(server)
		const other = await createRoom(server)
		const a = open(server, roomId)
		const b = open(server, roomId)
		const c = open(server, other.roomId)
		await Promise.all([a.synced, b.synced, c.synced])

		const garbage = rawSocket(server, roomId)
		await garbage.opened
		// A sync "update" whose payload is not a Yjs update.
		const enc = encoding.createEncoder()
		encoding.writeVarUint(enc, 0)
		encoding.writeVarUint(enc, 2)
		encoding.writeVarUint8Array(enc, new Uint8Array([255, 255, 255, 255, 255, 1, 2, 3]))
		garbage.ws.send(encoding.toUint8Array(enc))
		expect([1003, 1007]).toContain(await garbage.closed)

		const unknownType = rawSocket(server, roomId)
		await unknownType.opened
		unknownType.ws.send(new Uint8Array([99, 1, 2]))
		expect(await unknownType.closed).toBe(1007)

		const text = rawSocket(server, roomId)
		await text.opened
		text.ws.send('hello')
		expect(await text.closed).toBe(1003)

		const big = rawSocket(server, roomId)
		await big.opened
		big.ws.send(new Uint8Array(64 * 1024 + 1))
		expect(await big.closed).toBe(1009)

		// Everyone else is unaffected, in this room and in the other.
		a.records.set('shape:after', rec('shape:after'))
		c.records.set('shape:other', rec('shape:other'))
		await waitFor(() => b.records.has('shape:after'))
		expect(a.provider.wsconnected && b.provider.wsconnected && c.provider.wsconnected).toBe(true)
		const health = await fetch(`${server.baseUrl}/api/health`)
		expect(await health.json()).toMatchObject({ status: 'ok' })
	})

	it('a viewer receives the board but its updates are dropped', async () => {
		const { roomId } = await createRoom(server)
		const editor = open(server, roomId)
		const viewer = open(server, roomId, { view: '1' })
		await Promise.all([editor.synced, viewer.synced])
		viewer.records.set('shape:from-viewer', rec('shape:from-viewer'))
		editor.records.set('shape:from-editor', rec('shape:from-editor'))
		await waitFor(() => viewer.records.has('shape:from-editor'))
		const late = open(server, roomId)
		await late.synced
		expect(late.records.has('shape:from-editor')).toBe(true)
		expect(late.records.has('shape:from-viewer')).toBe(false)
	})
})

describe('durability', () => {
	it('keeps the board across a graceful restart, closing sockets with 1012', { timeout: 180_000 }, async () => {
		const dataDir = await makeTempDir()
		const server = await startServerProcess({ dataDir })
		try {
			const { roomId } = await createRoom(server)
			const a = open(server, roomId)
			await a.synced
			a.records.set('shape:kept', rec('shape:kept', { x: 42 }))
			const watcher = open(server, roomId)
			await watcher.synced
			await waitFor(() => watcher.records.has('shape:kept'))
			const raw = rawSocket(server, roomId)
			await raw.opened
			// A client that stops reading never answers the close frame: the server cuts it and still exits.
			const frozen = rawSocket(server, roomId)
			await frozen.opened
			;(frozen.ws as unknown as { _socket: { pause(): void } })._socket.pause()
			// A clean exit (code 0) means the shutdown finished inside the server's own 2 s deadline.
			const exit = await server.stop()
			expect(exit.code).toBe(0)
			expect(await raw.closed).toBe(1012)
			frozen.ws.terminate()
			await server.restart()
			const fresh = open(server, roomId)
			await fresh.synced
			expect(fresh.records.get('shape:kept')).toEqual(rec('shape:kept', { x: 42 }))
		} finally {
			await server.stop()
			await removeTempDir(dataDir)
		}
	})

	// crash (the default) broadcasts once an update is committed to the WAL, before its fsync; power after it.
	it.each([
		['crash (default)', {}],
		['power', { DURABILITY: 'power' }],
	] as const)(
		'DURABILITY=%s: after kill -9 right after a burst of 500 updates another client received, every one is there',
		{
			timeout: 180_000,
		},
		async (mode, env) => {
			const server = await startServerProcess({ env: { ...env, METRICS_TOKEN } })
			try {
				const metrics = await (
					await fetch(`${server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
				).json()
				expect(metrics.durability).toBe(mode.split(' ')[0])
				const { roomId } = await createRoom(server)
				const writer = open(server, roomId)
				const reader = open(server, roomId)
				await Promise.all([writer.synced, reader.synced])
				for (let i = 0; i < 500; i++) writer.records.set(`shape:burst-${i}`, rec(`shape:burst-${i}`, { i }))
				await waitFor(
					() => {
						for (let i = 0; i < 500; i++) if (!reader.records.has(`shape:burst-${i}`)) return false
						return true
					},
					{ message: 'reader received the whole burst' }
				)
				const exit = await server.kill9()
				expect(exit.signal).toBe('SIGKILL')
				writer.provider.destroy()
				reader.provider.destroy()
				await server.restart()
				const after = open(server, roomId)
				await after.synced
				for (let i = 0; i < 500; i++)
					expect(after.records.get(`shape:burst-${i}`)).toEqual(rec(`shape:burst-${i}`, { i }))
			} finally {
				await server.stop()
			}
		}
	)
})

describe('power-safe step (DURABILITY=crash)', () => {
	it('fsyncs every broadcast update shortly after its commit, and reports both times and the lag', {
		timeout: 120_000,
	}, async () => {
		const server = await startServerProcess({ env: { METRICS_TOKEN } })
		const auth = { authorization: `Bearer ${METRICS_TOKEN}` }
		type Summary = { count: number; p50: number | null; p99: number | null; max: number | null }
		const metrics = async () =>
			(await (await fetch(`${server.baseUrl}/api/metrics`, { headers: auth })).json()) as {
				durability: string
				durableMs: Summary
				powerSafeMs: Summary
				powerSafeLagMs: number
			}
		try {
			const { roomId } = await createRoom(server)
			const writer = open(server, roomId)
			const reader = open(server, roomId)
			await Promise.all([writer.synced, reader.synced])
			await fetch(`${server.baseUrl}/api/metrics`, { method: 'DELETE', headers: auth })
			for (let i = 0; i < 200; i++) writer.records.set(`shape:safe-${i}`, rec(`shape:safe-${i}`, { i }))
			await waitFor(() => reader.records.has('shape:safe-199'), { message: 'reader received the burst' })
			// Every committed update is reported power-safe once the commit thread's fdatasync of the WAL returned.
			let m = await metrics()
			const deadline = Date.now() + 10_000
			while (m.powerSafeMs.count < m.durableMs.count || m.powerSafeLagMs > 0) {
				if (Date.now() > deadline) throw new Error(`not power-safe: ${JSON.stringify(m)}`)
				await new Promise((r) => setTimeout(r, 20))
				m = await metrics()
			}
			expect(m.durability).toBe('crash')
			expect(m.durableMs.count).toBeGreaterThan(0)
			expect(m.powerSafeMs.count).toBe(m.durableMs.count)
			// Power-safe follows the commit: never sooner, and bounded (generously: the machine is shared).
			expect(m.powerSafeMs.p50).toBeGreaterThanOrEqual(m.durableMs.p50 ?? 0)
			expect(m.powerSafeMs.max).toBeLessThan(5000)
			const health = (await (await fetch(`${server.baseUrl}/api/health`)).json()) as {
				status: string
				checks: Record<string, { ok: boolean }>
			}
			expect(health.checks.powerSafe).toEqual({ ok: true })
			expect(health.status).toBe('ok')
			const prom = await (await fetch(`${server.baseUrl}/metrics`, { headers: auth })).text()
			expect(prom).toMatch(/^kompasbord_power_safe_duration_seconds_count [1-9]/m)
			expect(prom).toMatch(/^kompasbord_power_safe_lag_seconds 0$/m)
			writer.provider.destroy()
			reader.provider.destroy()
		} finally {
			await server.stop()
		}
	})
})

describe('dead sockets', () => {
	it('terminates a socket that stops answering pings, and removes its presence', { timeout: 120_000 }, async () => {
		const server = await startServerProcess({ env: { PING_INTERVAL_MS: '300', METRICS_TOKEN } })
		try {
			const { roomId } = await createRoom(server)
			const watcher = open(server, roomId)
			const dead = open(server, roomId)
			await Promise.all([watcher.synced, dead.synced])
			dead.provider.awareness.setLocalStateField('user', { name: 'Weg' })
			await waitFor(() => watcher.provider.awareness.getStates().has(dead.doc.clientID))
			const metrics = async () =>
				(
					(await (
						await fetch(`${server.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
					).json()) as {
						connections: number
					}
				).connections
			expect(await metrics()).toBe(2)
			// Freeze the client's TCP socket: it no longer reads pings, so it never answers with a pong
			// (a phone that walked out of wifi range). Its own reconnect timer is stopped too.
			const ws = dead.provider.ws as unknown as { _socket: { pause(): void } }
			dead.provider.shouldConnect = false
			ws._socket.pause()
			await waitFor(async () => (await metrics()) === 1, { timeout: 30_000, message: 'dead socket terminated' })
			await waitFor(() => !watcher.provider.awareness.getStates().has(dead.doc.clientID), {
				message: 'presence of the dead socket removed',
			})
		} finally {
			await server.stop()
		}
	})
})
