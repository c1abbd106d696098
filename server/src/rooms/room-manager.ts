import * as Y from 'yjs'
import type { FastifyBaseLogger } from 'fastify'
import type { GroupCommitter } from '../store/group-commit'
import type { RoomLifecycleStore } from '../store/room-lifecycle'
import type { RetiredClientStore, RoomRecordStore } from '../store/room-records'
import { docHistoryStats, rebuildDoc, worthRebuilding } from './doc-rebuild'
import { CLOSE_STORE_FAILED } from '@kompasbord/shared'
import { Room } from './room'

/** Rooms whose store holds more updates than this are compacted on load, and on unload when changed. */
export const COMPACT_AFTER_UPDATES = 200

/** A loaded room whose doc no one needed yet decodes its stored state after this long (ms). */
export const DECODE_AT_LATEST_MS = 200

/**
 * A room's last activity is written at most this often while it is loaded (ms); its last use is written when it
 * unloads. Retention counts in days, so minutes do not matter, and a busy room costs one small write a minute.
 */
export const ACTIVITY_WRITE_INTERVAL_MS = 60_000

interface Entry {
	room: Room
	/** Last acquire or release (ms since the epoch). */
	lastUsedAt: number
	/** Last time {@link Entry.lastUsedAt} was written to the store. */
	activityWrittenAt: number
	/** Connections and in-flight requests using the room. */
	refs: number
	idleTimer: NodeJS.Timeout | null
	/** Loaded with a long update history that is not compacted yet (it is, right after the first sync). */
	compactPending: boolean
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
	/** Rooms being deleted ({@link RoomManager.remove}): a connection or request meanwhile waits, then finds none. */
	private readonly removing = new Map<string, Promise<boolean>>()
	/** Rooms that had users when the shutdown began (see {@link RoomManager.noteRoomsInUse}). */
	private readonly inUseAtShutdown = new Set<string>()
	/** Called with every room right after it loads, before anyone uses it (see {@link RoomManager.onRoomLoaded}). */
	private readonly loadHooks: ((room: Room) => void)[] = []
	/** Called with every room as it leaves memory (see {@link RoomManager.onRoomUnloaded}). */
	private readonly unloadHooks: ((room: Room) => void)[] = []
	/** Called with the id of every room {@link RoomManager.remove} deleted (see {@link RoomManager.onRoomRemoved}). */
	private readonly removeHooks: ((roomId: string) => void)[] = []

