import { afterEach, describe, expect, it, vi } from 'vitest'
import { OpenSockets, type ClosableSocket } from './open-sockets'

/** A socket that closes when told to, like a client that answers the close frame; or never, like a frozen one. */
function socket(sockets: OpenSockets<ClosableSocket>, answersClose: boolean) {
	const s = {
		closedWith: null as number | null,
		terminated: false,
		close(code: number) {
			s.closedWith = code
			if (answersClose) queueMicrotask(() => sockets.delete(s))
		},
		terminate() {
			s.terminated = true
			queueMicrotask(() => sockets.delete(s))
		},
	}
	sockets.add(s)
	return s
}

describe('OpenSockets', () => {
	afterEach(() => {
		vi.useRealTimers()
	})

	it('counts and iterates the open sockets', () => {
		const sockets = new OpenSockets<ClosableSocket>()
		const a = socket(sockets, true)
		const b = socket(sockets, true)
		expect(sockets.size).toBe(2)
		expect([...sockets]).toEqual([a, b])
		sockets.delete(a)
		expect([...sockets]).toEqual([b])
	})

	it('closeAll resolves at once without sockets', async () => {
		await new OpenSockets<ClosableSocket>().closeAll(1012, 'bye', 1000)
	})

	it('closeAll sends the code to every socket and resolves when all have closed', async () => {
		const sockets = new OpenSockets<ClosableSocket>()
		const all = [socket(sockets, true), socket(sockets, true)]
		await sockets.closeAll(1012, 'server restarting', 60_000)
		expect(all.map((s) => s.closedWith)).toEqual([1012, 1012])
		expect(all.some((s) => s.terminated)).toBe(false)
		expect(sockets.size).toBe(0)
	})

	it('closeAll terminates, after the grace period, the sockets that did not close', async () => {
		vi.useFakeTimers()
		const sockets = new OpenSockets<ClosableSocket>()
		const polite = socket(sockets, true)
		const frozen = socket(sockets, false)
		let done = false
		const closing = sockets.closeAll(1012, 'server restarting', 1000).then(() => (done = true))
		await vi.advanceTimersByTimeAsync(999)
		expect(done).toBe(false)
		expect(frozen.terminated).toBe(false)
		await vi.advanceTimersByTimeAsync(1)
		await closing
		expect(frozen.terminated).toBe(true)
		expect(polite.terminated).toBe(false)
	})
})
