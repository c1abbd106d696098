/**
 * The phone's outbox: notes wait here (in localStorage, with their `clientNoteId`) until the server has
 * answered for them, so a note written on flaky wifi is sent when the connection comes back — and, since the
 * server is idempotent on `clientNoteId`, exactly once, even when an answer is lost, the page reloads, or two
 * tabs retry the same note.
 *
 * Retries back off exponentially with jitter (so a venue's phones do not all retry in the same instant when the
 * wifi returns), honour `Retry-After`, and restart at once when the browser says it is online again.
 */
import type { NoteBody, PublicNoteStatus } from '@kompasbord/shared'

/** A note waiting in the outbox. */
export interface OutboxItem {
	roomId: string
	body: NoteBody
	queuedAt: number
	/** Failed attempts so far. */
	attempts: number
	/** Epoch ms of the next attempt. */
	nextAttemptAt: number
	/** `rejected`: the server refused it for good (e.g. an unknown zone); it stays until discarded. */
	state: 'waiting' | 'rejected'
	/** Why the last attempt failed. */
	error?: { code: string; message: string }
}

/** What one attempt to send an item came to. */
export type SendOutcome =
	| { kind: 'sent'; noteId: string; status: PublicNoteStatus }
	/** Try again later: no connection, a 5xx, or a 429 (then with the server's `retryAfterMs`). */
	| { kind: 'retry'; code: string; message: string; retryAfterMs?: number }
	| { kind: 'rejected'; code: string; message: string }

/** What subscribers hear. */
export type OutboxEvent =
	| { type: 'changed' }
	| { type: 'sent'; item: OutboxItem; noteId: string; status: PublicNoteStatus }

/** The part of `Storage` the outbox uses. */
export interface KeyValueStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
	removeItem?(key: string): void
}

/** What an {@link Outbox} needs from its surroundings (tests pass their own). */
export interface OutboxOptions {
	storage: KeyValueStorage
	/** Storage key of the queue. */
	key: string
	send(item: OutboxItem): Promise<SendOutcome>
	/** Whether the browser thinks it is online (`navigator.onLine`); attempts wait while it is not. */
	isOnline?: () => boolean
	now?: () => number
	random?: () => number
	/** Runs `fn` after `ms`; returns a function that cancels it. */
	schedule?: (fn: () => void, ms: number) => () => void
	/** First retry delay (default 1 s). */
	baseDelayMs?: number
	/** Longest retry delay (default 30 s). */
	maxDelayMs?: number
}

/**
 * The delay before retry number `attempts` (1 = the first retry): exponential from `baseMs`, capped at `maxMs`,
 * with "equal jitter" — a random point in the upper half — so the delay grows yet retries spread out.
 */
export function backoffDelay(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
	const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1))
	return Math.round(cap / 2 + random() * (cap / 2))
}

/** @see Outbox */
export class Outbox {
	private readonly listeners = new Set<(event: OutboxEvent) => void>()
	private readonly inFlight = new Set<string>()
	private memory: OutboxItem[] = []
	private flushing: Promise<void> | null = null
	private again = false
	private cancelTimer: (() => void) | null = null
	private readonly now: () => number
	private readonly random: () => number
	private readonly isOnline: () => boolean
	private readonly schedule: (fn: () => void, ms: number) => () => void

	constructor(private readonly options: OutboxOptions) {
		this.now = options.now ?? Date.now
		this.random = options.random ?? Math.random
		this.isOnline = options.isOnline ?? (() => true)
		this.schedule =
			options.schedule ??
			((fn, ms) => {
				const timer = setTimeout(fn, ms)
				return () => clearTimeout(timer)
			})
		this.memory = this.read()
	}

	/** Items in the order they were written. Read from storage, so other tabs' changes show. */
	items(): OutboxItem[] {
		return this.read()
	}

	/** Whether an item is being sent right now. */
	isSending(clientNoteId: string): boolean {
		return this.inFlight.has(clientNoteId)
	}

	/** Queues a note (stored before anything is sent) and starts sending. */
	add(roomId: string, body: NoteBody): OutboxItem {
		const now = this.now()
		const item: OutboxItem = { roomId, body, queuedAt: now, attempts: 0, nextAttemptAt: now, state: 'waiting' }
		this.write([...this.read().filter((i) => i.body.clientNoteId !== body.clientNoteId), item])
		this.emit({ type: 'changed' })
		void this.flush()
		return item
	}

	/** Removes an item that has not been sent (a rejected note, or one the writer gave up on). */
	discard(clientNoteId: string): void {
		this.write(this.read().filter((i) => i.body.clientNoteId !== clientNoteId))
		this.emit({ type: 'changed' })
	}

