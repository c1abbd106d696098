import type { RoomRecordStore, StoredUpdate } from './room-records'

interface Pending extends StoredUpdate {
	enqueuedAt: number
	/** Already crash-safe in the store's update log ({@link GroupCommitStore.logUpdateNow}). */
	logged: boolean
	resolve: () => void
	reject: (error: unknown) => void
}

/** What the group commit needs of a store. */
export type GroupCommitStore = Pick<RoomRecordStore, 'appendUpdates'> & {
	/**
	 * Commits a batch before returning (throws when it failed), for a store whose commit is a quick synchronous
	 * write (SQLite with durability `crash`); absent or null: commits only go through `appendUpdates`.
	 */
	appendUpdatesNow?: ((batch: readonly StoredUpdate[]) => void) | null
	/** Resolves once every commit so far is power-safe; null when they already are. */
	whenPowerSafe?(): Promise<void> | null
	/**
	 * Resolves once every update logged so far is power-safe in the update log (its fdatasync); null when they are.
	 * A logged update waits for this alone: the store's own syncs (of the batches that commit logged updates, and of
	 * other writes) do not make it any safer.
	 */
	whenLogSynced?(): Promise<void> | null
	/**
	 * Makes an update crash-safe at once in an update log (SQLite with durability `crash`: one `write()`), to be
	 * committed with the turn's batch after it is broadcast; throws when that failed. Absent or null: no log.
	 */
	logUpdateNow?: ((roomId: string, update: Uint8Array) => void) | null
	/**
	 * A batch is about to take every logged update not yet committed (with the group commit's queue): returns a mark
	 * of what it covers, for {@link GroupCommitStore.logStored} once it is committed.
	 */
	logBatchTaken?(): number
	/** The batch of that mark is committed: what the log holds of it may go once it is power-safe in the store. */
	logStored?(mark: number): void
}

/**
 * An update already crash-safe in the store's update log, so it may be broadcast now; `stored` settles once the
 * batch it went into is committed to the store (rejects when that transaction failed).
 */
export interface LoggedCommit {
	readonly stored: Promise<void>
}

const noop = (): void => {}

/** How long after a failed batch its logged updates are committed again when no other batch comes first (ms). */
const LOGGED_RETRY_MS = 1000

/**
 * How long an update queued behind others may wait for the turn of the event loop to end before the queue is
 * committed anyway, at the next update that arrives (ms): a burst of messages handled in one turn then goes out
 * in slices instead of every broadcast waiting for the judging of the whole burst.
 */
export const MAX_GROUP_WAIT_MS = 2

/**
 * How often, at most, logged updates (crash-safe in the store's update log at once, power-safe there a few
 * milliseconds later) go to the store (ms): a batch costs a transaction, the pages it touches (one index page per
 * room it holds) and an fdatasync of the WAL, whatever its size. They go at the end of a turn of the event loop
 * once this long has passed since the last batch — the first after a quiet spell at once, the rest of a busy spell
 * gathered — or when {@link MAX_PACED_BATCH} are gathered, and, when no later turn comes, by a timer at twice this
 * after the last batch. Since the log itself is fdatasync'd, the pace does not delay power safety (docs/benchmarks.md
 * findings 13 and 20).
 */
export const STORE_COMMIT_PACE_MS = 250

/** Gathered logged updates go to the store at the end of the turn once this many wait, whatever the pace. */
export const MAX_PACED_BATCH = 256

