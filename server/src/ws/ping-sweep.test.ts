import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocket, WebSocketServer } from 'ws'
import { PingSweep, markAlive, type PingTarget } from './ping-sweep'

/** A server-side socket the sweep can watch. */
class WatchedSocket extends WebSocket implements PingTarget {
	isAlive = true
}

function fake(name: string): PingTarget & { name: string; pings: number; terminated: boolean } {
	return {
		name,
		isAlive: true,
		pings: 0,
		terminated: false,
		ping() {
			this.pings++
		},
		terminate() {
			this.terminated = true
		},
	}
}

describe('PingSweep', () => {
	it('pings every socket, and terminates only those that did not answer the previous ping', () => {
		const a = fake('a')
		const b = fake('b')
		const dead: string[] = []
		const sweep = new PingSweep([a, b], 1000, (t) => dead.push(t.name))
		expect(sweep.sweep()).toBe(0)
		expect([a.pings, b.pings]).toEqual([1, 1])
		markAlive.call(a)
		expect(sweep.sweep()).toBe(1)
		expect(dead).toEqual(['b'])
		expect(b.terminated).toBe(true)
		expect(a.terminated).toBe(false)
		expect(a.pings).toBe(2)
	})

	it('terminates a socket whose ping throws', () => {
		const broken = fake('broken')
		broken.ping = () => {
			throw new Error('socket gone')
		}
		new PingSweep([broken], 1000).sweep()
		expect(broken.terminated).toBe(true)
	})

	it('does not start a timer for an interval of 0', () => {
		const sweep = new PingSweep([], 0)
		sweep.start()
		expect((sweep as unknown as { timer: unknown }).timer).toBeNull()
	})
})

describe('PingSweep over real sockets', () => {
	let server: WebSocketServer | null = null
	const clients: WebSocket[] = []
	afterEach(async () => {
		for (const client of clients.splice(0)) client.terminate()
		await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
		server = null
	})

	it('terminates the socket that stops answering pongs; the others stay open', async () => {
		const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', WebSocket: WatchedSocket })
		server = wss
		await new Promise<void>((resolve) => wss.once('listening', () => resolve()))
		const serverSockets: WatchedSocket[] = []
		wss.on('connection', (socket: WatchedSocket) => {
			socket.on('pong', markAlive)
			serverSockets.push(socket)
		})
		const url = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`
		for (let i = 0; i < 3; i++) {
			const client = new WebSocket(url)
			clients.push(client)
			await new Promise((resolve) => client.once('open', resolve))
		}
		while (serverSockets.length < 3) await new Promise((resolve) => wss.once('connection', resolve))
		const [live1, frozen, live2] = serverSockets
		// The client's TCP socket no longer reads: it never sees the ping, so it never answers.
		;(clients[1] as unknown as { _socket: { pause(): void } })._socket.pause()

		const dead: WatchedSocket[] = []
		const sweep = new PingSweep(wss.clients as Set<WatchedSocket>, 60_000, (socket) => dead.push(socket))
		const pongs = Promise.all([live1, live2].map((s) => new Promise((resolve) => s.once('pong', resolve))))
		expect(sweep.sweep()).toBe(0)
		await pongs
		expect(frozen.isAlive).toBe(false)

		const frozenClosed = new Promise((resolve) => frozen.once('close', resolve))
		const again = Promise.all([live1, live2].map((s) => new Promise((resolve) => s.once('pong', resolve))))
		expect(sweep.sweep()).toBe(1)
		expect(dead).toEqual([frozen])
		await frozenClosed
		expect(wss.clients.size).toBe(2)
		expect(live1.readyState).toBe(WebSocket.OPEN)
		expect(live2.readyState).toBe(WebSocket.OPEN)

		// The live ones keep answering, round after round.
		await again
		expect(sweep.sweep()).toBe(0)
		expect([live1.readyState, live2.readyState]).toEqual([WebSocket.OPEN, WebSocket.OPEN])
	})
})
