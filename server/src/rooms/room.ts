import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import type { GroupCommitter, LoggedCommit } from '../store/group-commit'
import type { RoomRecord } from '../store/room-store'
import {
	CLOSE_UPDATE_INCOMPLETE,
	META_MAP,
	RECORDS_MAP,
	SESSION_MAP,
	VOTES_MAP,
	readParticipantThemes,
	readSessionPhase,
	readStructureLocked,
	readScreening,
	serverNoticeState,
	type SessionPhase,
} from '@kompasbord/shared'
import { isThemeShape } from '@kompasbord/shared/focus'
import { holdsRetiredDoc } from './doc-rebuild'
import { NoteOwners } from './note-owners'
import { isNote, judgeChange, type DenialReason, type MapChange, type PermissionContext } from './permissions'
import {
	MAX_UPDATE_BYTES,
	checkRecordChange,
	hasValidAncestry,
	hasValidEnds,
	type PlainRecord,
} from './record-validation'
import { FreshSyncAnswer, isEmptyStateVector } from '../ws/fresh-sync-answer'
import { framedMessage } from '../ws/binary-frame'
import { CloseCode, SYNC_STEP_2_HEAD, messageAwareness, syncUpdateMessage } from '../ws/protocol'
import { whereUpdateStarts } from './update-gap'

/** Transaction origin of changes the server makes itself (REST routes, reverts). */
export const SERVER_ORIGIN = 'kompasbord-server'

/**
 * A write into a room whose earlier change failed to commit: the room is being loaded again from the store.
 * Answered 503 `store_unavailable` (see store/store-errors.ts); the client may retry.
 */
export class RoomFailedError extends Error {
	override name = 'RoomFailedError'
	readonly code = 'ROOM_FAILED'
	constructor(roomId: string) {
		super(`room ${roomId} could not store a change and is being reloaded`)
	}
}

/**
 * Transaction origin of updates another server committed (they came over the room bus, or were read back from
 * the database after a gap): already durable, so they are only sent to this server's peers.
 */
export const REMOTE_ORIGIN = Symbol('kompasbord-remote')

/** The capability a websocket connection holds in its room. */
export type Role = 'facilitator' | 'participant' | 'viewer'

/** A connected peer as a room sees it: something to send binary messages to. */
export interface RoomPeer {
	readonly role: Role
	/**
	 * Who the peer is: the participant id inside the participant token the connection was admitted with
	 * (server-issued and signed, see rooms/participant-tokens.ts), the same id the notes and votes routes see
	 * for that token, so a laptop participant is the same person as on their phone (held notes, votes, note
	 * ownership). Null for the facilitator and viewers. The one place a peer's identity is read from.
	 */
	readonly participantId?: string | null
	/** Awareness client ids this peer controls, removed for everyone when it leaves. */
	readonly awarenessClientIds: AwarenessClientIds
	send(message: Uint8Array): void
	/** Closes the peer's connection with a websocket close code. */
	close?(code: number, reason: string): void
}

/**
 * The awareness client ids a peer controls: a `Set`, or what a websocket connection keeps (ws/client-ids.ts, one id
 * without a set).
 */
export interface AwarenessClientIds extends Iterable<number> {
	readonly size: number
	has(id: number): boolean
	add(id: number): unknown
	delete(id: number): boolean
}

/** A shared type of a doc, as a transaction reports it changed. */
type SharedType = Y.Transaction['changed'] extends Map<infer T, unknown> ? T : never

/**
 * The participant identity a peer acts under (notes' owner, held notes), or null without one. The one place
 * that reads it from the connection, so how a connection proves its identity can change without the rules.
 */
export function participantIdentity(peer: RoomPeer): string | null {
	return peer.role === 'participant' || peer.role === 'facilitator' ? (peer.participantId ?? null) : null
}

/**
 * A room stored as one update of at most this many bytes (a board made from a template and barely written to,
 * a compacted small board) decodes it only when something needs the doc: a peer's change, a REST route, a
 * reconnecting peer. Decoding that much takes well under a millisecond, and until then the room holds the
 * stored bytes instead of the decoded board (about 12 KB of heap for the blanco board against its 2.8 KB).
 * A bigger room decodes right after its first answer, so that its first change does not wait for that.
 */
export const DECODE_ON_DEMAND_BYTES = 16 * 1024

/** An update that holds nothing (no structs, no deletions): what a client with an empty doc answers sync step 1 with. */
function isEmptyUpdate(update: Uint8Array): boolean {
	return update.byteLength === 2 && update[0] === 0 && update[1] === 0
}