/**
 * Group commit: every update handed to {@link GroupCommitter.commit} within one turn of the event loop goes to
 * the store as one batch, right after the current I/O callbacks (`setImmediate`). A commit's promise resolves
 * once its update is committed — it survives a crash of the process; with SQLite's durability `power`, and on
 * PostgreSQL, also a power cut — so callers broadcast or acknowledge only then.
 *
 * With a store that commits synchronously (`appendUpdatesNow`), {@link GroupCommitter.commitNowOrLater} commits
 * the first update of a turn at once, so its broadcast does not wait for the other messages of that turn to be
 * handled (as the reference server broadcasts each message as it arrives); the rest of the turn is grouped, and
 * a group older than {@link MAX_GROUP_WAIT_MS} is committed at the next update.
 *
 * With a store that keeps an update log (`logUpdateNow`), every update is logged at once — crash-safe before it
 * is broadcast, power-safe with the log's fdatasync a few milliseconds later — and goes to the store after the
 * broadcast, with the batch of the turn that ends at least {@link STORE_COMMIT_PACE_MS} after the last batch (a
 * queue holding an update that is not logged goes at the end of its turn, as without a log); the store marks what
 * each batch takes of the log (`logBatchTaken`) and is told when it is committed (`logStored`), so that the log
 * lets it go once the store has it power-safe.
 *
 * Batches do not wait for the one before: the SQLite store commits them on its commit thread in order,
 * and every batch that arrives while a transaction is being written goes into the next transaction.
 */
export class GroupCommitter {
	private pending: Pending[] = []
	/** Queued updates that are not in the update log (they are not held by the pace). */
	private pendingUnlogged = 0
	/** The end-of-turn check is scheduled (`setImmediate`). */
	private scheduled = false
	/** When the last batch went to the store (`performance.now()`). */
	private lastFlushAt = Number.NEGATIVE_INFINITY
	/** Commits gathered logged updates when no turn after the pace did. */
	private paceTimer: NodeJS.Timeout | null = null
	/** Batches handed to the store and not settled yet. */
	private readonly inFlight = new Set<Promise<void>>()
	/** An update was committed at once in this turn of the event loop (reset by the next `setImmediate`). */
	private committedNowThisTurn = false
	private readonly endTurn = () => {
		this.committedNowThisTurn = false
	}
	/** Arrival and logged times of the updates logged in this turn of the event loop, in pairs (see reportLogged). */
	private loggedThisTurn: number[] = []
	/** Times to power-safe of the updates made crash-safe by the update log: its fdatasyncs make them power-safe. */
	private readonly loggedPowerSafe: PowerSafeTimes | null
	/** …and of the updates committed to the store: its syncs make them power-safe. */
	private readonly committedPowerSafe: PowerSafeTimes | null
	/** Logged updates whose batch failed: committed again with the next batch. */
	private unstoredLogged: Pending[] = []
	private retryTimer: NodeJS.Timeout | null = null

	/**
	 * @param store - where updates go; a store whose commit is crash-safe before it is power-safe (SQLite with
	 *   durability `crash`) tells when with `whenPowerSafe` (null: already); without it a commit is power-safe
	 *   (PostgreSQL).
	 * @param onCommitted - called with each update's time from arrival to committed (crash-safe, ms), for metrics.
	 * @param onPowerSafe - called with each update's time from arrival to power-safe (ms), for metrics.
	 * @param storeCommitPaceMs - see {@link STORE_COMMIT_PACE_MS} (0: logged updates go at the end of every turn).
	 */
	constructor(
		private readonly store: GroupCommitStore,
		private readonly onCommitted?: (durableMs: number) => void,
		onPowerSafe?: (powerSafeMs: number) => void,
		private readonly storeCommitPaceMs = STORE_COMMIT_PACE_MS
	) {
		const whenCommitted = () => store.whenPowerSafe?.() ?? null
		const whenLogged = () => (store.whenLogSynced ? store.whenLogSynced() : whenCommitted())
		this.loggedPowerSafe = onPowerSafe ? new PowerSafeTimes(whenLogged, onPowerSafe) : null
		this.committedPowerSafe = onPowerSafe ? new PowerSafeTimes(whenCommitted, onPowerSafe) : null
	}

	/** Queues an update; resolves when it is committed, rejects when the transaction failed. */
	commit(roomId: string, update: Uint8Array): Promise<void> {
		return this.enqueue(roomId, update, performance.now(), false)
	}

