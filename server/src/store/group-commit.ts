import type { RoomRecordStore, StoredUpdate } from './room-records'

interface Pending extends StoredUpdate {
	enqueuedAt: number
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
}

/**
 * How long an update queued behind others may wait for the turn of the event loop to end before the queue is
 * committed anyway, at the next update that arrives (ms): a burst of messages handled in one turn then goes out
 * in slices instead of every broadcast waiting for the judging of the whole burst.
 */
export const MAX_GROUP_WAIT_MS = 2

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
 * Batches do not wait for the one before: the SQLite store commits them on its commit thread in order,
 * and every batch that arrives while a transaction is being written goes into the next transaction.
 */
export class GroupCommitter {
	private pending: Pending[] = []
	private scheduled = false
	/** Batches handed to the store and not settled yet. */
	private readonly inFlight = new Set<Promise<void>>()
	/** An update was committed at once in this turn of the event loop (reset by the next `setImmediate`). */
	private committedNowThisTurn = false
	private readonly endTurn = () => {
		this.committedNowThisTurn = false
	}
	/** When each committed update arrived, oldest first, while not known power-safe yet (for `onPowerSafe`). */
	private notPowerSafe: number[] = []
	private awaitingPowerSafe = false

	/**
	 * @param store - where updates go; a store whose commit is crash-safe before it is power-safe (SQLite with
	 *   durability `crash`) tells when with `whenPowerSafe` (null: already); without it a commit is power-safe
	 *   (PostgreSQL).
	 * @param onCommitted - called with each update's time from arrival to committed (crash-safe, ms), for metrics.
	 * @param onPowerSafe - called with each update's time from arrival to power-safe (ms), for metrics.
	 */
	constructor(
		private readonly store: GroupCommitStore,
		private readonly onCommitted?: (durableMs: number) => void,
		private readonly onPowerSafe?: (powerSafeMs: number) => void
	) {}

	/** Queues an update; resolves when it is committed, rejects when the transaction failed. */
	commit(roomId: string, update: Uint8Array): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.pending.push({ roomId, update, enqueuedAt: performance.now(), resolve, reject })
			if (!this.scheduled) {
				this.scheduled = true
				setImmediate(() => this.flush())
			}
		})
	}

	/**
	 * Commits an update at once when the store can and nothing is queued before it, and it is the first such
	 * update of this turn of the event loop: returns null once it is committed, throws when that failed.
	 * Otherwise queues it like {@link GroupCommitter.commit} and returns its promise (committing the queue now
	 * when its oldest update has waited {@link MAX_GROUP_WAIT_MS}). Updates are committed in the order given.
	 */
	commitNowOrLater(roomId: string, update: Uint8Array): Promise<void> | null {
		const appendNow = this.store.appendUpdatesNow
		if (!appendNow) return this.commit(roomId, update)
		const now = performance.now()
		if (!this.committedNowThisTurn && this.pending.length === 0 && this.inFlight.size === 0) {
			appendNow([{ roomId, update }])
			this.committedNowThisTurn = true
			setImmediate(this.endTurn)
			this.committed(now)
			return null
		}
		const queued = this.commit(roomId, update)
		if (now - this.pending[0].enqueuedAt >= MAX_GROUP_WAIT_MS) this.flush()
		return queued
	}

	/** Resolves when everything queued so far is committed (or has failed). */
	async drain(): Promise<void> {
		while (this.pending.length || this.inFlight.size) {
			if (this.pending.length) this.flush()
			await Promise.all(this.inFlight)
		}
	}

	private flush(): void {
		this.scheduled = false
		const batch = this.pending
		this.pending = []
		if (!batch.length) return
		let appended: Promise<void>
		try {
			appended = this.store.appendUpdates(batch)
		} catch (error) {
			appended = Promise.reject(error)
		}
		const settled = appended.then(
			() => {
				for (const p of batch) {
					this.committed(p.enqueuedAt)
					p.resolve()
				}
			},
			(error: unknown) => {
				for (const p of batch) p.reject(error)
			}
		)
		this.inFlight.add(settled)
		void settled.then(() => this.inFlight.delete(settled))
	}

	/** Records an update's times to committed (now) and, once known, to power-safe. */
	private committed(enqueuedAt: number): void {
		const now = performance.now()
		this.onCommitted?.(now - enqueuedAt)
		const onPowerSafe = this.onPowerSafe
		if (!onPowerSafe) return
		if (this.awaitingPowerSafe) {
			this.notPowerSafe.push(enqueuedAt)
			return
		}
		const powerSafe = this.store.whenPowerSafe?.()
		if (!powerSafe) {
			onPowerSafe(now - enqueuedAt)
			return
		}
		this.notPowerSafe.push(enqueuedAt)
		this.awaitPowerSafe(powerSafe, onPowerSafe)
	}

	/**
	 * Waits for the store's next power-safe point, one wait at a time (not one per update): it covers the updates
	 * recorded before the wait began; those recorded during it wait for the next one.
	 */
	private awaitPowerSafe(powerSafe: Promise<void>, onPowerSafe: (powerSafeMs: number) => void): void {
		const covered = this.notPowerSafe.length
		this.awaitingPowerSafe = true
		void powerSafe.then(() => {
			this.awaitingPowerSafe = false
			const at = performance.now()
			for (const enqueuedAt of this.notPowerSafe.splice(0, covered)) onPowerSafe(at - enqueuedAt)
			if (!this.notPowerSafe.length) return
			const next = this.store.whenPowerSafe?.()
			if (next) this.awaitPowerSafe(next, onPowerSafe)
			else for (const enqueuedAt of this.notPowerSafe.splice(0)) onPowerSafe(at - enqueuedAt)
		})
	}
}