/** The retired client ids of a room whose doc replaced none: one empty set for all of them. */
const NO_CLIENTS: ReadonlySet<number> = new Set()

/**
 * A loaded room: its Y.Doc and awareness, the connected peers, and the write path. Every doc update is
 * committed through the {@link GroupCommitter} and broadcast to the other peers only once it is durable.
 */
export class Room {
	readonly awareness: awarenessProtocol.Awareness
	readonly peers = new Set<RoomPeer>()
	/** Resolves when every update so far is committed. */
	private lastCommit: Promise<void> = Promise.resolve()
	/**
	 * The last queued commit while it is in flight: until it settles the doc holds an update that is not crash-safe
	 * yet (see {@link Room.whenDurable}); null when every update of the doc is.
	 */
	private notDurable: Promise<void> | null = null
	/** Updates committed since the room was loaded or last compacted. */
	updatesSinceCompaction = 0
	/** Set when an update failed to commit or the stored state did not decode; the room is then reloaded. */
	failed = false
	/** Changes made by non-facilitator peers in the transaction being applied, judged after it. */
	private peerChanges: MapChange[] = []
	/** While a peer's update is being judged: the doc updates it caused, held back until the verdict. */
	private heldBack: { update: Uint8Array; origin: unknown }[] | null = null
	/**
	 * Called with a sticky note a participant drew on the canvas during private writing or while screening is on,
	 * after the server took it off the shared board; the facilitator toolkit holds it until the reveal, or puts it
	 * in the facilitator's screening queue.
	 */
	onPrivateCanvasNote: ((peer: RoomPeer, record: Record<string, unknown>) => void) | null = null
	/** Called once for every change of a peer the server refused (and reverted), with the reason (metrics). */
	onChangeRefused: ((reason: DenialReason) => void) | null = null
	/**
	 * Client ids of the docs this room's doc replaced (see doc-rebuild.ts): a peer whose state vector names one
	 * holds an old copy and is sent away to reload ({@link Room.holdsRetiredDoc}).
	 */
	retiredClients: ReadonlySet<number> = NO_CLIENTS
	/**
	 * Who wrote which note: note id → participant identity, from the note ledger (phone notes, and canvas notes
	 * recorded through {@link Room.onCanvasNoteCreated}). Only the author (or the facilitator) may change a
	 * note's text or delete it; anyone may move it.
	 */
	readonly noteOwners = new NoteOwners()
	/**
	 * Called with each note a participant drew on the canvas, once accepted, and the participant identity it
	 * was drawn under; the session toolkit records it in the note ledger, so the author owns it after a restart
	 * and over REST too.
	 */
	onCanvasNoteCreated: ((participantId: string, record: Record<string, unknown>) => void) | null = null
	/** Ids of notes the facilitator hid or deleted (moderation): no participant may write them back. */
	readonly retiredNoteIds = new Set<string>()
	/** The root maps whose keys peers' changes are judged by; anything else a peer writes is removed. */
	private readonly judgedMaps = new Set<SharedType>()
	/** Sequence number of the last stored update when the room was loaded (`LoadedUpdates.lastSeq`). */
	loadedSeq = 0
	/**
	 * Compaction replaces stored updates up to this sequence number (all by default). With several servers on one
	 * database, the room bus keeps it at the last update this server's doc holds, so a compaction never drops an
	 * update another server committed that this doc lacks.
	 */
	compactionBound = Number.MAX_SAFE_INTEGER
	/** Whether the room may be rebuilt without its history on unload (not with several servers: see cluster/). */
	rebuildable = true
	/**
	 * Runs a server-owned change of the room (`change`, and the session services' per-room queues) exclusively
	 * for the whole cluster, on a doc that holds every committed update; null on a single server.
	 */
	exclusive: (<T>(task: () => Promise<T>) => Promise<T>) | null = null
	private readonly ydoc = new Y.Doc()
	/** The stored updates while the doc has not applied them yet (see {@link Room.doc}); null afterwards. */
	private stored: Uint8Array[] | null
	/** Why the stored state did not decode, once it failed to. */
	private decodeError: unknown = null
	/** Called once the doc holds the stored state (see {@link Room.whenDecoded}). */
	private decodedListeners: (() => void)[] = []
	private decodeScheduled = false
	/** Decodes the stored state only when the doc is needed (see {@link DECODE_ON_DEMAND_BYTES}). */
	private readonly decodesOnDemand: boolean
	/**
	 * Until such a room decodes: its one stored update framed as the answer to a fresh client; the stored update
	 * is kept as the end of this frame, not twice.
	 */
	private storedFrame: Buffer | null = null
	/** The answer to clients that join with an empty doc, kept while the board does not change. */
	private readonly freshSync = new FreshSyncAnswer(() => this.syncUpdateFor(EMPTY_STATE_VECTOR))

