import { describe, expect, it } from 'vitest'
import type { NoteBody } from '@kompasbord/shared'
import { Outbox, backoffDelay, type KeyValueStorage, type OutboxItem, type SendOutcome } from './outbox'

class MemoryStorage implements KeyValueStorage {
	readonly map = new Map<string, string>()
	getItem(key: string) {
		return this.map.get(key) ?? null
	}
	setItem(key: string, value: string) {
		this.map.set(key, value)
	}
}

/** A manual clock and timer queue. */
class Timers {
	now = 0
	private timers: { at: number; fn: () => void; id: number }[] = []
	private nextId = 0
	schedule = (fn: () => void, ms: number) => {
		const id = this.nextId++
		this.timers.push({ at: this.now + ms, fn, id })
		return () => {
			this.timers = this.timers.filter((t) => t.id !== id)
		}
	}
	/** Moves time to the next timer and runs it; false when none is left. */
	runNext(): boolean {
		if (this.timers.length === 0) return false
		this.timers.sort((a, b) => a.at - b.at)
		const timer = this.timers.shift()!
		this.now = Math.max(this.now, timer.at)
		timer.fn()
		return true
	}
	get pending() {
		return this.timers.length
	}
}

/** The server's side: idempotent on clientNoteId, like POST /api/rooms/:roomId/notes. */
class FakeServer {
	readonly notes = new Map<string, string>()
	accept(body: NoteBody): string {
		let noteId = this.notes.get(body.clientNoteId)
		if (!noteId) {
			noteId = `shape:${this.notes.size}`
			this.notes.set(body.clientNoteId, noteId)
		}
		return noteId
	}
}

function body(n: number): NoteBody {
	return { zoneId: 'dos', text: `notitie ${n}`, clientNoteId: `client-note-${n}` }
}

const flushMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0))

describe('backoffDelay', () => {
	it('doubles up to the cap and jitters within the upper half', () => {
		expect(backoffDelay(1, 1000, 30_000, () => 0)).toBe(500)
		expect(backoffDelay(1, 1000, 30_000, () => 1)).toBe(1000)
		expect(backoffDelay(3, 1000, 30_000, () => 1)).toBe(4000)
		expect(backoffDelay(3, 1000, 30_000, () => 0)).toBe(2000)
		expect(backoffDelay(20, 1000, 30_000, () => 1)).toBe(30_000)
		expect(backoffDelay(20, 1000, 30_000, () => 0)).toBe(15_000)
	})
})

