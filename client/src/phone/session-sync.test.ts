import { describe, expect, it } from 'vitest'
import { SessionSync, type PhoneSession } from './session-sync'

const timer = { durationSeconds: 0, endsAt: null, remainingSeconds: 0, running: false }

/** A fake server: answers quick requests at once and parks long polls until `change()`. */
function fakeServer(clockOffset: number) {
	let state = { phase: 'open', votesPerParticipant: 3, timer, tag: 't1' }
	let parked: (() => void)[] = []
	const urls: string[] = []
	const fetchImpl = (async (url: string, init?: RequestInit) => {
		urls.push(url)
		if (url.includes('wait=')) {
			const tag = new URL(url, 'http://x').searchParams.get('tag')
			if (tag === state.tag) {
				await new Promise<void>((resolve, reject) => {
					parked.push(resolve)
					init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
				})
			}
		}
		return new Response(JSON.stringify({ ...state, serverNow: Date.now() + clockOffset }), {
			status: 200,
			headers: { 'content-type': 'application/json' },
		})
	}) as typeof fetch
	return {
		fetchImpl,
		urls,
		change(next: Partial<typeof state>) {
			state = { ...state, ...next }
			const waiting = parked
			parked = []
			for (const resolve of waiting) resolve()
		},
	}
}

function nextState(sync: SessionSync): Promise<PhoneSession> {
	return new Promise((resolve) => {
		const off = sync.subscribe((state) => {
			off()
			resolve(state)
		})
	})
}

describe('SessionSync', () => {
	it('gets the state, long-polls for changes with the tag, and corrects the clock', async () => {
		const server = fakeServer(120_000)
		const sync = new SessionSync({
			roomId: 'r1',
			participantToken: 'p1.token',
			fetch: server.fetchImpl,
			isVisible: () => true,
		})
		const first = nextState(sync)
		sync.start()
		expect((await first).phase).toBe('open')
		expect(Math.abs(sync.serverNow() - (Date.now() + 120_000))).toBeLessThan(1000)
		expect(server.urls[0]).toBe('/api/rooms/r1/session')
		const second = nextState(sync)
		// The phone is waiting on the server now; the facilitator starts voting.
		await new Promise((resolve) => setImmediate(resolve))
		server.change({ phase: 'voting', tag: 't2' })
		expect((await second).phase).toBe('voting')
		expect(server.urls[1]).toContain('wait=25&tag=t1')
		sync.stop()
	})

	it('stops polling for a room that is gone', async () => {
		let calls = 0
		const fetchImpl = (async () => {
			calls++
			return new Response('{}', { status: 404 })
		}) as unknown as typeof fetch
		const sync = new SessionSync({
			roomId: 'r1',
			participantToken: 'p1.token',
			fetch: fetchImpl,
			isVisible: () => true,
			sleep: async () => {},
		})
		sync.start()
		await sync.whenStopped()
		expect(calls).toBe(1)
		sync.stop()
	})
})
