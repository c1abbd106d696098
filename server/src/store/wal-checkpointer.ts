import { Worker } from 'node:worker_threads'
import type { WalGrowth } from './wal-growth'

/** Started by URL relative to this module, so the build copies it beside the bundle (scripts/build-server.mjs). */
const WORKER_URL = new URL('./wal-checkpointer.worker.mjs', import.meta.url)

/**
 * How many pages the room-update commits may have added to the WAL before it is checkpointed: SQLite's own
 * automatic checkpoint threshold (`wal_autocheckpoint` default, 1000 pages, about 4 MiB at 4 KiB pages), so the
 * WAL stays about as large as SQLite would keep it. At S1's 50 updates/s that is a checkpoint every ~10 s.
 *
 * Why not by the clock: after a checkpoint that copied the whole WAL, the next commit restarts the WAL from its
 * start, and SQLite (`synchronous=NORMAL`) fsyncs the new WAL header inside that commit, on the committing
 * thread — the main thread with durability `crash`. Checkpointing every second put one such fsync in a commit
 * every second (docs/benchmarks.md, finding 8).
 */
export const WAL_CHECKPOINT_PAGES = 1000

/**
 * The estimate of WAL pages per transaction of room updates: the table's leaf page and the leaf of the index
 * `room_updates_room`, measured at 2.2 frames per commit (3.2 while the table had AUTOINCREMENT, which rewrote
 * `sqlite_sequence` too). Update bytes beyond a page add overflow pages: one per {@link WAL_PAGE_BYTES}.
 */
export const WAL_PAGES_PER_TRANSACTION = 2
export const WAL_PAGE_BYTES = 4096

/**
 * A checkpoint also runs when anything was committed (by any connection, counted or not: the note ledger, votes,
 * compaction, …) and none ran for this long, so an idle server's WAL is folded into the database file too (ms).
 */
export const WAL_CHECKPOINT_IDLE_MS = 10_000

/**
 * Checkpoints by growth run at most this often (ms): at high rates (S5's 1000 updates/s commit ~2000 pages a
 * second) the threshold alone would checkpoint, and so restart the WAL with an fsync in a commit, several times a
 * second — more often than the clock did before. The WAL then holds about a second of commits, as it did.
 */
export const WAL_CHECKPOINT_MIN_INTERVAL_MS = 1000

/** How often the thread reads the counters (ms): an atomic load, no message, no SQLite call. */
export const WAL_CHECKPOINT_POLL_MS = 200

/** Options of {@link WalCheckpointer}. */
export interface WalCheckpointerOptions {
	file: string
	busyTimeoutMs: number
	/** What the room-update commits added to the WAL, counted where they commit. */
	growth: WalGrowth
	/** See {@link WAL_CHECKPOINT_PAGES}; tests use smaller values. */
	pages?: number
	/** See {@link WAL_CHECKPOINT_IDLE_MS}. */
	idleMs?: number
	/** See {@link WAL_CHECKPOINT_MIN_INTERVAL_MS}. */
	minIntervalMs?: number
	/** See {@link WAL_CHECKPOINT_POLL_MS}. */
	pollMs?: number
}

/** Messages from the checkpoint thread (see wal-checkpointer.worker.mjs). */
type WorkerMessage = { type: 'ready' } | { type: 'checkpointed' } | { type: 'closed' }

/**
 * Checkpoints the SQLite WAL on a thread of its own (see wal-checkpointer.worker.mjs), so that no commit waits
 * behind a checkpoint: the store's connections run with `wal_autocheckpoint = 0`. It checkpoints by the WAL's
 * growth, not by the clock: once the commits counted in {@link WalGrowth} add up to {@link WAL_CHECKPOINT_PAGES}
 * (but not within {@link WAL_CHECKPOINT_MIN_INTERVAL_MS} of the last checkpoint), or after
 * {@link WAL_CHECKPOINT_IDLE_MS} when anything at all was committed.
 */
export class WalCheckpointer {
	private readonly worker: Worker
	private closing: Promise<void> | null = null
	private readonly exited: Promise<void>
	private checkpoints = 0
	/**
	 * Resolves once the thread has its connection and has read `data_version`: commits not counted in
	 * {@link WalGrowth} (another connection's) are noticed from then on.
	 */
	readonly ready: Promise<void>

	constructor(options: WalCheckpointerOptions) {
		this.worker = new Worker(WORKER_URL, {
			workerData: {
				file: options.file,
				busyTimeoutMs: options.busyTimeoutMs,
				growth: options.growth.buffer,
				pages: options.pages ?? WAL_CHECKPOINT_PAGES,
				pagesPerTransaction: WAL_PAGES_PER_TRANSACTION,
				pageBytes: WAL_PAGE_BYTES,
				idleMs: options.idleMs ?? WAL_CHECKPOINT_IDLE_MS,
				minIntervalMs: options.minIntervalMs ?? WAL_CHECKPOINT_MIN_INTERVAL_MS,
				pollMs: options.pollMs ?? WAL_CHECKPOINT_POLL_MS,
			},
			// The thread runs plain JavaScript, without the loaders (tsx) of the main thread.
			execArgv: [],
		})
		// An idle checkpointer never keeps the process alive.
		this.worker.unref()
		this.exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
		this.ready = new Promise<void>((resolve) => {
			this.worker.on('message', (message: WorkerMessage) => {
				if (message.type === 'ready') resolve()
				else if (message.type === 'checkpointed') this.checkpoints++
			})
		})
		this.worker.on('error', (error) => {
			console.warn(`[kompasbord] the WAL checkpoint thread failed: ${error.message}`)
		})
	}

	/** Checkpoints the thread has run so far (the last one on close included once it has closed). */
	get completedCheckpoints(): number {
		return this.checkpoints
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