	/**
	 * @param stored - the room's stored updates. The doc applies them on first use of {@link Room.doc}, or — unless
	 *   the room is small enough to wait for that ({@link DECODE_ON_DEMAND_BYTES}) — right after the first peer was
	 *   answered from them (see {@link Room.syncUpdateFor}), or when the room manager asks: until then a peer with
	 *   an empty doc is answered from these bytes, without decoding and re-encoding them.
	 * @param onFailed - called once when an update failed to commit (`commit`) or the stored state did not
	 *   decode (`load`); the room is unusable afterwards.
	 */
	constructor(
		public meta: RoomRecord,
		stored: Uint8Array[],
		private readonly committer: GroupCommitter,
		private readonly onFailed: (room: Room, error: unknown, what: 'commit' | 'load') => void
	) {
		this.stored = stored
		this.decodesOnDemand = stored.length <= 1 && (stored[0]?.byteLength ?? 0) <= DECODE_ON_DEMAND_BYTES
		if (this.decodesOnDemand && stored.length === 1) {
			const update = stored[0]
			// In a buffer of its own: a slice of Buffer's shared pool would keep the whole pool slab with it.
			const framed = framedMessage(SYNC_STEP_2_HEAD, update)
			const frame = Buffer.allocUnsafeSlow(framed.byteLength)
			framed.copy(frame)
			this.storedFrame = frame
			this.stored = [
				new Uint8Array(frame.buffer, frame.byteOffset + frame.byteLength - update.byteLength, update.byteLength),
			]
		}
		this.awareness = new awarenessProtocol.Awareness(this.ydoc)
		// The server itself has no presence.
		this.awareness.setLocalState(null)
		this.awareness.on('update', this.handleAwarenessUpdate)
	}

	/**
	 * The room's doc, holding its stored state: the first use applies the stored updates (synchronously), so
	 * every reader and writer sees the whole board. Throws when the stored state does not decode.
	 */
	get doc(): Y.Doc {
		if (this.stored) this.decodeStored()
		else if (this.decodeError !== null) throw this.decodeError
		return this.ydoc
	}

	/** Whether the doc holds the stored state yet (reading {@link Room.doc} makes it so). */
	get decoded(): boolean {
		return this.stored === null && this.decodeError === null
	}

	/**
	 * Runs `fn` once the doc holds the stored state: now when it does, else right after it is decoded. Not
	 * called when decoding fails or the room is destroyed first.
	 */
	whenDecoded(fn: () => void): void {
		if (this.decoded) fn()
		else if (this.decodeError === null) this.decodedListeners.push(fn)
	}

	/**
	 * Calls `fn` with the doc's state vector (the server's sync step 1): at once for a room that decodes on demand
	 * (read from its stored update, without decoding it), else once the doc is decoded.
	 */
	withStateVector(fn: (stateVector: Uint8Array) => void): void {
		const stored = this.stored
		if (stored && this.decodesOnDemand) {
			let stateVector: Uint8Array | null = null
			try {
				stateVector = stored.length ? Y.encodeStateVectorFromUpdate(stored[0]) : EMPTY_STATE_VECTOR
			} catch {
				// Unreadable: decoding it (below) fails the room, which closes its connections.
			}
			if (stateVector) {
				fn(stateVector)
				return
			}
		}
		this.whenDecoded(() => fn(Y.encodeStateVector(this.ydoc)))
		if (this.decodesOnDemand) this.decodeNow()
	}

	/** Whether a peer's sync step 1 state vector shows it holds a doc this room's doc has replaced. */
	holdsRetiredDoc(stateVector: Uint8Array): boolean {
		return holdsRetiredDoc(Y.decodeStateVector(stateVector), this.retiredClients)
	}

	/**
	 * The sync step 2 answer to a peer's state vector: an update holding everything the peer lacks. While the
	 * doc has not decoded the stored state and that state is one update (a compacted room), a peer with an empty
	 * doc gets those stored bytes as they are.
	 */
	syncUpdateFor(stateVector: Uint8Array): Uint8Array {
		if (this.stored?.length === 1 && isEmptyStateVector(stateVector)) {
			this.decodeSoon()
			return this.stored[0]
		}
		return Y.encodeStateAsUpdate(this.doc, stateVector)
	}

