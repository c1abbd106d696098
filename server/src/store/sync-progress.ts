/** Writes not power-safe after this long make the health check fail (ms). */
export const POWER_SAFE_LAG_LIMIT_MS = 5000

/**
 * What a group fsync has made power-safe so far, for a syncer that hands `fdatasync`s to libuv's pool (the WAL's,
 * {@link WalSyncer} in wal-sync.ts; the update log's, {@link UpdateLog} in update-log.ts): its writes are numbered
 * as they are made, a finished fdatasync covers every write numbered before it started, and callers wait for the
 * writes made so far or ask how long the oldest one not yet covered has waited. It also starts the syncer's
 * fdatasyncs at the end of a turn of the event loop ({@link SyncProgress.requestAtEndOfTurn}).
 */
export class SyncProgress {
	/** A sync was asked for at the end of this turn. */
	private scheduled = false

	/** `startSync`: the syncer's start of an fdatasync (it runs one at a time and reports {@link syncedUpTo}). */
	constructor(private readonly startSync: () => void) {}

	/**
	 * Starts an fdatasync at the end of this turn of the event loop (`setImmediate`), once however often it is asked
	 * for, after the messages that arrived in the turn were handled and broadcast: handing the fdatasync to libuv's
	 * pool wakes a pool thread, which on a server pinned to one core preempts the main thread — from a commit, a
	 * timer or an I/O callback, before the broadcasts of that turn.
	 */
	requestAtEndOfTurn(): void {
		if (this.scheduled) return
		this.scheduled = true
		setImmediate(this.atTurnEnd)
	}

	private readonly atTurnEnd = (): void => {
		this.scheduled = false
		this.startSync()
	}

	/** The last write's number (0: none yet). */
	private written = 0
	/** The last write a finished fdatasync covers. */
	private synced = 0
	/** Writes not known power-safe yet, oldest first: their number and when they were made. */
	private readonly unsynced: { seq: number; at: number }[] = []
	private readonly waiters: { seq: number; resolve: () => void }[] = []

	/** A write was made (a commit, a log record): returns its number. */
	wrote(): number {
		this.written++
		this.unsynced.push({ seq: this.written, at: performance.now() })
		return this.written
	}

	/** The last write's number: what an fdatasync that starts now will cover. */
	get lastWritten(): number {
		return this.written
	}

	/** Whether a write is not covered by a finished fdatasync yet. */
	get behind(): boolean {
		return this.written > this.synced
	}

	/** An fdatasync finished that covers every write up to `upTo`: their waiters resolve. */
	syncedUpTo(upTo: number): void {
		if (upTo > this.synced) this.synced = upTo
		let n = 0
		while (n < this.unsynced.length && this.unsynced[n].seq <= this.synced) n++
		if (n) this.unsynced.splice(0, n)
		n = 0
		while (n < this.waiters.length && this.waiters[n].seq <= this.synced) n++
		if (n) for (const waiter of this.waiters.splice(0, n)) waiter.resolve()
	}

	/** Resolves once every write so far is power-safe; null when they are. */
	whenSynced(): Promise<void> | null {
		const upTo = this.written
		if (this.synced >= upTo) return null
		return new Promise((resolve) => this.waiters.push({ seq: upTo, resolve }))
	}

	/** How long the oldest write not yet power-safe has waited (ms); 0 when every write is. */
	lagMs(now = performance.now()): number {
		return this.unsynced.length ? now - this.unsynced[0].at : 0
	}

	/**
	 * Not ok when the last fdatasync failed (`failure`, null once one succeeded since) or a write has waited longer
	 * than {@link POWER_SAFE_LAG_LIMIT_MS}; `names` say what was synced and what its writes are, for the message.
	 */
	health(failure: string | null, names: { file: string; writes: string }): { ok: boolean; error?: string } {
		if (failure !== null) return { ok: false, error: `fdatasync of ${names.file} failed: ${failure}` }
		const lag = this.lagMs()
		if (lag > POWER_SAFE_LAG_LIMIT_MS)
			return { ok: false, error: `${names.writes} not power-safe for ${Math.round(lag)} ms` }
		return { ok: true }
	}
}
