import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { GroupCommitter } from '../store/group-commit'
import type { RoomRecord } from '../store/room-store'
import { META_MAP, RECORDS_MAP, SESSION_MAP, VOTES_MAP, type SessionPhase } from '@kompasbord/shared'
import { holdsRetiredDoc } from './doc-rebuild'
import { judgeChange, type DenialReason, type MapChange } from './permissions'
import { messageAwareness, messageSync } from '../ws/protocol'

/** Transaction origin of changes the server makes itself (REST routes, reverts). */
export const SERVER_ORIGIN = 'kompasbord-server'

/** The capability a websocket connection holds in its room. */
export type Role = 'facilitator' | 'participant' | 'viewer'

/** A connected peer as a room sees it: something to send binary messages to. */
export interface RoomPeer {
	readonly role: Role
	/**
	 * The participant id the connection carried (`?pid=`), so a laptop participant is the same person as on
	 * their phone (their held notes, their votes); null without one.
	 */
	readonly participantId?: string | null
	/** Awareness client ids this peer controls, removed for everyone when it leaves. */
	readonly awarenessClientIds: Set<number>
	send(message: Uint8Array): void
	/** Closes the peer's connection with a websocket close code. */
	close?(code: number, reason: string): void
}

/**
 * A loaded room: its Y.Doc and awareness, the connected peers, and the write path. Every doc update is
 * committed through the {@link GroupCommitter} and broadcast to the other peers only once it is durable.
 */
export class Room {
	readonly awareness: awarenessProtocol.Awareness
	readonly peers = new Set<RoomPeer>()
	/** Resolves when every update so far is committed. */
	private lastCommit: Promise<void> = Promise.resolve()
	/** Updates committed since the room was loaded or last compacted. */
	updatesSinceCompaction = 0
	/** Set when an update failed to commit or the stored state did not decode; the room is then reloaded. */
	failed = false
	/** Changes made by non-facilitator peers in the transaction being applied, judged after it. */
	private peerChanges: MapChange[] = []
	/** While a peer's update is being judged: the doc updates it caused, held back until the verdict. */
	private heldBack: { update: Uint8Array; origin: unknown }[] | null = null
	/**
	 * Called with a sticky note a participant drew on the canvas during private writing, after the server took
	 * it off the shared board; the facilitator toolkit holds it until the reveal.
	 */
	onPrivateCanvasNote: ((peer: RoomPeer, record: Record<string, unknown>) => void) | null = null
	/** Called once for every change of a peer the server refused (and reverted), with the reason (metrics). */
	onChangeRefused: ((reason: DenialReason) => void) | null = null
	/**
	 * Client ids of the docs this room's doc replaced (see doc-rebuild.ts): a peer whose state vector names one
	 * holds an old copy and is sent away to reload ({@link Room.holdsRetiredDoc}).
	 */
	retiredClients: ReadonlySet<number> = new Set()
	private readonly ydoc = new Y.Doc()
	/** The stored updates while the doc has not applied them yet (see {@link Room.doc}); null afterwards. */
	private stored: Uint8Array[] | null
	/** Why the stored state did not decode, once it failed to. */
	private decodeError: unknown = null
	/** Called once the doc holds the stored state (see {@link Room.whenDecoded}). */
	private decodedListeners: (() => void)[] = []
	private decodeScheduled = false

	/**
	 * @param stored - the room's stored updates. The doc applies them on first use of {@link Room.doc}, right
	 *   after the first peer was answered from them (see {@link Room.syncUpdateFor}), or when the room manager
	 *   asks: until then a peer with an empty doc is answered from these bytes, without decoding and re-encoding
	 *   them.
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
		if (this.stored?.length === 1 && Y.decodeStateVector(stateVector).size === 0) {
			this.decodeSoon()
			return this.stored[0]
		}
		return Y.encodeStateAsUpdate(this.doc, stateVector)
	}

	/**
	 * Decodes the stored state after the current I/O callbacks, unless something needs the doc earlier: peers
	 * whose messages arrived in the same turn are still answered from the stored bytes.
	 */
	decodeSoon(): void {
		if (!this.stored || this.decodeScheduled) return
		this.decodeScheduled = true
		setImmediate(() => {
			try {
				void this.doc
			} catch {
				// onFailed has closed the room's connections.
			}
		})
	}