	/**
	 * The framed sync step 2 answer to a client that joins with an empty doc: the whole board, encoded once for
	 * every such client until the board changes (see {@link FreshSyncAnswer}).
	 */
	freshSyncFrame(): Buffer {
		return this.freshSync.take(this.storedFrame)
	}

	/**
	 * Decodes the stored state after the current I/O callbacks, unless something needs the doc earlier: peers
	 * whose messages arrived in the same turn are still answered from the stored bytes. A room that decodes on
	 * demand ({@link DECODE_ON_DEMAND_BYTES}) waits for that.
	 */
	decodeSoon(): void {
		if (!this.stored || this.decodeScheduled || this.decodesOnDemand) return
		this.decodeScheduled = true
		setImmediate(() => this.decodeNow())
	}

	/** Decodes the stored state now, if it is still to decode; a failure is the room's (see `onFailed`). */
	private decodeNow(): void {
		try {
			void this.doc
		} catch {
			// onFailed has closed the room's connections.
		}
	}

	private decodeStored(): void {
		const updates = this.stored
		if (!updates) return
		this.stored = null
		this.storedFrame = null
		try {
			this.ydoc.transact(() => {
				for (const update of updates) Y.applyUpdate(this.ydoc, update)
			})
			// What the stored history still misses never arrives: keeping it pending would let it apply later.
			dropPendingState(this.ydoc)
		} catch (error) {
			this.decodeError = error
			this.decodedListeners = []
			this.failed = true
			this.onFailed(this, error, 'load')
			throw error
		}
		// Listeners only now: loading the stored state is neither a change to commit nor a peer's change to judge.
		this.ydoc.on('update', this.handleUpdate)
		for (const name of [RECORDS_MAP, SESSION_MAP, VOTES_MAP, META_MAP]) this.watchPeerChanges(name)
		const listeners = this.decodedListeners
		this.decodedListeners = []
		for (const fn of listeners) fn()
	}

	private watchPeerChanges(name: string): void {
		const map = this.ydoc.getMap<unknown>(name)
		this.judgedMaps.add(map as unknown as SharedType)
		map.observe((event, transaction) => {
			const peer = transaction.origin as RoomPeer | null
			// Facilitators' changes are judged too, for the rules that bind everyone (anonymous rooms).
			if (!peer || !this.peers.has(peer)) return
			for (const [key, change] of event.keys) {
				this.peerChanges.push({
					map: name,
					key,
					oldValue: change.oldValue,
					newValue: change.action === 'delete' ? undefined : map.get(key),
				})
			}
		})
	}

	/** The session phase, structure lock, screening and whether participants may group notes, as the doc holds them. */
	sessionSnapshot(): { phase: SessionPhase; structureLocked: boolean; screening: boolean; participantThemes: boolean } {
		const session = this.doc.getMap<unknown>(SESSION_MAP)
		return {
			phase: readSessionPhase(session),
			structureLocked: readStructureLocked(session),
			screening: readScreening(session),
			participantThemes: readParticipantThemes(session),
		}
	}

	get id(): string {
		return this.meta.roomId
	}

	private handleUpdate = (update: Uint8Array, origin: unknown) => {
		this.freshSync.drop()
		if (origin === REMOTE_ORIGIN) {
			// Committed by another server: this server's peers get it as it is.
			this.updatesSinceCompaction++
			this.broadcast(syncUpdateMessage(update), origin)
			return
		}
		if (this.heldBack) {
			this.heldBack.push({ update, origin })
			return
		}
		this.commitAndBroadcast(update, origin)
	}

	/**
	 * Commits an update, then sends it to every peer but `origin`. The group commit may commit it at once (then it
	 * is broadcast right here, and {@link Room.lastCommit} stays as it is: nothing is left to wait for) or with
	 * the other updates of this turn of the event loop.
	 */
	private commitAndBroadcast(update: Uint8Array, origin: unknown): void {
		let committed: Promise<void> | LoggedCommit | null
		try {
			committed = this.committer.commitNowOrLater(this.id, update)
		} catch (error) {
			// Handled as a failed queued commit is: after the current callback, not inside the doc's transaction.
			committed = Promise.reject(error)
		}
		if (committed === null) {
			this.committed(update, origin)
			return
		}
		if ('stored' in committed) {
			// Crash-safe in the update log: out now; flushed() waits for its commit to the store.
			this.committed(update, origin)
			this.lastCommit = committed.stored
			committed.stored.catch(this.commitFailed)
			return
		}
		this.lastCommit = committed
		this.notDurable = committed
		committed.then(() => {
			// Commits settle in order: once the last one has, the doc holds nothing a crash could lose.
			if (this.notDurable === committed) this.notDurable = null
			this.committed(update, origin)
		}, this.commitFailed)
	}

