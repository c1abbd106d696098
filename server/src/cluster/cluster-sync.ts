import { CLOSE_KEY_REPLACED, CLOSE_ROOM_NOT_FOUND, RECORDS_MAP } from '@kompasbord/shared'
import type { FastifyBaseLogger } from 'fastify'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { REMOTE_ORIGIN, type Room } from '../rooms/room'
import type { RoomManager } from '../rooms/room-manager'
import type { PgRoomStore } from '../store/pg-room-store'
import type { StoredUpdate } from '../store/room-records'
import type { BusMessage } from './bus-message'
import type { RedisRoomBus } from './redis-room-bus'
import type { PgRoomLocks } from './room-lock'

/** How long an out-of-order update waits for the ones before it before the room is read back (ms). */
export const GAP_WAIT_MS = 50

/** How often every loaded room's last sequence number is compared with the database (ms). */
export const POLL_INTERVAL_MS = 1000

interface RoomSync {
	room: Room
	/** Every update up to this sequence number is in the room's doc. */
	applied: number
	/** Updates past a gap, by sequence number (null payload: this server's own, already in the doc). */
	ahead: Map<number, Uint8Array | null>
	catchUpTimer: NodeJS.Timeout | null
	catchingUp: Promise<void> | null
	subscribed: Promise<void>
}

/**
 * Keeps the rooms of several servers on one database in step (REDIS_URL):
 *
 * - every update this server commits is published on the room bus with its room sequence number, after the
 *   commit and before anyone is told it is durable;
 * - every server holding the room applies the updates of the others in sequence order (origin
 *   {@link REMOTE_ORIGIN}: sent to its own peers, not committed again);
 * - a missing number (a message lost with a dropped subscription or a Redis restart, or just late) is waited for
 *   {@link GAP_WAIT_MS}, then read back from the database; a periodic comparison with the database's last
 *   number catches a loss after the last message too;
 * - awareness updates of local peers travel on the bus as they are (never stored);
 * - server-owned changes of a room run under the room's PostgreSQL advisory lock on a doc caught up first
 *   ({@link Room.exclusive}), so placement, votes, the session state and moderation happen once for the cluster.
 */
export class ClusterSync {
	private readonly rooms = new Map<string, RoomSync>()
	private readonly poller: NodeJS.Timeout
	/** Rooms being removed because another server deleted them (not announced again). */
	private readonly removalsFromBus = new Set<string>()

	constructor(
		private readonly serverId: string,
		private readonly store: PgRoomStore,
		private readonly bus: RedisRoomBus,
		private readonly locks: PgRoomLocks,
		private readonly manager: RoomManager,
		private readonly log: FastifyBaseLogger
	) {
		store.onUpdatesCommitted((updates, seqs) => this.committed(updates, seqs))
		// A room's record changed here (closed, reopened, a new facilitator key): the servers holding it read it again.
		store.onRecordChanged((roomId) =>
			this.bus.publish(roomId, { type: 'control', server: this.serverId, event: 'record-changed' })
		)
		manager.onRoomLoaded((room) => this.attach(room))
		manager.onRoomUnloaded((room) => this.detach(room))
		manager.onRoomRemoved((roomId) => {
			// Deleted here: every other server closes its boards of the room and forgets it.
			if (this.removalsFromBus.delete(roomId)) return
			this.bus.publish(roomId, { type: 'control', server: this.serverId, event: 'deleted' })
		})
		bus.onResubscribed(() => {
			this.log.warn('room bus subscription restored; reading every loaded room back from the database')
			for (const sync of this.rooms.values()) {
				this.scheduleCatchUp(sync, 0)
				// A control message may have been lost too: a room deleted or its record changed meanwhile.
				void this.recheckRecord(sync.room)
			}
		})
		this.poller = setInterval(() => void this.poll(), POLL_INTERVAL_MS)
		this.poller.unref()
	}

	/** Resolves once the room's subscription is up and its doc holds every update committed before. */
	async ready(roomId: string): Promise<void> {
		const sync = this.rooms.get(roomId)
		if (!sync) return
		await sync.subscribed
		await sync.catchingUp
	}

	private attach(room: Room): void {
		const sync: RoomSync = {
			room,
			applied: room.loadedSeq,
			ahead: new Map(),
			catchUpTimer: null,
			catchingUp: null,
			subscribed: Promise.resolve(),
		}
		this.rooms.set(room.id, sync)
		room.compactionBound = sync.applied
		room.rebuildable = false
		room.exclusive = (task) =>
			this.locks.run(room.id, async () => {
				await this.catchUpFresh(sync)
				return task()
			})
		room.awareness.on('update', this.awarenessListener(room))
		room.whenDecoded(() => this.followNoteRights(room))
		// Subscribed, then read once more: an update committed between the load and the subscription is not lost.
		sync.subscribed = this.bus
			.subscribe(room.id, (message) => this.received(sync, message))
			.then(() => this.scheduleCatchUp(sync, 0))
			.catch((error) => this.log.error({ err: error, roomId: room.id }, 'room bus subscription failed'))
	}

