import { Worker } from 'node:worker_threads'
import type { StoredUpdate } from './room-records'

/** Options of {@link UpdateWriter}. */
export interface UpdateWriterOptions {
	/** The SQLite file; it must exist with the `room_updates` table and be in WAL mode. */
	file: string
	/** `synchronous` pragma of the writer's connection: FULL (survives power loss) or NORMAL. */
	synchronous: 'FULL' | 'NORMAL'
	/** How long a commit waits for the write lock held by another connection (ms). */
	busyTimeoutMs: number
	/** Called when the commit thread ends unexpectedly; the next append starts a new one. */
	onThreadError?: (error: Error) => void
	/**
	 * Messages (each one transaction, or several taken together) the thread may have at a time; appends made
	 * while that many are out wait and go as one message (default {@link DEFAULT_MAX_IN_FLIGHT}).
	 */
	maxInFlight?: number
	/**
	 * The buffer of a `WalGrowth` (wal-growth.ts): the thread counts each transaction it commits there, for the checkpoint
	 * thread.
	 */
	walGrowth?: SharedArrayBuffer
}

/** See {@link UpdateWriterOptions.maxInFlight}. */
export const DEFAULT_MAX_IN_FLIGHT = 1

/** A commit of room updates that did not happen: the SQLite error, or the commit thread ended first. */
export class UpdateCommitError extends Error {
	/** SQLite's error code (e.g. `SQLITE_FULL`), null when the thread ended. */
	readonly code: string | null

	constructor(message: string, code: string | null) {
		super(message)
		this.name = 'UpdateCommitError'
		this.code = code
	}
}

/** Messages from the commit thread (see update-writer.worker.mjs). */
type WorkerMessage =
	| { type: 'committed'; upTo: number }
	| { type: 'failed'; upTo: number; message: string; code: string | null }
	| { type: 'closed' }
	| { type: 'maxPageCount'; value: number }

interface Outstanding {
	id: number
	resolve: () => void
	reject: (error: unknown) => void
}

const WORKER_URL = new URL('./update-writer.worker.mjs', import.meta.url)

/**
 * Appends room updates on a worker thread that owns its own connection to the database, so the main thread
 * never blocks on SQLite's fsync. An append's promise resolves once its transaction is committed (durable with
 * `synchronous=FULL`) and rejects with {@link UpdateCommitError} when it failed or the thread ended; appends
 * commit in the order they were made.
 *
 * Group commit: at most `maxInFlight` messages are with the thread at a time; appends made meanwhile wait here
 * and go to the thread together, as one transaction, as soon as one is answered. If the thread dies, the
 * appends it had reject and the next ones start a new thread.
 */
export class UpdateWriter {
	private worker: Worker | null = null
	private nextId = 1
	/** Appends not answered yet (sent or waiting here), in id order. */
	private readonly outstanding: Outstanding[] = []
	/** Appends waiting for the thread, oldest first. */
	private queued: (readonly StoredUpdate[])[] = []
	/** Messages with the thread and not answered yet. */
	private inFlight = 0
	/** Id of the last append sent to the thread. */
	private lastSentId = 0
	private closing: Promise<void> | null = null
	private transactions = 0
	private readonly maxInFlight: number
	/** Why the last commit (or the thread) failed; null once a commit succeeded since. */
	private lastFailure: string | null = null

	constructor(private readonly options: UpdateWriterOptions) {
		this.maxInFlight = Math.max(1, options.maxInFlight ?? DEFAULT_MAX_IN_FLIGHT)
		this.worker = this.start()
	}

	/** Number of appends not committed or failed yet. */
	get pendingCount(): number {
		return this.outstanding.length
	}

	/** Number of transactions the thread committed (one holds every append that waited for it). */
	get committedTransactions(): number {
		return this.transactions
	}

	/**
	 * Whether the commit thread can write: not when it is closed, or when its last transaction failed or it
	 * ended unexpectedly and no commit succeeded since (e.g. the disk is full).
	 */
	health(): { ok: boolean; error?: string } {
		if (this.closing) return { ok: false, error: 'the commit thread is closed' }
		return this.lastFailure === null ? { ok: true } : { ok: false, error: this.lastFailure }
	}

	/**
	 * Tests only: sets `PRAGMA max_page_count` on the thread's connection (after what was appended so far), so a
	 * test can fill the "disk" on demand. Resolves with the limit in force (SQLite never sets it below the
	 * database's size).
	 */
	setMaxPageCountForTesting(value: number): Promise<number> {
		const worker = this.worker ?? (this.worker = this.start())
		if (this.queued.length) this.send()
		return new Promise((resolve) => {
			const onMessage = (message: WorkerMessage) => {
				if (message.type !== 'maxPageCount') return
				worker.off('message', onMessage)
				if (this.inFlight === 0) worker.unref()
				resolve(message.value)
			}
			worker.on('message', onMessage)
			worker.ref()
			worker.postMessage({ type: 'maxPageCount', value })
		})
	}