	/**
	 * Null when everything the doc holds is crash-safe (committed, or in the update log); otherwise a promise that
	 * resolves once what it holds now is, and rejects when that commit failed (the room then fails and closes its
	 * peers). A sync answer, encoded from the doc, waits for it as a broadcast waits for its commit: no client
	 * receives a change the server could still lose (with PostgreSQL, or SQLite without the update log).
	 */
	whenDurable(): Promise<void> | null {
		return this.notDurable
	}

	private readonly commitFailed = (error: unknown): void => {
		if (this.failed) return
		this.failed = true
		this.onFailed(this, error, 'commit')
	}

	private committed(update: Uint8Array, origin: unknown): void {
		this.updatesSinceCompaction++
		// A room whose earlier change failed to commit sends nothing more: its peers are reconnecting to a
		// room loaded from the store, and an update stored after a lost one only waits there for it.
		if (this.failed) return
		this.broadcast(syncUpdateMessage(update), origin)
	}

	private handleAwarenessUpdate = (
		{ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
		origin: unknown
	) => {
		const changed = added.concat(updated, removed)
		if (origin && typeof origin === 'object' && this.peers.has(origin as RoomPeer)) {
			const peer = origin as RoomPeer
			for (const id of added) peer.awarenessClientIds.add(id)
			for (const id of removed) peer.awarenessClientIds.delete(id)
		}
		const encoder = encoding.createEncoder()
		encoding.writeVarUint(encoder, messageAwareness)
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed))
		this.broadcast(encoding.toUint8Array(encoder), null)
	}

	/** Sends a message to every peer but `except`. */
	broadcast(message: Uint8Array, except: unknown): void {
		for (const peer of this.peers) if (peer !== except) peer.send(message)
	}

	/**
	 * Applies an update a peer sent, judged before anyone else sees it (see docs/ARCHITECTURE.md, "What the
	 * server accepts"):
	 *
	 * - a participant's update over {@link MAX_UPDATE_BYTES} closes its socket (1009) unapplied;
	 * - an update that depends on changes the server does not have (a gap in a client's clocks, or structs and
	 *   deletes Yjs would keep pending) is not kept: its pending part is dropped and the socket is closed with
	 *   {@link CLOSE_UPDATE_INCOMPLETE}, so an honest client reconnects and syncs what it holds;
	 * - every changed key of the four maps is judged ({@link judgeChange}), every record written into the
	 *   records map is checked with tldraw's schema and for its place in the page's tree
	 *   (record-validation.ts); anything written outside the maps' keys (other root types, text, list items,
	 *   nested types) is removed;
	 * - what is refused is reverted for everyone, and the sender is told why; a participant's new notes are
	 *   recorded as theirs ({@link Room.noteOwners}, {@link Room.onCanvasNoteCreated}).
	 *
	 * Throws when the update does not decode (the caller closes that socket).
	 */
	applyPeerUpdate(update: Uint8Array, peer: RoomPeer): void {
		if (peer.role !== 'facilitator' && update.byteLength > MAX_UPDATE_BYTES) {
			peer.close?.(CloseCode.messageTooBig, 'update too large')
			return
		}
		// A client with an empty doc answers the server's sync step 1 with this: nothing to apply, and a room that
		// decodes on demand stays undecoded.
		if (isEmptyUpdate(update)) return
		const doc = this.doc
		const start = whereUpdateStarts(doc, update)
		if (start === 'beyond') {
			peer.close?.(CLOSE_UPDATE_INCOMPLETE, 'update depends on changes the server does not have')
			return
		}
		const identity = participantIdentity(peer)
		const context: PermissionContext = {
			role: peer.role,
			anonymous: this.meta.anonymous,
			...this.sessionSnapshot(),
			identity,
			ownerOf: (noteId) => this.noteOwners.get(noteId),
			retiredNoteIds: this.retiredNoteIds,
			isThemeFrame: (shapeId) => isThemeShape(this.doc.getMap(RECORDS_MAP).get(shapeId) as never),
		}
		this.peerChanges = []
		const denied: { change: MapChange; reason: DenialReason }[] = []
		const foreign = new Set<SharedType>()
		/** The doc's state vector before the update: what the peer's transaction started from. */
		let known: Map<number, number> | null = null
		/**
		 * Whether the update is committed and sent as the peer sent it. An update that starts where the doc's
		 * state does holds only what the doc lacks; when the doc took all of it (nothing left pending) and none of
		 * what it adds was deleted in the same transaction (content the rules never saw: an overwritten value, a
		 * value that lost to a concurrent one — the doc's own encoding carries those garbage-collected), it is what
		 * the doc's own encoding of the change would be, but for deletions the doc had made already, which change
		 * nothing. Yjs then is spared encoding the change again: it encodes a transaction only for an `update`
		 * listener, so the room's is taken off until the update is applied.
		 */
		let asSent = false
		const onTransaction = (transaction: Y.Transaction) => {
			if (transaction.origin !== peer) return
			if (known === null) {
				known = transaction.beforeState
				if (start === 'exact' && transactionChangedDoc(transaction) && docTookAllAsIs(doc, transaction)) {
					asSent = true
					doc.off('update', this.handleUpdate)
				}
			}
			for (const [type, keys] of transaction.changed) {
				if (!this.judgedMaps.has(type) || keys.has(null)) foreign.add(type)
			}
		}
		// The update's doc updates are held back until it is judged: a refused change must not reach anyone.
		this.heldBack = []
		let netEffect: Uint8Array | null = null
		let applied = false
		let incomplete = false
		let created: PlainRecord[] = []
		doc.on('afterTransaction', onTransaction)
		try {
			try {
				Y.applyUpdate(doc, update, peer)
				applied = true
			} finally {
				doc.off('afterTransaction', onTransaction)
				if (asSent) doc.on('update', this.handleUpdate)
			}
			incomplete = dropPendingState(doc)
			const changes = this.peerChanges
			this.peerChanges = []
			try {
				created = this.judge(context, changes, denied, update.byteLength)
			} catch {
				// A rule that fails on a value refuses the whole update: nothing unjudged is kept or sent.
				denied.length = 0
				created = []
				for (const change of changes) denied.push({ change, reason: 'invalid-record' })
			}
			if (denied.length > 0 || foreign.size > 0) {
				// (A judged change comes from the peer's transaction, so `known` is set; an empty state vector
				// would only revert more.)
				const before = known ?? new Map<number, number>()
				// Revert: the server writes the old values back (or removes what was added), for everyone.
				doc.transact((transaction) => {
					for (const { change } of denied) {
						const map = doc.getMap<unknown>(change.map)
						if (change.oldValue === undefined) map.delete(change.key)
						else map.set(change.key, change.oldValue)
					}
					for (const type of foreign) removeNewContent(type, before, transaction)
				}, SERVER_ORIGIN)
				// What the others lack: what the update added, with the revert applied. Encoded after the revert, the
				// refused content is garbage-collected: a note drawn during private writing travels to the other
				// boards only as an already-deleted, empty item. Only clocks the server did not have before the
				// update are sent, whatever clocks the update names.
				netEffect = Y.encodeStateAsUpdate(doc, Y.encodeStateVector(before))
			}
		} finally {
			const held = this.heldBack ?? []
			this.heldBack = null
			// (The board changed without the room's `update` listener, which drops the fresh clients' answer.)
			if (asSent) this.freshSync.drop()
			if (netEffect) this.commitAndBroadcast(netEffect, null)
			else if (asSent) {
				// Applying threw after the doc took part of it: what the doc took, encoded from its state.
				const taken = applied ? update : Y.encodeStateAsUpdate(doc, Y.encodeStateVector(known ?? new Map()))
				this.commitAndBroadcast(taken, peer)
			} else for (const { update: u, origin } of held) this.commitAndBroadcast(u, origin)
		}
		if (incomplete) peer.close?.(CLOSE_UPDATE_INCOMPLETE, 'update depends on changes the server does not have')
		if (identity !== null && peer.role === 'participant') {
			for (const record of created) {
				this.noteOwners.set(record.id, identity)
				this.onCanvasNoteCreated?.(identity, record)
			}
		}
		if (denied.length === 0) return
		for (const { change, reason } of denied) {
			this.onChangeRefused?.(reason)
			if (
				(reason === 'private-writing' || reason === 'screening') &&
				change.oldValue === undefined &&
				change.newValue &&
				this.onPrivateCanvasNote
			) {
				this.onPrivateCanvasNote(peer, change.newValue as Record<string, unknown>)
			}
		}
		// Dropping a name in an anonymous room needs no explanation.
		const reasons = [...new Set(denied.map((d) => d.reason))].filter((r) => r !== 'anonymous')
		if (reasons.length) this.notifyPeer(peer, reasons)
	}

	/**
	 * Judges the changed keys of one peer update: the permission rules, then (for everyone) the records
	 * themselves and the shapes' tree, until no verdict changes (a refused frame takes the shapes put into it
	 * along). Fills `denied`; returns the new notes it accepted (the caller records their author).
	 */
	private judge(
		context: PermissionContext,
		changes: MapChange[],
		denied: { change: MapChange; reason: DenialReason }[],
		updateBytes: number
	) {
		const records = this.doc.getMap<unknown>(RECORDS_MAP)
		const refused = new Map<string, MapChange>()
		const deny = (change: MapChange, reason: DenialReason) => {
			denied.push({ change, reason })
			if (change.map === RECORDS_MAP) refused.set(change.key, change)
		}
		const open: MapChange[] = []
		for (const change of changes) {
			// A key that holds no value (Yjs's `undefined`, or content a map does not read) is no deletion.
			const valueless = change.newValue === undefined && this.doc.getMap(change.map).has(change.key)
			const reason =
				!valueless && isPlainValue(change.newValue)
					? (judgeChange(context, change) ??
						(change.map === RECORDS_MAP && change.newValue !== undefined ? validity(change, updateBytes) : null))
					: 'invalid-record'
			if (reason) deny(change, reason)
			else if (change.map === RECORDS_MAP) open.push(change)
		}
		// The records as they will be once the refused changes are reverted.
		const get = (id: string): unknown => {
			const change = refused.get(id)
			return change ? change.oldValue : records.get(id)
		}
		for (let settled = false; !settled; ) {
			settled = true
			const removed = new Set<string>()
			for (const change of open) if (!refused.has(change.key) && change.newValue === undefined) removed.add(change.key)
			const orphaned = removed.size ? parentsStillInUse(records, refused, removed) : new Set<string>()
			for (const change of open) {
				if (refused.has(change.key)) continue
				const ok =
					change.newValue === undefined ? !orphaned.has(change.key) : fitsTree(change.newValue as PlainRecord, get)
				if (!ok) {
					deny(change, 'invalid-record')
					settled = false
				}
			}
		}
		// The notes this update made (their author is recorded by the caller).
		return open
			.filter((change) => !refused.has(change.key) && change.oldValue === undefined && isNote(change.newValue))
			.map((change) => change.newValue as PlainRecord)
	}

	/**
	 * Tells a peer why its change was reverted, over awareness: the server's own awareness state carries
	 * `{ kompasbordServer: true, notice: { to: clientIds, reasons, at } }`; the board shows notices addressed
	 * to its client id.
	 */
	private notifyPeer(peer: RoomPeer, reasons: DenialReason[]): void {
		this.noticeSeq++
		this.awareness.setLocalState(
			serverNoticeState({ to: [...peer.awarenessClientIds], reasons, seq: this.noticeSeq, at: Date.now() })
		)
	}
	private noticeSeq = 0

	/**
	 * Runs `fn` in one doc transaction made by the server and resolves once the resulting update is durable
	 * (and broadcast). REST routes that write into the board use this.
	 */
	async change(fn: (doc: Y.Doc) => void): Promise<void> {
		// A failed room's doc may be ahead of the store; nothing more is written into it.
		if (this.failed) throw new RoomFailedError(this.id)
		if (this.exclusive) return this.exclusive(() => this.changeNow(fn))
		return this.changeNow(fn)
	}

	private async changeNow(fn: (doc: Y.Doc) => void): Promise<void> {
		// Checked again: the room may have failed while this change waited for its cluster lock.
		if (this.failed) throw new RoomFailedError(this.id)
		const before = this.lastCommit
		this.doc.transact(() => fn(this.doc), SERVER_ORIGIN)
		if (this.lastCommit === before) return
		// Answered once committed: not held by the store's pace (a REST write is rare, its caller waits).
		this.committer.flushPending()
		await this.lastCommit
	}

	/** Resolves when every update so far is committed to the store (what is queued goes now, not at the store's pace). */
	flushed(): Promise<void> {
		this.committer.flushPending()
		return this.lastCommit.catch(() => undefined)
	}

	/** Removes a peer and the awareness states it controlled. */
	removePeer(peer: RoomPeer): void {
		if (!this.peers.delete(peer)) return
		if (peer.awarenessClientIds.size) {
			awarenessProtocol.removeAwarenessStates(this.awareness, [...peer.awarenessClientIds], null)
		}
	}

	/** Stops listening and frees the doc. */
	destroy(): void {
		if (this.stored) this.decodeError = new Error(`room ${this.id} was unloaded before its doc was used`)
		this.stored = null
		this.decodedListeners = []
		this.freshSync.drop()
		this.ydoc.off('update', this.handleUpdate)
		this.awareness.off('update', this.handleAwarenessUpdate)
		this.awareness.destroy()
		this.ydoc.destroy()
	}
}