	private decodeStored(): void {
		const updates = this.stored
		if (!updates) return
		this.stored = null
		try {
			this.ydoc.transact(() => {
				for (const update of updates) Y.applyUpdate(this.ydoc, update)
			})
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
		map.observe((event, transaction) => {
			const peer = transaction.origin as RoomPeer | null
			// Facilitators' changes are judged too, for the rules that bind everyone (anonymous rooms).
			if (!peer || !this.peers.has(peer)) return
			for (const [key, change] of event.changes.keys) {
				this.peerChanges.push({
					map: name,
					key,
					oldValue: change.oldValue,
					newValue: change.action === 'delete' ? undefined : map.get(key),
				})
			}
		})
	}

	/** The session phase and structure lock as the doc holds them now. */
	sessionSnapshot(): { phase: SessionPhase; structureLocked: boolean } {
		const session = this.doc.getMap<unknown>(SESSION_MAP)
		return {
			phase: (session.get('phase') as SessionPhase | undefined) ?? 'open',
			structureLocked: session.get('structureLocked') !== false,
		}
	}

	get id(): string {
		return this.meta.roomId
	}

	private handleUpdate = (update: Uint8Array, origin: unknown) => {
		if (this.heldBack) {
			this.heldBack.push({ update, origin })
			return
		}
		this.commitAndBroadcast(update, origin)
	}

	private commitAndBroadcast(update: Uint8Array, origin: unknown): void {
		const committed = this.committer.commit(this.id, update)
		this.lastCommit = committed
		committed.then(
			() => {
				this.updatesSinceCompaction++
				const encoder = encoding.createEncoder()
				encoding.writeVarUint(encoder, messageSync)
				syncProtocol.writeUpdate(encoder, update)
				this.broadcast(encoding.toUint8Array(encoder), origin)
			},
			(error) => {
				this.failed = true
				this.onFailed(this, error, 'commit')
			}
		)
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
	 * Applies an update a peer sent. Throws when the update does not decode (the caller closes that socket).
	 */
	applyPeerUpdate(update: Uint8Array, peer: RoomPeer): void {
		const context = { role: peer.role, anonymous: this.meta.anonymous, ...this.sessionSnapshot() }
		this.peerChanges = []
		const denied: { change: MapChange; reason: DenialReason }[] = []
		// The update's doc updates are held back until it is judged: a refused change must not reach anyone.
		this.heldBack = []
		let netEffect: Uint8Array | null = null
		try {
			Y.applyUpdate(this.doc, update, peer)
			const changes = this.peerChanges
			this.peerChanges = []
			for (const change of changes) {
				const isPlain = change.newValue === undefined || !(change.newValue instanceof Y.AbstractType)
				const reason = isPlain || peer.role === 'facilitator' ? judgeChange(context, change) : 'server-owned'
				if (reason) denied.push({ change, reason })
			}
			if (denied.length > 0) {
				// What the others lack: everything the peer sent, and the revert the server is about to write.
				const since = Y.decodeStateVector(Y.encodeStateVector(this.doc))
				for (const [client, clock] of Y.parseUpdateMeta(update).from) {
					since.set(client, Math.min(since.get(client) ?? clock, clock))
				}
				// Revert: the server writes the old values back (or removes what was added), for everyone.
				this.doc.transact(() => {
					for (const { change } of denied) {
						const map = this.doc.getMap<unknown>(change.map)
						if (change.oldValue === undefined) map.delete(change.key)
						else map.set(change.key, change.oldValue)
					}
				}, SERVER_ORIGIN)
				// Encoded after the revert, the refused content is garbage-collected: a note drawn during private
				// writing travels to the other boards only as an already-deleted, empty item.
				netEffect = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(since))
			}
		} finally {
			const held = this.heldBack ?? []
			this.heldBack = null
			if (netEffect) this.commitAndBroadcast(netEffect, null)
			else for (const { update: u, origin } of held) this.commitAndBroadcast(u, origin)
		}
		if (denied.length === 0) return
		for (const { change, reason } of denied) {
			this.onChangeRefused?.(reason)
			if (reason === 'private-writing' && change.newValue && this.onPrivateCanvasNote) {
				this.onPrivateCanvasNote(peer, change.newValue as Record<string, unknown>)
			}
		}
		// Dropping a name in an anonymous room needs no explanation.
		const reasons = [...new Set(denied.map((d) => d.reason))].filter((r) => r !== 'anonymous')
		if (reasons.length) this.notifyPeer(peer, reasons)
	}

	/**
	 * Tells a peer why its change was reverted, over awareness: the server's own awareness state carries
	 * `{ kompasbordServer: true, notice: { to: clientIds, reasons, at } }`; the board shows notices addressed
	 * to its client id.
	 */
	private notifyPeer(peer: RoomPeer, reasons: DenialReason[]): void {
		this.noticeSeq++
		this.awareness.setLocalState({
			kompasbordServer: true,
			notice: { to: [...peer.awarenessClientIds], reasons, seq: this.noticeSeq, at: Date.now() },
		})
	}
	private noticeSeq = 0

	/**
	 * Runs `fn` in one doc transaction made by the server and resolves once the resulting update is durable
	 * (and broadcast). REST routes that write into the board use this.
	 */
	async change(fn: (doc: Y.Doc) => void): Promise<void> {
		const before = this.lastCommit
		this.doc.transact(() => fn(this.doc), SERVER_ORIGIN)
		if (this.lastCommit !== before) await this.lastCommit
	}

	/** Resolves when every update so far is durable. */
	flushed(): Promise<void> {
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
		this.ydoc.off('update', this.handleUpdate)
		this.awareness.off('update', this.handleAwarenessUpdate)
		this.awareness.destroy()
		this.ydoc.destroy()
	}
}
