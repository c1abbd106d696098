import type { RoomStore, StoredUpdate } from './room-store'

interface Pending extends StoredUpdate {
	enqueuedAt: number
	resolve: () => void
	reject: (error: unknown) => void
}

/**
 * Group commit: every update handed to {@link GroupCommitter.commit} within one turn of the event loop is
 * written in one transaction, right after the current I/O callbacks (`setImmediate`). A commit's promise
 * resolves once its update is durable, so callers broadcast or acknowledge only then.
 */
export class GroupCommitter {
	private pending: Pending[] = []
	private scheduled = false
	private flushing: Promise<void> = Promise.resolve()

	/**
	 * @param store - where updates go.
	 * @param onCommitted - called with each update's time from arrival to durable (ms), for metrics.
	 */
	constructor(
		private readonly store: RoomStore,
		private readonly onCommitted?: (durableMs: number) => void
	) {}

	/** Queues an update; resolves when it is committed, rejects when the transaction failed. */
	commit(roomId: string, update: Uint8Array): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			this.pending.push({ roomId, update, enqueuedAt: performance.now(), resolve, reject })
			if (!this.scheduled) {
				this.scheduled = true
				setImmediate(() => {
					this.flushing = this.flush()
				})
			}
		})
	}

	/** Resolves when everything queued so far is committed (or has failed). */
	async drain(): Promise<void> {
		while (this.scheduled || this.pending.length) {
			if (!this.scheduled) this.flushing = this.flush()
			await this.flushing
			await new Promise<void>((r) => setImmediate(r))
		}
		await this.flushing
	}

	private async flush(): Promise<void> {
		this.scheduled = false
		const batch = this.pending
		this.pending = []
		if (!batch.length) return
		try {
			await this.store.appendUpdates(batch)
		} catch (error) {
			for (const p of batch) p.reject(error)
			return
		}
		const now = performance.now()
		for (const p of batch) {
			this.onCommitted?.(now - p.enqueuedAt)
			p.resolve()
		}
	}
}
