import { Worker } from 'node:worker_threads'
import type { StoredUpdate } from './room-store'

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
}

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
 * commit in the order they were made. Appends that queue up while a transaction is being written go into the
 * next transaction together (group commit on the thread). If the thread dies, its pending appends reject and
 * the next append starts a new thread.
 */
export class UpdateWriter {
	private worker: Worker | null = null
	private nextId = 1
	/** Appends sent and not answered yet, in id order. */
	private readonly outstanding: Outstanding[] = []
	private closing: Promise<void> | null = null
	private transactions = 0

	constructor(private readonly options: UpdateWriterOptions) {
		this.worker = this.start()
	}

	/** Number of appends sent to the thread and not committed or failed yet. */
	get pendingCount(): number {
		return this.outstanding.length
	}

	/** Number of transactions the thread committed (one holds every append that waited for it). */
	get committedTransactions(): number {
		return this.transactions
	}

	/** Writes the updates in one transaction (or with appends made meanwhile); resolves once durable. */
	append(batch: readonly StoredUpdate[]): Promise<void> {
		if (this.closing) return Promise.reject(new UpdateCommitError('the update writer is closed', null))
		if (batch.length === 0) return Promise.resolve()
		const worker = this.worker ?? (this.worker = this.start())
		// One buffer for all update bytes, moved (not copied) to the thread; the callers keep their own updates.
		let total = 0
		for (const { update } of batch) total += update.byteLength
		const data = new Uint8Array(total)
		const lengths = new Uint32Array(batch.length)
		const roomIds = new Array<string>(batch.length)
		let offset = 0
		for (let i = 0; i < batch.length; i++) {
			const { roomId, update } = batch[i]
			data.set(update, offset)
			offset += update.byteLength
			lengths[i] = update.byteLength
			roomIds[i] = roomId
		}
		const id = this.nextId++
		return new Promise<void>((resolve, reject) => {
			this.outstanding.push({ id, resolve, reject })
			// Pending commits keep the process alive; an idle thread does not.
			if (this.outstanding.length === 1) worker.ref()
			worker.postMessage({ type: 'append', id, roomIds, lengths, data }, [data.buffer, lengths.buffer])
		})
	}

	/** Commits what was appended so far, closes the thread's connection and ends the thread. */
	close(): Promise<void> {
		if (!this.closing) {
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

	private start(): Worker {
		const { file, synchronous, busyTimeoutMs } = this.options
		// execArgv: the thread runs plain JavaScript, without the loaders (tsx) of the main thread.
		const worker = new Worker(WORKER_URL, { workerData: { file, synchronous, busyTimeoutMs }, execArgv: [] })
		worker.unref()
		let failure: Error | null = null
		worker.on('message', (message: WorkerMessage) => {
			if (message.type === 'committed') {
				this.transactions++
				this.settle(message.upTo, null)
			}
			else if (message.type === 'failed') this.settle(message.upTo, new UpdateCommitError(message.message, message.code))
		})
		worker.on('error', (error) => {
			failure = error
		})
		worker.on('exit', (exitCode) => {
			if (this.worker === worker) this.worker = null
			const expected = this.closing !== null && failure === null && exitCode === 0
			if (!expected) {
				const error = new UpdateCommitError(
					`the commit thread ended (exit code ${exitCode})${failure ? `: ${failure.message}` : ''}`,
					null
				)
				this.options.onThreadError?.(failure ?? error)
				this.settle(Number.POSITIVE_INFINITY, error)
			} else this.settle(Number.POSITIVE_INFINITY, new UpdateCommitError('the update writer closed first', null))
		})
		return worker
	}

	/** Resolves (error null) or rejects every outstanding append with an id up to `upTo`. */
	private settle(upTo: number, error: Error | null): void {
		let n = 0
		while (n < this.outstanding.length && this.outstanding[n].id <= upTo) n++
		if (n === 0) return
		const done = this.outstanding.splice(0, n)
		if (this.outstanding.length === 0) this.worker?.unref()
		for (const o of done) {
			if (error) o.reject(error)
			else o.resolve()
		}
	}
}