/** The state vector of a doc that holds nothing. */
const EMPTY_STATE_VECTOR = new Uint8Array([0])

/**
 * Whether a doc took all of a transaction's update as it came: nothing left pending (structs or deletions that
 * wait for changes the doc lacks) and nothing the transaction added deleted in it.
 */
function docTookAllAsIs(doc: Y.Doc, transaction: Y.Transaction): boolean {
	if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return false
	for (const [client, deletions] of transaction.deleteSet.clients) {
		const before = transaction.beforeState.get(client) ?? 0
		for (const deletion of deletions) if (deletion.clock + deletion.len > before) return false
	}
	return true
}

/** Whether a transaction added structs or deleted anything: whether Yjs emits an update for it. */
function transactionChangedDoc(transaction: Y.Transaction): boolean {
	if (transaction.deleteSet.clients.size > 0) return true
	for (const [client, clock] of transaction.afterState) {
		if (transaction.beforeState.get(client) !== clock) return true
	}
	return false
}

/** Whether a value may be stored in a doc map: plain data, not a nested Yjs type. */
function isPlainValue(value: unknown): boolean {
	return !(value instanceof Y.AbstractType)
}

/**
 * Whether a value written into the records map is a valid record under its key; `updateBytes`: the size of the
 * update it arrived in (see {@link checkRecordChange}).
 */
