import type { RoomRecordStore, StoredUpdate } from './room-records'

interface Pending extends StoredUpdate {
	enqueuedAt: number
	resolve: () => void
	reject: (error: unknown) => void
}

/**
 * Group commit: every update handed to {@link GroupCommitter.commit} within one turn of the event loop goes to
 * the store as one batch, right after the current I/O callbacks (`setImmediate`). A commit's promise resolves
 * once its update is committed — it survives a crash of the process; with SQLite's durability `power`, and on
 * PostgreSQL, also a power cut — so callers broadcast or acknowledge only then.
 *
 * Batches do not wait for the one before: the SQLite store commits them on its commit thread in order,
 * and every batch that arrives while a transaction is being written goes into the next transaction.
 */
export class GroupCommitter {
	private pending: Pending[] = []
	private scheduled = false
	/** Batches handed to the store and not settled yet. */
	private readonly inFlight = new Set<Promise<void>>()

	/**
	 * @param store - where updates go; a store whose commit is crash-safe before it is power-safe (SQLite with
	 *   durability `crash`) tells when with `whenPowerSafe` (null: already); without it a commit is power-safe
	 *   (PostgreSQL).
	 * @param onCommitted - called with each update's time from arrival to committed (crash-safe, ms), for metrics.
	 * @param onPowerSafe - called with each update's time from arrival to power-safe (ms), for metrics.
	 */
	constructor(
		private readonly store: Pick<RoomRecordStore, 'appendUpdates'> & { whenPowerSafe?(): Promise<void> | null },
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
				const now = performance.now()
				for (const p of batch) {
					this.onCommitted?.(now - p.enqueuedAt)
					p.resolve()
				}
				const onPowerSafe = this.onPowerSafe
				if (!onPowerSafe) return
				const powerSafe = this.store.whenPowerSafe?.()
				if (!powerSafe) for (const p of batch) onPowerSafe(now - p.enqueuedAt)
				else
					void powerSafe.then(() => {
						const at = performance.now()
						for (const p of batch) onPowerSafe(at - p.enqueuedAt)
					})
			},
			(error: unknown) => {
				for (const p of batch) p.reject(error)
			}
		)
		this.inFlight.add(settled)
		void settled.then(() => this.inFlight.delete(settled))
	}
}
