import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type { GroupCommitter } from '../store/group-commit'
import type { RoomRecord } from '../store/room-store'
import { messageAwareness, messageSync } from '../ws/protocol'

/** Transaction origin of changes the server makes itself (REST routes, reverts). */
export const SERVER_ORIGIN = 'kompasbord-server'

/** The capability a websocket connection holds in its room. */
export type Role = 'facilitator' | 'participant' | 'viewer'

/** A connected peer as a room sees it: something to send binary messages to. */
export interface RoomPeer {
	readonly role: Role
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
	readonly doc: Y.Doc
	readonly awareness: awarenessProtocol.Awareness
	readonly peers = new Set<RoomPeer>()
	/** Resolves when every update so far is committed. */
	private lastCommit: Promise<void> = Promise.resolve()
	/** Updates committed since the room was loaded or last compacted. */
	updatesSinceCompaction = 0
	/** Set when an update failed to commit; the room is then reloaded from the store. */
	failed = false

	constructor(
		public meta: RoomRecord,
		doc: Y.Doc,
		private readonly committer: GroupCommitter,
		private readonly onCommitFailed: (room: Room, error: unknown) => void
	) {
		this.doc = doc
		this.awareness = new awarenessProtocol.Awareness(doc)
		// The server itself has no presence.
		this.awareness.setLocalState(null)
		doc.on('update', this.handleUpdate)
		this.awareness.on('update', this.handleAwarenessUpdate)
	}

	get id(): string {
		return this.meta.roomId
	}

	private handleUpdate = (update: Uint8Array, origin: unknown) => {
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
				this.onCommitFailed(this, error)
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
		Y.applyUpdate(this.doc, update, peer)
	}

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
		this.doc.off('update', this.handleUpdate)
		this.awareness.off('update', this.handleAwarenessUpdate)
		this.awareness.destroy()
		this.doc.destroy()
	}
}
