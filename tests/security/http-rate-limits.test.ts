import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, startServerInProcess, type InProcessServer } from '../support'

/**
 * Rate limits and timeouts of the HTTP side (issue 11, item 5): the join-code guessing limit cannot be reset
 * with a made-up `X-Forwarded-For`, room creation is limited per address and can need a token, the metrics
 * need the operator's token, and a body that trickles in times out.
 */
describe('join-code guessing', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess()
	})
	afterAll(async () => {
		await server?.close()
	})

	it('a rotating X-Forwarded-For does not reset the limit', async () => {
		const client = api(server.baseUrl)
		const statuses: number[] = []
		for (let attempt = 0; attempt < 25; attempt++) {
			const answer = await client.request('GET', '/api/join/ZZZZZ2', {
				headers: { 'x-forwarded-for': `203.0.113.${attempt + 1}` },
			})
			statuses.push(answer.status)
		}
		expect(statuses.slice(0, 20).every((status) => status === 404)).toBe(true)
		expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
		// Issuing participant tokens (POST) counts and is refused the same way.
		const post = await client.request('POST', '/api/join/ZZZZZ2', { headers: { 'x-forwarded-for': '198.51.100.7' } })
		expect(post.status).toBe(429)
	})
})

describe('TRUST_PROXY', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess({ env: { TRUST_PROXY: '127.0.0.1' } })
	})
	afterAll(async () => {
		await server?.close()
	})

	it('believes X-Forwarded-For from the named proxy: each client address has its own limit', async () => {
		const client = api(server.baseUrl)
		for (let attempt = 0; attempt < 20; attempt++) {
			expect(
				(await client.request('GET', '/api/join/ZZZZZ2', { headers: { 'x-forwarded-for': '203.0.113.1' } })).status
			).toBe(404)
		}
		expect(
			(await client.request('GET', '/api/join/ZZZZZ2', { headers: { 'x-forwarded-for': '203.0.113.1' } })).status
		).toBe(429)
		expect(
			(await client.request('GET', '/api/join/ZZZZZ2', { headers: { 'x-forwarded-for': '203.0.113.2' } })).status
		).toBe(404)
	})
})

describe('room creation', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess()
	})
	afterAll(async () => {
		await server?.close()
	})

	it('is limited per address (429 with Retry-After)', async () => {
		const client = api(server.baseUrl)
		const statuses: number[] = []
		for (let i = 0; i < 40; i++) {
			statuses.push((await client.request('POST', '/api/rooms', { body: { templateId: 'blanco' } })).status)
		}
		expect(statuses.filter((status) => status === 201)).toHaveLength(30)
		const refused = await client.request<{ error: { code: string } }>('POST', '/api/rooms', {
			body: { templateId: 'blanco' },
		})
		expect(refused.status).toBe(429)
		expect(refused.body.error.code).toBe('rate_limited')
		expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		expect((await client.health()).status).toBe('ok')
	})
})

describe('CREATE_ROOM_TOKEN', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess({ env: { CREATE_ROOM_TOKEN: 'room-token-for-this-host' } })
	})
	afterAll(async () => {
		await server?.close()
	})

	it('is required to create rooms when set', async () => {
		const client = api(server.baseUrl)
		const body = { templateId: 'blanco' }
		expect((await client.request('POST', '/api/rooms', { body })).status).toBe(401)
		expect((await client.request('POST', '/api/rooms', { body, token: 'wrong-token' })).status).toBe(403)
		expect((await client.request('POST', '/api/rooms', { body, token: 'room-token-for-this-host' })).status).toBe(201)
	})
})

describe('/api/metrics', () => {
	it('does not exist without METRICS_TOKEN', async () => {
		const server = await startServerInProcess()
		try {
			const client = api(server.baseUrl)
			expect((await client.request('GET', '/api/metrics')).status).toBe(404)
			expect((await client.request('DELETE', '/api/metrics')).status).toBe(404)
		} finally {
			await server.close()
		}
	})

	it('needs the token when METRICS_TOKEN is set', async () => {
		const server = await startServerInProcess({ env: { METRICS_TOKEN: 'metrics-token-0123' } })
		try {
			const client = api(server.baseUrl)
			for (const method of ['GET', 'DELETE']) {
				expect((await client.request(method, '/api/metrics')).status).toBe(401)
				expect((await client.request(method, '/api/metrics', { token: 'wrong' })).status).toBe(401)
			}
			const metrics = await client.request<Record<string, unknown>>('GET', '/api/metrics', {
				token: 'metrics-token-0123',
			})
			expect(metrics.status).toBe(200)
			expect(metrics.body).toHaveProperty('durableMs')
			expect((await client.request('DELETE', '/api/metrics', { token: 'metrics-token-0123' })).status).toBe(204)
		} finally {
			await server.close()
		}
	})
})

describe('a request body that trickles in', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess({ env: { REQUEST_TIMEOUT_MS: '1000' } })
	})
	afterAll(async () => {
		await server?.close()
	})

	it('times out (408 and the connection closed) instead of holding the connection', async () => {
		const socket = net.connect(server.port, '127.0.0.1')
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', resolve)
			socket.once('error', reject)
		})
		const started = Date.now()
		socket.write(
			'POST /api/rooms HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{'
		)
		// One byte every 100 ms: never idle long enough for an idle timeout, never complete.
		const drip = setInterval(() => {
			if (!socket.destroyed) socket.write(' ')
		}, 100)
		let answer = ''
		socket.setEncoding('utf8')
		socket.on('data', (chunk: string) => {
			answer += chunk
		})
		socket.on('error', () => {})
		const outcome = await new Promise<'closed' | 'still open'>((resolve) => {
			const bound = setTimeout(() => resolve('still open'), 10_000)
			socket.once('close', () => {
				clearTimeout(bound)
				resolve('closed')
			})
		})
		clearInterval(drip)
		socket.destroy()
		expect(outcome).toBe('closed')
		expect(Date.now() - started).toBeLessThan(8_000)
		expect(answer).toMatch(/^HTTP\/1\.1 408/)
	})
})