describe('Outbox', () => {
	it('keeps notes while offline, stored, and sends them once the browser is online again', async () => {
		const storage = new MemoryStorage()
		const timers = new Timers()
		const server = new FakeServer()
		let online = false
		const sent: string[] = []
		const outbox = new Outbox({
			storage,
			key: 'q',
			isOnline: () => online,
			now: () => timers.now,
			schedule: timers.schedule,
			send: async (item) => ({ kind: 'sent', noteId: server.accept(item.body), status: 'placed' }),
		})
		outbox.subscribe((event) => {
			if (event.type === 'sent') sent.push(event.noteId)
		})
		outbox.add('room', body(1))
		outbox.add('room', body(2))
		await outbox.flush()
		expect(server.notes.size).toBe(0)
		expect(JSON.parse(storage.getItem('q')!)).toHaveLength(2)
		// A reload while offline finds the notes again.
		expect(
			new Outbox({ storage, key: 'q', send: async () => ({ kind: 'retry', code: 'network', message: '' }) }).items()
		).toHaveLength(2)
		online = true
		outbox.wake()
		await outbox.flush()
		expect([...server.notes.keys()]).toEqual(['client-note-1', 'client-note-2'])
		expect(sent).toEqual(['shape:0', 'shape:1'])
		expect(outbox.items()).toEqual([])
		expect(timers.pending).toBe(0)
	})

	it('retries a note whose answer was lost, and the server keeps one', async () => {
		const storage = new MemoryStorage()
		const timers = new Timers()
		const server = new FakeServer()
		let calls = 0
		const outbox = new Outbox({
			storage,
			key: 'q',
			now: () => timers.now,
			random: () => 0.5,
			schedule: timers.schedule,
			send: async (item) => {
				calls++
				server.accept(item.body)
				if (calls === 1) return { kind: 'retry', code: 'network', message: 'answer lost' }
				return { kind: 'sent', noteId: server.accept(item.body), status: 'placed' }
			},
		})
		outbox.add('room', body(1))
		await outbox.flush()
		expect(outbox.items()[0]).toMatchObject({ attempts: 1, nextAttemptAt: 750, error: { code: 'network' } })
		expect(timers.runNext()).toBe(true)
		await outbox.flush()
		expect(timers.now).toBe(750)
		expect(calls).toBe(2)
		expect(server.notes.size).toBe(1)
		expect(outbox.items()).toEqual([])
	})

	it('waits at least Retry-After on a 429, and backs off longer each time', async () => {
		const timers = new Timers()
		const attemptsAt: number[] = []
		const outbox = new Outbox({
			storage: new MemoryStorage(),
			key: 'q',
			now: () => timers.now,
			random: () => 1,
			schedule: timers.schedule,
			send: async () => {
				attemptsAt.push(timers.now)
				if (attemptsAt.length === 1) return { kind: 'retry', code: 'rate_limited', message: '', retryAfterMs: 7000 }
				if (attemptsAt.length < 5) return { kind: 'retry', code: 'internal', message: '' }
				return { kind: 'sent', noteId: 'shape:x', status: 'placed' }
			},
		})
		outbox.add('room', body(1))
		await outbox.flush()
		while (timers.runNext()) await flushMicrotasks()
		// 7 s (Retry-After beats the 1 s backoff), then 2 s, 4 s, 8 s.
		expect(attemptsAt).toEqual([0, 7000, 9000, 13_000, 21_000])
		expect(outbox.items()).toEqual([])
	})

	it('keeps a rejected note, visibly, without retrying, until it is discarded', async () => {
		const timers = new Timers()
		let calls = 0
		const outbox = new Outbox({
			storage: new MemoryStorage(),
			key: 'q',
			now: () => timers.now,
			schedule: timers.schedule,
			send: async () => {
				calls++
				return { kind: 'rejected', code: 'unknown_zone', message: 'no zone' }
			},
		})
		outbox.add('room', body(1))
		await outbox.flush()
		expect(outbox.items()).toMatchObject([{ state: 'rejected', error: { code: 'unknown_zone' } }])
		expect(timers.pending).toBe(0)
		outbox.wake()
		await outbox.flush()
		expect(calls).toBe(1)
		outbox.discard('client-note-1')
		expect(outbox.items()).toEqual([])
	})

	it('delivers every note exactly once through lost answers, reloads and a second tab (200 random runs)', async () => {
		for (let seed = 1; seed <= 200; seed++) {
			let state = seed
			const random = () => {
				state = (state * 1103515245 + 12345) % 2147483648
				return state / 2147483648
			}
			const storage = new MemoryStorage()
			const timers = new Timers()
			const server = new FakeServer()
			const delivered = new Map<string, string[]>()
			const send = async (item: OutboxItem): Promise<SendOutcome> => {
				await Promise.resolve()
				const r = random()
				if (r < 0.25) return { kind: 'retry', code: 'network', message: 'request lost' }
				const noteId = server.accept(item.body)
				if (r < 0.5) return { kind: 'retry', code: 'network', message: 'answer lost' }
				if (r < 0.6) return { kind: 'retry', code: 'rate_limited', message: '', retryAfterMs: 2000 }
				return { kind: 'sent', noteId, status: 'placed' }
			}
			const open = () => {
				const outbox = new Outbox({ storage, key: 'q', now: () => timers.now, random, schedule: timers.schedule, send })
				outbox.subscribe((event) => {
					if (event.type !== 'sent') return
					const ids = delivered.get(event.item.body.clientNoteId) ?? []
					ids.push(event.noteId)
					delivered.set(event.item.body.clientNoteId, ids)
				})
				return outbox
			}
			let tab = open()
			const otherTab = open()
			const count = 1 + Math.floor(random() * 6)
			for (let n = 0; n < count; n++) {
				tab.add('room', body(n))
				if (random() < 0.3) {
					// Reload: the old page's timer dies with it.
					tab.stop()
					tab = open()
					tab.wake()
				}
				if (random() < 0.3) otherTab.wake()
			}
			for (let i = 0; i < 500 && (tab.items().length > 0 || timers.pending > 0); i++) {
				if (!timers.runNext()) tab.wake()
				await flushMicrotasks()
			}
			await tab.flush()
			await otherTab.flush()
			expect(tab.items(), `seed ${seed}`).toEqual([])
			expect(server.notes.size, `seed ${seed}`).toBe(count)
			for (let n = 0; n < count; n++) {
				const id = server.notes.get(`client-note-${n}`)
				// Whichever tab heard the answer, it is the one note the server made.
				expect(new Set(delivered.get(`client-note-${n}`)), `seed ${seed}`).toEqual(new Set([id]))
			}
			tab.stop()
			otherTab.stop()
		}
	})
})
