import fs from 'node:fs'
import type Database from 'better-sqlite3'
import type { StoredUpdate } from './room-records'
import type { SqliteUpdateAppender } from './sqlite-room-records'
import { UpdateCommitError } from './update-writer'
import { POWER_SAFE_LAG_LIMIT_MS, SyncProgress } from './sync-progress'
import type { WalGrowth } from './wal-growth'

/** What an answered commit survives: a crash of the process only (then power-safe shortly after), or power loss. */
export type Durability = 'crash' | 'power'

/**
 * How often writes that did not ask for a sync (the other stores on the connection) are looked for, in ms. Each
 * look is a `stat` of the WAL and a query, on the event loop, idle or not: at 20 ms that was 50 wake-ups a second,
 * about 1.7 per change at a workshop's 30 changes a second (S1 1 × 30: main thread per change −4 % at 100 ms,
 * docs/benchmarks.md finding 15). Room updates do not wait for it: their commit asks for the sync itself.
 */
export const WAL_SYNC_POLL_MS = 100

/** How long after a failed fdatasync the next one is tried without a new commit (ms). */
const RETRY_MS = 1000

/**
 * Makes commits of a WAL database with `synchronous=NORMAL` power-safe off the commit path: SQLite writes such a
 * commit into the `-wal` file without syncing it (it is in the OS page cache: a kill -9 of the process loses
 * nothing; SQLite syncs the WAL only before a checkpoint). After a commit, {@link committed} starts an
 * `fdatasync` of the WAL file on libuv's thread pool, so the main thread never waits for the disk. Group fsync:
 * one fdatasync covers every commit made before it started (fsync works on the file, whoever wrote it); commits
 * made while it runs wait for the next one. Writes that do not call {@link committed} (the note ledger, votes, …
 * on the same connection) are noticed by `total_changes()` every {@link WAL_SYNC_POLL_MS} and synced the same way.
 *
 * The WAL is only restarted (overwritten from its start) after a checkpoint that synced it and then the database
 * file, so frames overwritten then were already power-safe in the database.
 */
export class WalSyncer {
	private readonly walFile: string
	/** The WAL file, opened for fdatasync; reopened when the file was replaced (another inode). */
	private fd = -1
	private ino = -1
	/** Commits counted by {@link committed}, and which of them a finished fdatasync covers. */
	private readonly progress = new SyncProgress(() => this.requestSync())
	private syncing = false
	/** A sync was asked for while one ran. */
	private again = false
	private closed = false
	/** Why the last fdatasync failed; null once one succeeded since. */
	private failure: string | null = null
	private failedAt = Number.NEGATIVE_INFINITY
	private syncs = 0
	private readonly totalChanges: Database.Statement<[], number>
	private changesAtSync: number
	private readonly timer: NodeJS.Timeout

	constructor(
		private readonly db: Database.Database,
		file: string
	) {
		this.walFile = `${file}-wal`
		this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck()
		this.changesAtSync = this.totalChanges.get() ?? 0
		this.timer = setInterval(() => this.poll(), WAL_SYNC_POLL_MS)
		this.timer.unref()
	}

	/** fdatasyncs completed so far. */
	get completedSyncs(): number {
		return this.syncs
	}

	/**
	 * A transaction was committed: it becomes power-safe with the next fdatasync, which starts at the end of this
	 * turn of the event loop (unless one runs; {@link SyncProgress.requestAtEndOfTurn}).
	 */
	committed(): void {
		this.progress.wrote()
		this.progress.requestAtEndOfTurn()
	}

	/** Resolves once every commit so far is power-safe; null when they already are. */
	whenPowerSafe(): Promise<void> | null {
		return this.progress.whenSynced()
	}

	/** How long the oldest commit not yet power-safe has waited (ms); 0 when every commit is. */
	lagMs(now = performance.now()): number {
		return this.progress.lagMs(now)
	}

	/** Not ok when the last fdatasync failed, or a commit has waited longer than {@link POWER_SAFE_LAG_LIMIT_MS}. */
	health(): { ok: boolean; error?: string } {
		return this.progress.health(this.failure, { file: 'the WAL', writes: 'commits' })
	}

	/** A last, synchronous fdatasync of everything committed; then the syncer stops. */
	close(): void {
		if (this.closed) return
		this.closed = true
		clearInterval(this.timer)
		try {
			const fd = this.descriptor(true)
			if (fd >= 0) fs.fdatasyncSync(fd)
			this.synced(this.progress.lastWritten)
		} catch (error) {
			this.failure = error instanceof Error ? error.message : String(error)
		}
		// An fdatasync still running uses the descriptor: its callback closes it.
		if (!this.syncing) this.closeDescriptor()
	}

	private poll(): void {
		if (this.closed || !this.db.open) return
		if (this.syncing) return
		if (this.fd >= 0) {
			try {
				// Off the commit path: notices a replaced WAL file before the next fdatasync relies on the descriptor.
				this.descriptor(true)
			} catch (error) {
				this.failed(error)
			}
		}
		const retry = this.progress.behind && performance.now() - this.failedAt >= RETRY_MS
		if (retry || (this.totalChanges.get() ?? 0) !== this.changesAtSync) this.progress.requestAtEndOfTurn()
	}