	private detach(room: Room): void {
		const sync = this.rooms.get(room.id)
		if (!sync || sync.room !== room) return
		this.rooms.delete(room.id)
		if (sync.catchUpTimer) clearTimeout(sync.catchUpTimer)
		void this.bus.unsubscribe(room.id)
	}

	/**
	 * Who owns a note and which notes the facilitator took off the board are kept per server (Room.noteOwners,
	 * Room.retiredNoteIds) by the server that made the change; for notes another server added or removed they
	 * are read from the database (the note ledger, the hidden notes), so the rules hold on every server.
	 */
	private followNoteRights(room: Room): void {
		room.doc.getMap<unknown>(RECORDS_MAP).observe((event, transaction) => {
			if (transaction.origin !== REMOTE_ORIGIN) return
			for (const [key, change] of event.changes.keys) {
				if (!key.startsWith('shape:')) continue
				if (change.action === 'delete') void this.noteRemoved(room, key)
				else if (change.action === 'add') {
					room.retiredNoteIds.delete(key)
					if (!room.noteOwners.has(key)) void this.noteAdded(room, key, 1)
				}
			}
		})
	}

	/** After a gap on the bus: a room deleted meanwhile is closed here (4404), a changed record read again. */
	private async recheckRecord(room: Room): Promise<void> {
		try {
			if (await this.store.getRoom(room.id)) return this.reloadRecord(room)
			if (this.rooms.get(room.id)?.room !== room) return
			this.log.info({ roomId: room.id }, 'room deleted while the bus was away; closing its connections here')
			this.removalsFromBus.add(room.id)
			await this.manager.remove(room.id, CLOSE_ROOM_NOT_FOUND, 'room deleted')
		} catch (error) {
			this.log.warn({ err: error, roomId: room.id }, 'could not read the room record again')
		}
	}

	/** Another server changed the room's record: read it again; a new facilitator key sends the old one's boards away. */
	private async reloadRecord(room: Room): Promise<void> {
		try {
			const record = await this.store.getRoom(room.id)
			if (!record) return
			const keyReplaced = record.facilitatorKeyHash !== room.meta.facilitatorKeyHash
			room.meta = record
			if (keyReplaced) {
				for (const peer of [...room.peers]) {
					if (peer.role === 'facilitator') peer.close?.(CLOSE_KEY_REPLACED, 'facilitator key replaced')
				}
			}
		} catch (error) {
			this.log.warn({ err: error, roomId: room.id }, 'could not read the room record again')
		}
	}

	private async noteAdded(room: Room, noteId: string, retries: number): Promise<void> {
		try {
			const entry = await this.store.getNote(room.id, noteId)
			if (entry && !room.noteOwners.has(noteId)) room.noteOwners.set(noteId, entry.participantId)
			// A canvas note is recorded in the ledger just after its update: look once more a moment later.
			else if (!entry && retries > 0) setTimeout(() => void this.noteAdded(room, noteId, retries - 1), 1000).unref()
		} catch (error) {
			this.log.warn({ err: error, roomId: room.id, noteId }, 'could not read the owner of a note')
		}
	}

	private async noteRemoved(room: Room, noteId: string): Promise<void> {
		try {
			const [hidden, entry] = await Promise.all([
				this.store.getHiddenNote(room.id, noteId),
				this.store.getNote(room.id, noteId),
			])
			if (hidden || entry?.status === 'deleted') room.retiredNoteIds.add(noteId)
		} catch (error) {
			this.log.warn({ err: error, roomId: room.id, noteId }, 'could not read whether a note was moderated')
		}
	}

	/** Awareness changes of this server's peers go to the other servers (their own changes come back as remote). */
	private awarenessListener(room: Room) {
		return (
			{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
			origin: unknown
		) => {
			if (origin === REMOTE_ORIGIN) return
			const changed = added.concat(updated, removed).filter((id) => id !== room.awareness.clientID)
			if (changed.length === 0) return
			const payload = awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed)
			this.bus.publish(room.id, { type: 'awareness', server: this.serverId, payload })
		}
	}

	/** This server committed updates: publish them, and note their numbers as applied (they are in the doc). */
	private committed(updates: readonly StoredUpdate[], seqs: readonly number[]): void {
		for (let i = 0; i < updates.length; i++) {
			const { roomId, update } = updates[i]
			if (seqs[i] === 0) continue // the room was deleted meanwhile: nothing was stored
			this.bus.publish(roomId, { type: 'update', server: this.serverId, seq: seqs[i], payload: update })
			const sync = this.rooms.get(roomId)
			if (sync) this.arrived(sync, seqs[i], null)
		}
	}

