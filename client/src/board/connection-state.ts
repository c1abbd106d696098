/**
 * What the connection badge shows: whether the board is in step with the server, and how many local changes
 * are waiting to be sent while it is not.
 */

/** The badge's states. */
export type ConnectionPhase =
	/** Before the first sync. */
	| 'connecting'
	/** Connected and synced: every local change reaches the server. */
	| 'connected'
	/** Lost the server, no local changes waiting. */
	| 'reconnecting'
	/** Lost the server with local changes waiting (see {@link ConnectionSnapshot.unsent}). */
	| 'offline'

/** An immutable snapshot of the connection state. */
export interface ConnectionSnapshot {
	readonly phase: ConnectionPhase
	/** Records changed locally since the connection was lost (0 while connected). */
	readonly unsent: number
}

/** The provider's socket status, as y-websocket's `status` event reports it. */
export type SocketStatus = 'connecting' | 'connected' | 'disconnected'

/**
 * Tracks a y-websocket provider's status and sync events and the local changes made while not synced.
 * A change is counted per record: editing the same sticky note ten times offline is one unsent change.
 * The count resets when the provider syncs again (the changes are then on the server).
 */
export class ConnectionTracker {
	private synced = false
	private everSynced = false
	private readonly unsentIds = new Set<string>()
	private snapshot: ConnectionSnapshot = { phase: 'connecting', unsent: 0 }
	private readonly listeners = new Set<() => void>()

	/** The provider's `sync` event. */
	setSynced(synced: boolean): void {
		this.synced = synced
		if (synced) {
			this.everSynced = true
			this.unsentIds.clear()
		}
		this.update()
	}

	/** The provider's `status` event; a lost socket means not synced. */
	setStatus(status: SocketStatus): void {
		if (status !== 'connected' && this.synced) {
			this.synced = false
			this.update()
		}
	}

	/** Local changes written into the doc, by record id; counted while the provider is not synced. */
	recordLocalChanges(ids: Iterable<string>): void {
		if (this.synced) return
		const before = this.unsentIds.size
		for (const id of ids) this.unsentIds.add(id)
		if (this.unsentIds.size !== before) this.update()
	}

	/** Ids of the records changed locally since the connection was lost (none while synced). */
	unsentRecordIds(): string[] {
		return this.synced ? [] : [...this.unsentIds]
	}

	/** The current state; the same object until something changes (for `useSyncExternalStore`). */
	getSnapshot = (): ConnectionSnapshot => this.snapshot

	/** Calls `listener` after every change of the snapshot; returns the unsubscribe function. */
	subscribe = (listener: () => void): (() => void) => {
		this.listeners.add(listener)
		return () => {
			this.listeners.delete(listener)
		}
	}

	private update(): void {
		const unsent = this.synced ? 0 : this.unsentIds.size
		const phase: ConnectionPhase = this.synced
			? 'connected'
			: !this.everSynced
				? 'connecting'
				: unsent > 0
					? 'offline'
					: 'reconnecting'
		if (phase === this.snapshot.phase && unsent === this.snapshot.unsent) return
		this.snapshot = { phase, unsent }
		for (const listener of this.listeners) listener()
	}
}