	/** Writes the updates in one transaction (or with appends made meanwhile); resolves once durable. */
	append(batch: readonly StoredUpdate[]): Promise<void> {
		if (this.closing) return Promise.reject(new UpdateCommitError('the update writer is closed', null))
		if (batch.length === 0) return Promise.resolve()
		return new Promise<void>((resolve, reject) => {
			this.outstanding.push({ id: this.nextId++, resolve, reject })
			this.queued.push(batch)
			if (this.inFlight < this.maxInFlight) this.send()
		})
	}

	/** Commits what was appended so far, closes the thread's connection and ends the thread. */
	close(): Promise<void> {
		if (!this.closing) {
			if (this.queued.length) this.send()
			const worker = this.worker
			this.closing = worker
				? new Promise<void>((resolve) => {
						worker.once('exit', () => resolve())
						worker.ref()
						worker.postMessage({ type: 'close' })
					})
				: Promise.resolve()
		}
		return this.closing
	}

	/** Sends every queued append to the thread in one message. */
	private send(): void {
		const batches = this.queued
		this.queued = []
		if (!batches.length) return
		const worker = this.worker ?? (this.worker = this.start())
		// One buffer for all update bytes, moved (not copied) to the thread; the callers keep their own updates.
		let count = 0
		let total = 0
		for (const batch of batches) {
			count += batch.length
			for (const { update } of batch) total += update.byteLength
		}
		const data = new Uint8Array(total)
		const lengths = new Uint32Array(count)
		const roomIds = new Array<string>(count)
		let i = 0
		let offset = 0
		for (const batch of batches) {
			for (const { roomId, update } of batch) {
				data.set(update, offset)
				offset += update.byteLength
				lengths[i] = update.byteLength
				roomIds[i] = roomId
				i++
			}
		}
		const upTo = this.nextId - 1
		this.lastSentId = upTo
		// Pending commits keep the process alive; an idle thread does not.
		if (this.inFlight++ === 0) worker.ref()
		worker.postMessage({ type: 'append', id: upTo, roomIds, lengths, data }, [data.buffer, lengths.buffer])
	}

	/** A message was answered: the next queued appends go. */
	private answered(): void {
		this.inFlight--
		if (this.queued.length && this.inFlight < this.maxInFlight) this.send()
		if (this.inFlight === 0) this.worker?.unref()
	}

	private start(): Worker {
		const { file, synchronous, busyTimeoutMs, walGrowth } = this.options
		// execArgv: the thread runs plain JavaScript, without the loaders (tsx) of the main thread.
		const worker = new Worker(WORKER_URL, {
			workerData: { file, synchronous, busyTimeoutMs, walGrowth: walGrowth ?? null },
			execArgv: [],
		})
		worker.unref()
		let failure: Error | null = null
		worker.on('message', (message: WorkerMessage) => {
			if (message.type === 'committed') {
				this.transactions++
				this.lastFailure = null
				this.settle(message.upTo, null)
				this.answered()
			} else if (message.type === 'failed') {
				this.lastFailure = message.code ? `${message.code}: ${message.message}` : message.message
				this.settle(message.upTo, new UpdateCommitError(message.message, message.code))
				this.answered()
			}
		})
		worker.on('error', (error) => {
			failure = error
		})
		worker.on('exit', (exitCode) => {
			if (this.worker === worker) this.worker = null
			this.inFlight = 0
			if (this.closing !== null && failure === null && exitCode === 0) {
				this.settle(Number.POSITIVE_INFINITY, new UpdateCommitError('the update writer closed first', null))
				return
			}
			const error = new UpdateCommitError(
				`the commit thread ended (exit code ${exitCode})${failure ? `: ${failure.message}` : ''}`,
				null
			)
			this.lastFailure = error.message
			this.options.onThreadError?.(failure ?? error)
			// What the thread had is lost or unknown; what still waits here goes to a new thread.
			this.settle(this.lastSentId, error)
			if (this.queued.length && !this.closing) this.send()
			else this.settle(Number.POSITIVE_INFINITY, error)
		})
		return worker
	}

	/** Resolves (error null) or rejects every outstanding append with an id up to `upTo`. */
	private settle(upTo: number, error: Error | null): void {
		let n = 0
		while (n < this.outstanding.length && this.outstanding[n].id <= upTo) n++
		if (n === 0) return
		const done = this.outstanding.splice(0, n)
		for (const o of done) {
			if (error) o.reject(error)
			else o.resolve()
		}
	}
}