	private received(sync: RoomSync, message: BusMessage): void {
		if (message.type === 'control') {
			if (message.server === this.serverId) return
			if (message.event === 'record-changed') {
				void this.reloadRecord(sync.room)
				return
			}
			this.log.info({ roomId: sync.room.id }, 'room deleted on another server; closing its connections here')
			this.removalsFromBus.add(sync.room.id)
			void this.manager.remove(sync.room.id, CLOSE_ROOM_NOT_FOUND, 'room deleted')
			return
		}
		if (message.type === 'awareness') {
			if (message.server === this.serverId) return
			try {
				awarenessProtocol.applyAwarenessUpdate(sync.room.awareness, message.payload, REMOTE_ORIGIN)
			} catch (error) {
				this.log.warn({ err: error, roomId: sync.room.id }, 'awareness update from the bus did not decode')
			}
			return
		}
		this.arrived(sync, message.seq, message.server === this.serverId ? null : message.payload)
	}

	/** Update `seq` is known (payload null: already in the doc): apply what is contiguous, wait for the rest. */
	private arrived(sync: RoomSync, seq: number, payload: Uint8Array | null): void {
		if (seq <= sync.applied) return
		if (!sync.ahead.has(seq) || payload === null) sync.ahead.set(seq, payload)
		this.drain(sync)
	}

	/** Applies the updates that follow the last applied one; waits for (or reads back) the ones missing. */
	private drain(sync: RoomSync): void {
		while (sync.ahead.has(sync.applied + 1)) {
			const next = sync.applied + 1
			const update = sync.ahead.get(next)
			sync.ahead.delete(next)
			if (update && !this.apply(sync, update)) return
			this.advance(sync, next)
		}
		if (sync.ahead.size > 0) this.scheduleCatchUp(sync, GAP_WAIT_MS)
		else if (sync.catchUpTimer) {
			clearTimeout(sync.catchUpTimer)
			sync.catchUpTimer = null
		}
	}

	private apply(sync: RoomSync, update: Uint8Array): boolean {
		if (sync.room.failed) return false
		try {
			Y.applyUpdate(sync.room.doc, update, REMOTE_ORIGIN)
			return true
		} catch (error) {
			this.log.error({ err: error, roomId: sync.room.id }, 'update from another server did not apply')
			return false
		}
	}

	private advance(sync: RoomSync, seq: number): void {
		sync.applied = seq
		sync.room.compactionBound = seq
	}

	private scheduleCatchUp(sync: RoomSync, delayMs: number): void {
		if (sync.catchUpTimer) return
		sync.catchUpTimer = setTimeout(() => {
			sync.catchUpTimer = null
			void this.catchUp(sync).catch((error) =>
				this.log.warn({ err: error, roomId: sync.room.id }, 'catching up from the database failed; retrying')
			)
		}, delayMs)
		sync.catchUpTimer.unref()
	}

	/** Reads every update after the last applied one from the database and applies it (one at a time per room). */
	private catchUp(sync: RoomSync): Promise<void> {
		if (sync.catchingUp) return sync.catchingUp
		sync.catchingUp = (async () => {
			try {
				const missed = await this.store.records.loadUpdatesSince(sync.room.id, sync.applied)
				for (const { seq, update } of missed) {
					if (seq <= sync.applied) continue
					if (!this.apply(sync, update)) return
					this.advance(sync, seq)
					sync.ahead.delete(seq)
				}
				for (const seq of sync.ahead.keys()) if (seq <= sync.applied) sync.ahead.delete(seq)
			} finally {
				sync.catchingUp = null
			}
			// What arrived meanwhile may now be contiguous.
			if (sync.ahead.size) this.drain(sync)
		})()
		return sync.catchingUp
	}

	/** A catch-up that starts now (after any running one), so the doc holds everything committed before this call. */
	private async catchUpFresh(sync: RoomSync): Promise<void> {
		await sync.catchingUp?.catch(() => {})
		await this.catchUp(sync)
	}

	/** Compares every loaded room's applied number with the database's last one; catches up the ones behind. */
	private async poll(): Promise<void> {
		if (this.rooms.size === 0) return
		try {
			const last = await this.store.records.lastSeqs([...this.rooms.keys()])
			for (const [roomId, seq] of last) {
				const sync = this.rooms.get(roomId)
				if (sync && seq > sync.applied) this.scheduleCatchUp(sync, GAP_WAIT_MS)
			}
		} catch (error) {
			this.log.warn({ err: error }, 'comparing rooms with the database failed')
		}
	}

	close(): void {
		clearInterval(this.poller)
		for (const sync of this.rooms.values()) if (sync.catchUpTimer) clearTimeout(sync.catchUpTimer)
		this.rooms.clear()
	}
}