	constructor(
		private readonly store: RoomRecordStore & RetiredClientStore & Pick<RoomLifecycleStore, 'deleteRoom' | 'touchRoom'>,
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

	/** Registers a function called with every room as it leaves memory, before its doc is freed. */
	onRoomUnloaded(hook: (room: Room) => void): void {
		this.unloadHooks.push(hook)
	}

	/** Registers a function called with the id of every room deleted through {@link RoomManager.remove}. */
	onRoomRemoved(hook: (roomId: string) => void): void {
		this.removeHooks.push(hook)
	}

	/** The rooms in memory now. */
	loadedRooms(): Room[] {
		return [...this.entries.values()].map((entry) => entry.room)
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
		const pendingRemoval = this.removing.get(roomId)
		if (pendingRemoval) await pendingRemoval.catch(() => false)
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
		this.used(entry)
		return entry.room
	}

	/** Whether the room is in memory now (in use, or idle and not unloaded yet). */
	isLoaded(roomId: string): boolean {
		return this.entries.has(roomId) || this.loading.has(roomId)
	}

	/**
	 * Deletes a room for good: every connection to it is closed with `closeCode` (shared/src/close-codes.ts,
	 * `CLOSE_ROOM_NOT_FOUND`), its pending updates are committed, it leaves memory, and then every row of it is
	 * deleted from the store ({@link RoomLifecycleStore.deleteRoom}). A connection or request arriving meanwhile
	 * waits and then finds no room. Resolves whether the store had the room.
	 */
	remove(roomId: string, closeCode: number, closeReason: string): Promise<boolean> {
		const running = this.removing.get(roomId)
		if (running) return running
		const done = (async () => {
			await this.loading.get(roomId)?.catch(() => null)
			await this.unloading.get(roomId)
			const entry = this.entries.get(roomId)
			if (entry) {
				this.entries.delete(roomId)
				if (entry.idleTimer) clearTimeout(entry.idleTimer)
				const { room } = entry
				for (const peer of [...room.peers]) peer.close?.(closeCode, closeReason)
				try {
					await room.flushed()
				} catch {
					// A failed commit of a room being deleted loses nothing anyone keeps.
				}
				for (const hook of this.unloadHooks) hook(room)
				room.destroy()
			}
			const deleted = await this.store.deleteRoom(roomId)
			for (const hook of this.removeHooks) hook(roomId)
			return deleted
		})().finally(() => this.removing.delete(roomId))
		this.removing.set(roomId, done)
		return done
	}

	/** Notes a use of the room; writes it to the store at most every {@link ACTIVITY_WRITE_INTERVAL_MS}. */
	private used(entry: Entry): void {
		entry.lastUsedAt = Date.now()
		if (entry.lastUsedAt - entry.activityWrittenAt >= ACTIVITY_WRITE_INTERVAL_MS) this.writeActivity(entry)
	}

	private writeActivity(entry: Entry): void {
		entry.activityWrittenAt = entry.lastUsedAt
		this.store.touchRoom(entry.room.id, entry.lastUsedAt).catch((error: unknown) => {
			this.log.warn({ err: error, roomId: entry.room.id }, 'could not record the room activity')
		})
	}

	/** Releases a room acquired with {@link RoomManager.acquire}; the last release starts the idle timer. */
	release(room: Room): void {
		const entry = this.entries.get(room.id)
		if (!entry || entry.room !== room) return
		entry.refs--
		this.used(entry)
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

	/**
	 * Reads a room's stored updates and makes its Room. The doc decodes them when first needed: a connection
	 * waiting for the room answers a fresh client's sync step 1 from the stored bytes, so neither decoding nor
	 * re-encoding the board delays that client's first sync (see {@link Room.syncUpdateFor}); decoding follows
	 * right after, or after {@link DECODE_AT_LATEST_MS} when no one asked — but for a small room, which decodes
	 * when something needs its doc (`DECODE_ON_DEMAND_BYTES` in room.ts).
	 */
	private async load(roomId: string): Promise<Entry | null> {
		const meta = await this.store.getRoom(roomId)
		if (!meta) return null
		const started = performance.now()
		const { updates, lastSeq } = await this.store.loadUpdates(roomId)
		const retired = await this.store.listRetiredClients(roomId)
		const room = new Room(meta, updates, this.committer, (failed, error, what) =>
			this.handleFailure(failed, error, what)
		)
		if (retired.length) room.retiredClients = new Set(retired)
		room.loadedSeq = lastSeq
		for (const hook of this.loadHooks) hook(room)
		const entry: Entry = {
			room,
			lastUsedAt: Date.now(),
			activityWrittenAt: 0,
			refs: 0,
			idleTimer: null,
			compactPending: updates.length > COMPACT_AFTER_UPDATES,
		}
		this.entries.set(roomId, entry)
		room.whenDecoded(() => this.afterDecode(entry, started))
		setTimeout(() => room.decodeSoon(), DECODE_AT_LATEST_MS).unref()
		return entry
	}

	/** A loaded room's doc holds its stored state: a long history is compacted a turn of the event loop later. */
	private afterDecode(entry: Entry, started: number): void {
		this.log.debug({ roomId: entry.room.id, ms: performance.now() - started }, 'room loaded')
		if (entry.compactPending) setImmediate(() => void this.compactOnLoad(entry))
	}

	private async compactOnLoad(entry: Entry): Promise<void> {
		const { room } = entry
		if (this.entries.get(room.id) !== entry || room.failed || !entry.compactPending) return
		entry.compactPending = false
		try {
			await this.compact(room)
		} catch (error) {
			this.log.error({ err: error, roomId: room.id }, 'compaction on load failed')
		}
	}

	/** Writes the room's state as one snapshot in place of its update history. */
	async compact(room: Room): Promise<void> {
		await room.flushed()
		await this.store.compact(room.id, Y.encodeStateAsUpdate(room.doc), room.compactionBound)
		room.updatesSinceCompaction = 0
	}

	/**
	 * Writes the state of a room no one uses any more as one snapshot; when its history has grown larger than
	 * its content ({@link worthRebuilding}) and `mayRebuild`, as a doc rebuilt without history, retiring the old
	 * doc's client ids (see doc-rebuild.ts).
	 */
	private async compactForUnload(room: Room, mayRebuild: boolean): Promise<void> {
		await room.flushed()
		const stats = mayRebuild && room.rebuildable ? docHistoryStats(room.doc) : null
		const rebuilt = stats && worthRebuilding(stats) ? rebuildDoc(room.doc) : null
		if (!rebuilt) return this.compact(room)
		const snapshot = Y.encodeStateAsUpdate(rebuilt.doc)
		rebuilt.doc.destroy()
		await this.store.replaceDoc(room.id, snapshot, rebuilt.retiredClients)
		room.updatesSinceCompaction = 0
		this.log.info({ roomId: room.id, ...stats, bytes: snapshot.byteLength }, 'room rebuilt without its history')
	}

	/**
	 * Takes a room out of memory, compacting it first. `mayRebuild`: no one was connected when the unload
	 * began (an idle room), so a rebuild sends no connected board away; on shutdown, rooms still in use are only
	 * compacted, so their boards reconnect to the same doc.
	 */
	private unload(roomId: string, mayRebuild = true): Promise<void> {
		const entry = this.entries.get(roomId)
		if (!entry || entry.refs > 0) return Promise.resolve()
		const done = (async () => {
			const { room } = entry
			this.entries.delete(roomId)
			if (entry.lastUsedAt > entry.activityWrittenAt) this.writeActivity(entry)
			try {
				await room.flushed()
				if (!room.failed && (room.updatesSinceCompaction > 0 || entry.compactPending)) {
					await this.compactForUnload(room, mayRebuild)
				}
			} catch (error) {
				this.log.error({ err: error, roomId }, 'compaction on unload failed')
			} finally {
				for (const hook of this.unloadHooks) hook(room)
				room.destroy()
				this.log.debug({ roomId }, 'room unloaded')
			}
		})().finally(() => this.unloading.delete(roomId))
		this.unloading.set(roomId, done)
		return done
	}

	/**
	 * A room whose stored state did not decode (`load`), or one of whose changes could not be stored (`commit`,
	 * e.g. a full disk): its doc cannot be trusted to match the store — after a failed commit it is ahead of it.
	 * It leaves the map at once, so the next connection or request loads it again from what is stored, and every
	 * connection is closed: after a failed commit with {@link CLOSE_STORE_FAILED}, on which y-websocket clients
	 * reconnect and their sync sends what the store lacks (the change that failed, which no one else received).
	 * While the store still cannot write, that commit fails again and the cycle repeats, at the clients' backoff.
	 */
	private handleFailure(room: Room, error: unknown, what: 'commit' | 'load'): void {
		if (what === 'load') {
			this.log.error({ err: error, roomId: room.id }, 'the stored room did not decode; closing its connections')
		} else {
			this.log.error({ err: error, roomId: room.id }, 'a change could not be stored; reloading the room from the store')
		}
		const entry = this.entries.get(room.id)
		if (entry?.room === room) {
			if (entry.idleTimer) clearTimeout(entry.idleTimer)
			this.entries.delete(room.id)
		}
		for (const peer of [...room.peers]) {
			if (what === 'commit') peer.close?.(CLOSE_STORE_FAILED, 'a change could not be stored; reconnect')
			else peer.close?.(1011, 'room failed to load')
		}
		// Freed (its awareness timer too) once the commits in flight have settled (a later one may still succeed),
		// or, for a doc that did not decode, after the call that found out.
		const free = () => {
			if (entry?.room === room) for (const hook of this.unloadHooks) hook(room)
			room.destroy()
		}
		if (what === 'commit') void room.flushed().then(free)
		else setImmediate(free)
	}

	/** Flushes and unloads every room (shutdown). */
	/**
	 * Remembers which rooms are in use now (shutdown, before the connections close): {@link RoomManager.closeAll}
	 * rebuilds none of them, so their boards reconnect to the same doc after a restart.
	 */
	noteRoomsInUse(): void {
		for (const [id, entry] of this.entries) if (entry.refs > 0) this.inUseAtShutdown.add(id)
	}

	async closeAll(): Promise<void> {
		const inUse = new Set(this.inUseAtShutdown)
		for (const [id, entry] of this.entries) {
			if (entry.idleTimer) clearTimeout(entry.idleTimer)
			if (entry.refs > 0) inUse.add(id)
			entry.refs = 0
		}
		await Promise.all([...this.entries.keys()].map((id) => this.unload(id, !inUse.has(id))))
		await Promise.all([...this.unloading.values()])
	}
}
