import * as Y from 'yjs'
import type { FastifyBaseLogger } from 'fastify'
import type { GroupCommitter } from '../store/group-commit'
import type { RoomStore } from '../store/room-store'
import { Room } from './room'

/** Rooms whose store holds more updates than this are compacted on load, and on unload when changed. */
export const COMPACT_AFTER_UPDATES = 200

/**
 * A doc holding the stored updates. A function of its own so that no closure in `load` captures the updates:
 * V8 keeps one context per function for all its closures, and the Room keeps `load`'s commit-failure callback
 * for as long as it is loaded — capturing `updates` there kept every loaded room's stored bytes in memory.
 */
function docFromUpdates(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc()
	doc.transact(() => {
		for (const update of updates) Y.applyUpdate(doc, update)
	})
	return doc
}

interface Entry {
	room: Room
	/** Connections and in-flight requests using the room. */
	refs: number
	idleTimer: NodeJS.Timeout | null
}

/**
 * Loads rooms on first use (concurrent callers share one load), keeps them while in use, and unloads them
 * after `idleMs` without users. Compaction keeps load time flat: a room is stored as one snapshot plus the
 * updates since.
 */
export class RoomManager {
	private readonly entries = new Map<string, Entry>()
	private readonly loading = new Map<string, Promise<Entry | null>>()
	private readonly unloading = new Map<string, Promise<void>>()
	/** Called with every room right after it loads, before anyone uses it (see {@link RoomManager.onRoomLoaded}). */
	private readonly loadHooks: ((room: Room) => void)[] = []

	constructor(
		private readonly store: RoomStore,
		private readonly committer: GroupCommitter,
		private readonly log: FastifyBaseLogger,
		private readonly idleMs: number
	) {}

	/**
	 * Registers a function called with every room right after it loads, before any connection or request uses
	 * it — e.g. the facilitator toolkit attaching {@link Room.onPrivateCanvasNote}.
	 */
	onRoomLoaded(hook: (room: Room) => void): void {
		this.loadHooks.push(hook)
	}

	/** Number of rooms in memory. */
	get loadedCount(): number {
		return this.entries.size
	}

	/** The loaded room, if it is in memory now. */
	peek(roomId: string): Room | undefined {
		return this.entries.get(roomId)?.room
	}

	/**
	 * Loads (if needed) and retains a room; null for an unknown room. Every successful call must be paired
	 * with {@link RoomManager.release}.
	 */
	async acquire(roomId: string): Promise<Room | null> {
		const pendingUnload = this.unloading.get(roomId)
		if (pendingUnload) await pendingUnload
		let entry = this.entries.get(roomId)
		if (!entry) {
			let load = this.loading.get(roomId)
			if (!load) {
				load = this.load(roomId).finally(() => this.loading.delete(roomId))
				this.loading.set(roomId, load)
			}
			const loaded = await load
			if (!loaded) return null
			entry = loaded
		}
		entry.refs++
		if (entry.idleTimer) {
			clearTimeout(entry.idleTimer)
			entry.idleTimer = null
		}
		return entry.room
	}

	/** Releases a room acquired with {@link RoomManager.acquire}; the last release starts the idle timer. */
	release(room: Room): void {
		const entry = this.entries.get(room.id)
		if (!entry || entry.room !== room) return
		entry.refs--
		if (entry.refs <= 0 && !entry.idleTimer) {
			entry.idleTimer = setTimeout(() => void this.unload(room.id), this.idleMs)
			entry.idleTimer.unref()
		}
	}

	/** Runs `fn` with the room retained; null when the room is unknown. */
	async use<T>(roomId: string, fn: (room: Room) => Promise<T> | T): Promise<T | null> {
		const room = await this.acquire(roomId)
		if (!room) return null
		try {
			return await fn(room)
		} finally {
			this.release(room)
		}
	}

	private async load(roomId: string): Promise<Entry | null> {
		const meta = await this.store.getRoom(roomId)
		if (!meta) return null
		const started = performance.now()
		const { updates } = await this.store.loadUpdates(roomId)
		const doc = docFromUpdates(updates)
		const room = new Room(meta, doc, this.committer, (failed, error) => this.handleCommitFailure(failed, error))
		for (const hook of this.loadHooks) hook(room)
		const entry: Entry = { room, refs: 0, idleTimer: null }
		this.entries.set(roomId, entry)
		if (updates.length > COMPACT_AFTER_UPDATES) await this.compact(room)
		this.log.debug({ roomId, updates: updates.length, ms: performance.now() - started }, 'room loaded')
		return entry
	}

	/** Writes the room's state as one snapshot in place of its update history. */
	async compact(room: Room): Promise<void> {
		await room.flushed()
		await this.store.compact(room.id, Y.encodeStateAsUpdate(room.doc), Number.MAX_SAFE_INTEGER)
		room.updatesSinceCompaction = 0
	}

	private unload(roomId: string): Promise<void> {
		const entry = this.entries.get(roomId)
		if (!entry || entry.refs > 0) return Promise.resolve()
		const done = (async () => {
			const { room } = entry
			this.entries.delete(roomId)
			try {
				await room.flushed()
				if (!room.failed && room.updatesSinceCompaction > 0) await this.compact(room)
			} catch (error) {
				this.log.error({ err: error, roomId }, 'compaction on unload failed')
			} finally {
				room.destroy()
				this.log.debug({ roomId }, 'room unloaded')
			}
		})().finally(() => this.unloading.delete(roomId))
		this.unloading.set(roomId, done)
		return done
	}

	private handleCommitFailure(room: Room, error: unknown): void {
		this.log.error({ err: error, roomId: room.id }, 'commit failed; closing the room so clients reload it')
		for (const peer of [...room.peers]) peer.close?.(1011, 'commit failed')
	}

	/** Flushes and unloads every room (shutdown). */
	async closeAll(): Promise<void> {
		for (const entry of this.entries.values()) {
			if (entry.idleTimer) clearTimeout(entry.idleTimer)
			entry.refs = 0
		}
		await Promise.all([...this.entries.keys()].map((id) => this.unload(id)))
		await Promise.all([...this.unloading.values()])
	}
}