	private requestSync(): void {
		if (this.closed) return
		if (this.syncing) {
			this.again = true
			return
		}
		const target = this.progress.lastWritten
		let fd: number
		try {
			fd = this.descriptor(this.fd < 0 || this.failure !== null)
			if (this.db.open) this.changesAtSync = this.totalChanges.get() ?? 0
		} catch (error) {
			this.failed(error)
			return
		}
		this.syncing = true
		this.again = false
		if (fd < 0) {
			// No WAL file (yet): nothing of it to sync.
			this.syncing = false
			this.synced(target)
			return
		}
		fs.fdatasync(fd, (error) => {
			this.syncing = false
			if (this.closed) {
				this.closeDescriptor()
				return
			}
			if (error) {
				this.failed(error)
				return
			}
			this.synced(target)
			if (this.again || this.progress.behind) this.progress.requestAtEndOfTurn()
		})
	}

	private failed(error: unknown): void {
		const err = error as NodeJS.ErrnoException
		this.failure = `${err.code ? `${err.code}: ` : ''}${err.message ?? String(error)}`
		this.failedAt = performance.now()
	}

	private synced(upTo: number): void {
		this.syncs++
		this.failure = null
		this.progress.syncedUpTo(upTo)
	}

	/**
	 * The WAL's descriptor, or -1 when there is no WAL file. `check`: look whether the file was replaced (another
	 * inode) and reopen it then. SQLite removes the WAL only when the last connection closes, and this syncer's
	 * connection stays open while it runs, so an open descriptor is checked only when there was none, after a
	 * failure, on close and on the idle poll — not on every fdatasync.
	 */
	private descriptor(check: boolean): number {
		if (!check && this.fd >= 0) return this.fd
		let ino: number
		try {
			ino = fs.statSync(this.walFile).ino
		} catch {
			return -1
		}
		if (this.fd >= 0 && ino === this.ino) return this.fd
		// The old descriptor is closed unless an fdatasync still uses it (then it is left to the process).
		if (this.fd >= 0 && !this.syncing) fs.closeSync(this.fd)
		this.fd = fs.openSync(this.walFile, 'r')
		this.ino = fs.fstatSync(this.fd).ino
		return this.fd
	}

	private closeDescriptor(): void {
		if (this.fd >= 0) fs.closeSync(this.fd)
		this.fd = -1
	}
}

/**
 * Appends room updates on the main thread's connection with durability `crash`: the transaction
 * (`synchronous=NORMAL`) only writes into the WAL, about a tenth of a millisecond, so the group commit answers in
 * the same turn of the event loop and the broadcast follows at once — no thread hop, which on a busy machine
 * costs more than the commit. {@link WalSyncer} makes it power-safe right after.
 */
export class MainThreadAppender implements SqliteUpdateAppender {
	private readonly appendAll: Database.Transaction<(batch: readonly StoredUpdate[]) => void>
	private lastFailure: string | null = null
	private transactions = 0

	/** `walGrowth`: counts each committed transaction for the checkpoint thread ({@link WalGrowth}). */
	constructor(
		private readonly db: Database.Database,
		private readonly syncer: WalSyncer,
		private readonly walGrowth: WalGrowth | null = null
	) {
		const insert = db.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)')
		this.appendAll = db.transaction((batch: readonly StoredUpdate[]) => {
			for (const { roomId, update } of batch) insert.run(roomId, update)
		})
	}

	/** Number of transactions committed. */
	get committedTransactions(): number {
		return this.transactions
	}

	/** Commits the batch at once (one transaction); resolves committed, rejects with {@link UpdateCommitError}. */
	append(batch: readonly StoredUpdate[]): Promise<void> {
		try {
			this.appendNow(batch)
		} catch (error) {
			return Promise.reject(error)
		}
		return Promise.resolve()
	}

	/** Commits the batch at once (one transaction): returns once committed, throws {@link UpdateCommitError}. */
	appendNow(batch: readonly StoredUpdate[]): void {
		if (batch.length === 0) return
		if (!this.db.open) throw new UpdateCommitError('the database is closed', null)
		try {
			this.appendAll.immediate(batch)
		} catch (error) {
			const err = error as { message?: string; code?: unknown }
			const code = typeof err.code === 'string' ? err.code : null
			const message = String(err.message ?? error)
			this.lastFailure = code ? `${code}: ${message}` : message
			throw new UpdateCommitError(message, code)
		}
		this.transactions++
		this.lastFailure = null
		if (this.walGrowth) {
			let bytes = 0
			for (const { update } of batch) bytes += update.byteLength
			this.walGrowth.committed(bytes)
		}
		this.syncer.committed()
	}

	/** Not ok when the connection is closed or the last transaction failed and none succeeded since. */
	health(): { ok: boolean; error?: string } {
		if (!this.db.open) return { ok: false, error: 'the database is closed' }
		return this.lastFailure === null ? { ok: true } : { ok: false, error: this.lastFailure }
	}
}