	private enqueue(roomId: string, update: Uint8Array, enqueuedAt: number, logged: boolean): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.pending.push({ roomId, update, enqueuedAt, logged, resolve, reject })
			if (!logged) this.pendingUnlogged++
			if (!this.scheduled) {
				this.scheduled = true
				setImmediate(this.atTurnEnd)
			}
		})
	}

	/**
	 * The end of a turn that queued updates: they go to the store now, unless all of them are logged and the last
	 * batch went less than the pace ago — then a later turn takes them, or the pace timer.
	 */
	private readonly atTurnEnd = (): void => {
		this.scheduled = false
		this.reportLogged()
		if (this.pending.length === 0) return
		if (this.pendingUnlogged === 0 && this.storeCommitPaceMs > 0 && this.pending.length < MAX_PACED_BATCH) {
			const wait = this.lastFlushAt + this.storeCommitPaceMs - performance.now()
			if (wait > 0) {
				this.paceTimer ??= setTimeout(this.paceTimerFired, wait + this.storeCommitPaceMs)
				return
			}
		}
		this.flush()
	}

	/**
	 * Reports the times of the updates logged in this turn (crash-safe; power-safe once the log's fdatasync returns):
	 * the metrics are kept after the broadcasts, not in front of them.
	 */
	private reportLogged(): void {
		const times = this.loggedThisTurn
		if (!times.length) return
		this.loggedThisTurn = []
		for (let i = 0; i < times.length; i += 2) {
			this.onCommitted?.(times[i + 1] - times[i])
			// Power-safe with the log's next fdatasync, not with the store's batch.
			this.loggedPowerSafe?.record(times[i], times[i + 1])
		}
	}

	private readonly paceTimerFired = (): void => {
		this.paceTimer = null
		if (this.pending.length) this.flush()
	}

	/**
	 * Makes an update crash-safe as soon as the store can. With an update log: logs it and returns a
	 * {@link LoggedCommit} (broadcast it now; it is committed with a later batch, see
	 * {@link STORE_COMMIT_PACE_MS}). Otherwise commits it at once when the store can and nothing is queued before
	 * it, and it is the first such update of this turn of the event loop: returns null once it is committed. Otherwise queues it like {@link GroupCommitter.commit} and
	 * returns its promise (committing the queue now when its oldest update has waited {@link MAX_GROUP_WAIT_MS}).
	 * Throws when logging or the commit at once failed. Updates are committed in the order given.
	 */
	commitNowOrLater(roomId: string, update: Uint8Array): Promise<void> | LoggedCommit | null {
		const log = this.store.logUpdateNow
		if (log) {
			const arrivedAt = performance.now()
			log(roomId, update)
			// Reported at the end of the turn (atTurnEnd, which enqueue schedules), after the broadcasts.
			this.loggedThisTurn.push(arrivedAt, performance.now())
			return { stored: this.enqueue(roomId, update, arrivedAt, true) }
		}
		const appendNow = this.store.appendUpdatesNow
		if (!appendNow) return this.commit(roomId, update)
		const now = performance.now()
		if (!this.committedNowThisTurn && this.pending.length === 0 && this.inFlight.size === 0) {
			appendNow([{ roomId, update }])
			this.committedNowThisTurn = true
			setImmediate(this.endTurn)
			const at = performance.now()
			this.onCommitted?.(at - now)
			this.committedPowerSafe?.record(now, at)
			return null
		}
		const queued = this.commit(roomId, update)
		if (now - this.pending[0].enqueuedAt >= MAX_GROUP_WAIT_MS) this.flush()
		return queued
	}

	/** Commits what is queued now, without waiting for the pace (see {@link STORE_COMMIT_PACE_MS}). */
	flushPending(): void {
		if (this.pending.length) this.flush()
	}

	/** Resolves when everything queued so far is committed (or has failed). */
	async drain(): Promise<void> {
		while (this.pending.length || this.inFlight.size) {
			if (this.pending.length) this.flush()
			await Promise.all(this.inFlight)
		}
	}

	private flush(): void {
		if (this.paceTimer) {
			clearTimeout(this.paceTimer)
			this.paceTimer = null
		}
		this.lastFlushAt = performance.now()
		const fresh = this.pending
		this.pending = []
		this.pendingUnlogged = 0
		// Logged updates a failed batch left out of the store go again first (they are settled already).
		const retried = this.unstoredLogged
		this.unstoredLogged = []
		const batch = retried.length ? [...retried, ...fresh] : fresh
		if (!batch.length) return
		let logged = retried.length
		for (const p of fresh) if (p.logged) logged++
		// Every logged update not yet committed is in this batch (queued since the last one, or `retried`).
		const logMark = logged ? this.store.logBatchTaken?.() : undefined
		let appended: Promise<void>
		try {
			appended = this.store.appendUpdates(batch)
		} catch (error) {
			appended = Promise.reject(error)
		}
		const settled = appended.then(
			() => {
				const at = performance.now()
				for (const p of fresh) {
					if (!p.logged) {
						this.onCommitted?.(at - p.enqueuedAt)
						this.committedPowerSafe?.record(p.enqueuedAt, at)
					}
					p.resolve()
				}
				// What the log holds of this batch may go (once the store has it power-safe).
				if (logMark !== undefined && this.unstoredLogged.length === 0) this.store.logStored?.(logMark)
			},
			(error: unknown) => {
				// A logged update may have been broadcast already: it stays in the log, and is committed with a later
				// batch (or by the next start), so that nothing anyone has seen is lost while the store fails.
				for (const p of batch) {
					if (p.logged) this.unstoredLogged.push({ ...p, resolve: noop, reject: noop })
				}
				for (const p of fresh) p.reject(error)
				this.retryLater()
			}
		)
		this.inFlight.add(settled)
		void settled.then(() => this.inFlight.delete(settled))
	}

	/** Commits the logged updates of a failed batch again after {@link LOGGED_RETRY_MS}, if no batch did. */
	private retryLater(): void {
		if (this.retryTimer) return
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null
			if (this.unstoredLogged.length && !this.scheduled) this.flush()
		}, LOGGED_RETRY_MS)
		this.retryTimer.unref()
	}
}

