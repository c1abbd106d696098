import { Worker } from 'node:worker_threads'

/** Started by URL relative to this module, so the build copies it beside the bundle (scripts/build-server.mjs). */
const WORKER_URL = new URL('./wal-checkpointer.worker.mjs', import.meta.url)

/** How often the WAL is checkpointed (ms). */
export const WAL_CHECKPOINT_INTERVAL_MS = 1000

/** Options of {@link WalCheckpointer}. */
export interface WalCheckpointerOptions {
	file: string
	busyTimeoutMs: number
	intervalMs?: number
}

/**
 * Checkpoints the SQLite WAL on a thread of its own (see wal-checkpointer.worker.mjs), so that no commit waits
 * behind a checkpoint: the store's connections run with `wal_autocheckpoint = 0`.
 */
export class WalCheckpointer {
	private readonly worker: Worker
	private closing: Promise<void> | null = null
	private readonly exited: Promise<void>

	constructor(options: WalCheckpointerOptions) {
		this.worker = new Worker(WORKER_URL, {
			workerData: {
				file: options.file,
				busyTimeoutMs: options.busyTimeoutMs,
				intervalMs: options.intervalMs ?? WAL_CHECKPOINT_INTERVAL_MS,
			},
			// The thread runs plain JavaScript, without the loaders (tsx) of the main thread.
			execArgv: [],
		})
		// An idle checkpointer never keeps the process alive.
		this.worker.unref()
		this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
		this.worker.on('error', (error) => {
			console.warn(`[kompasbord] the WAL checkpoint thread failed: ${error.message}`)
		})
	}

	/** Runs a last checkpoint and ends the thread. */
	close(): Promise<void> {
		if (!this.closing) {
			// Held until it has ended: unref'd, the process could end before the last checkpoint (and the close of
			// the app that waits for it) completed.
			this.worker.ref()
			this.worker.postMessage({ type: 'close' })
			this.closing = this.exited
		}
		return this.closing
	}
}