	/** Makes every waiting item due now and sends (call on the browser's `online` event). */
	wake(): void {
		const now = this.now()
		this.write(
			this.read().map((i) => (i.state === 'waiting' ? { ...i, nextAttemptAt: Math.min(i.nextAttemptAt, now) } : i))
		)
		void this.flush()
	}

	/** Listens to changes and sent notes; returns the unsubscribe function. */
	subscribe(listener: (event: OutboxEvent) => void): () => void {
		this.listeners.add(listener)
		return () => this.listeners.delete(listener)
	}

	/** Stops the retry timer (the page is going away). */
	stop(): void {
		this.cancelTimer?.()
		this.cancelTimer = null
	}

	/**
	 * Sends every due item, one at a time, oldest first; resolves when this round is over. A round that is
	 * asked for while one runs follows it.
	 */
	flush(): Promise<void> {
		if (this.flushing) {
			this.again = true
			return this.flushing
		}
		this.flushing = (async () => {
			do {
				this.again = false
				await this.round()
			} while (this.again)
		})().finally(() => {
			this.flushing = null
			this.plan()
		})
		return this.flushing
	}

	private async round(): Promise<void> {
		if (!this.isOnline()) return
		for (const candidate of this.read()) {
			const due = candidate.state === 'waiting' && candidate.nextAttemptAt <= this.now()
			if (!due || this.inFlight.has(candidate.body.clientNoteId)) continue
			const id = candidate.body.clientNoteId
			this.inFlight.add(id)
			this.emit({ type: 'changed' })
			let outcome: SendOutcome
			try {
				outcome = await this.options.send(candidate)
			} catch (error) {
				outcome = { kind: 'retry', code: 'network', message: error instanceof Error ? error.message : String(error) }
			} finally {
				this.inFlight.delete(id)
			}
			// Re-read: the item may have been discarded, or changed by another tab, meanwhile.
			const current = this.read()
			const item = current.find((i) => i.body.clientNoteId === id)
			if (outcome.kind === 'sent') {
				this.write(current.filter((i) => i.body.clientNoteId !== id))
				this.emit({ type: 'sent', item: item ?? candidate, noteId: outcome.noteId, status: outcome.status })
				this.emit({ type: 'changed' })
				continue
			}
			if (!item) continue
			const attempts = item.attempts + 1
			const error = { code: outcome.code, message: outcome.message }
			if (outcome.kind === 'rejected') {
				this.replace({ ...item, attempts, state: 'rejected', error })
				continue
			}
			const delay = Math.max(
				outcome.retryAfterMs ?? 0,
				backoffDelay(attempts, this.options.baseDelayMs ?? 1000, this.options.maxDelayMs ?? 30_000, this.random)
			)
			this.replace({ ...item, attempts, nextAttemptAt: this.now() + delay, error })
			// No connection: the other items would fail the same way; they wait for the next round.
			if (outcome.code === 'network') return
		}
	}

	/** Sets the timer for the earliest waiting item. */
	private plan(): void {
		this.cancelTimer?.()
		this.cancelTimer = null
		const waiting = this.read().filter((i) => i.state === 'waiting')
		if (waiting.length === 0) return
		const next = Math.min(...waiting.map((i) => i.nextAttemptAt))
		this.cancelTimer = this.schedule(
			() => {
				this.cancelTimer = null
				void this.flush()
			},
			Math.max(0, next - this.now())
		)
	}

	private replace(item: OutboxItem): void {
		this.write(this.read().map((i) => (i.body.clientNoteId === item.body.clientNoteId ? item : i)))
		this.emit({ type: 'changed' })
	}

	private read(): OutboxItem[] {
		try {
			const raw = this.options.storage.getItem(this.options.key)
			if (raw === null) return this.memory
			const parsed = JSON.parse(raw) as unknown
			if (Array.isArray(parsed)) this.memory = parsed.filter(isItem)
		} catch {
			// Unreadable storage: keep what we had in memory.
		}
		return this.memory
	}

	private write(items: OutboxItem[]): void {
		this.memory = items
		try {
			this.options.storage.setItem(this.options.key, JSON.stringify(items))
		} catch {
			// Storage full or unavailable (private mode): the queue lives in memory for this page.
		}
	}

	private emit(event: OutboxEvent): void {
		for (const listener of [...this.listeners]) listener(event)
	}
}

function isItem(value: unknown): value is OutboxItem {
	const item = value as OutboxItem
	return (
		typeof item === 'object' &&
		item !== null &&
		typeof item.roomId === 'string' &&
		typeof item.body?.clientNoteId === 'string' &&
		typeof item.nextAttemptAt === 'number'
	)
}