/**
 * Each update's time from arrival to power-safe, reported once known: `whenSafe` resolves at the store's next
 * power-safe point for what was written so far (null: already). One wait at a time, not one per update: it covers
 * the updates recorded before it began; those recorded during it wait for the next one.
 */
class PowerSafeTimes {
	/** When each update not known power-safe yet arrived, oldest first. */
	private waiting: number[] = []
	private awaiting = false

	constructor(
		private readonly whenSafe: () => Promise<void> | null,
		private readonly report: (powerSafeMs: number) => void
	) {}

	/** An update that arrived at `arrivedAt` was made crash-safe at `now`: reports its time once it is power-safe. */
	record(arrivedAt: number, now: number): void {
		if (this.awaiting) {
			this.waiting.push(arrivedAt)
			return
		}
		const safe = this.whenSafe()
		if (!safe) {
			this.report(now - arrivedAt)
			return
		}
		this.waiting.push(arrivedAt)
		this.await(safe)
	}

	private await(safe: Promise<void>): void {
		const covered = this.waiting.length
		this.awaiting = true
		void safe.then(() => {
			this.awaiting = false
			const at = performance.now()
			for (const arrivedAt of this.waiting.splice(0, covered)) this.report(at - arrivedAt)
			if (!this.waiting.length) return
			const next = this.whenSafe()
			if (next) this.await(next)
			else for (const arrivedAt of this.waiting.splice(0)) this.report(at - arrivedAt)
		})
	}
}