function validity(change: MapChange, updateBytes: number): DenialReason | null {
	return checkRecordChange(change.key, change.newValue, change.oldValue, updateBytes) ? 'invalid-record' : null
}

/** Whether a (valid) record has its place: a shape under the page through frames and groups, a binding between shapes. */
function fitsTree(record: PlainRecord, get: (id: string) => unknown): boolean {
	if (record.typeName === 'shape') return hasValidAncestry(record, get)
	if (record.typeName === 'binding') return hasValidEnds(record, get)
	return true
}

/** The ids among `removed` that a remaining shape still has as its parent (or a binding as an end). */
function parentsStillInUse(
	records: Y.Map<unknown>,
	refused: Map<string, MapChange>,
	removed: Set<string>
): Set<string> {
	const inUse = new Set<string>()
	const look = (value: unknown) => {
		if (!value || typeof value !== 'object') return
		const r = value as { parentId?: unknown; fromId?: unknown; toId?: unknown; typeName?: unknown }
		if (r.typeName === 'shape' && typeof r.parentId === 'string' && removed.has(r.parentId)) inUse.add(r.parentId)
	}
	records.forEach((value, key) => {
		if (!refused.has(key)) look(value)
	})
	for (const change of refused.values()) look(change.oldValue)
	return inUse
}

/**
 * Drops what Yjs keeps pending after an update (structs whose dependencies are missing, deletes of clocks it
 * has not seen): it would apply later, inside someone else's change, and costs memory and time on every update
 * until then. Returns whether there was any.
 */
function dropPendingState(doc: Y.Doc): boolean {
	const store = doc.store
	if (store.pendingStructs === null && store.pendingDs === null) return false
	store.pendingStructs = null
	store.pendingDs = null
	return true
}

/** Deletes what an update inserted into a type peers may not write into (clocks beyond `known`). */
function removeNewContent(type: SharedType, known: Map<number, number>, transaction: Y.Transaction): void {
	const isNew = (item: Y.Item) => item.id.clock + item.length > (known.get(item.id.client) ?? 0)
	for (let item = type._start; item !== null; item = item.right) {
		if (!item.deleted && isNew(item)) item.delete(transaction)
	}
	for (const item of type._map.values()) {
		if (!item.deleted && isNew(item)) item.delete(transaction)
	}
}
