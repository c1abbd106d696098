import type { Duplex } from 'node:stream'
import { WebSocket, type RawData } from 'ws'
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { FastifyBaseLogger } from 'fastify'
import type { Role, Room, RoomPeer } from '../rooms/room'
import { guardAwarenessUpdate } from '../session/awareness-guard'
import {
	AWARENESS_HEAD,
	CloseCode,
	SYNC_STEP_1_HEAD,
	SYNC_STEP_2_HEAD,
	messageAuth,
	messageAwareness,
	messageQueryAwareness,
	messageSync,
	messageYjsSyncStep1,
	messageYjsSyncStep2,
	messageYjsUpdate,
} from './protocol'
import type { AddressTicket } from './address-limits'
import { binaryFrame, framedMessage } from './binary-frame'
import { ClientIds } from './client-ids'
import { isEmptyStateVector } from './fresh-sync-answer'
import { markAlive, type PingTarget } from './ping-sweep'
import { TokenBucket } from './token-bucket'

/** A message that does not follow the y-websocket protocol; closes its socket with {@link CloseCode.invalidPayload}. */
export class MalformedMessageError extends Error {
	override name = 'MalformedMessageError'
}

type MessageHandler = (peer: PeerConnection, room: Room, decoder: decoding.Decoder, encoder: encoding.Encoder) => void

/** A sync answer's wait that ended in a failed commit: the room closes the peer itself. */
function ignoreFailure(): void {}

/** Incoming messages dispatched by their first varUint, as y-websocket's server does. */
const messageHandlers: Record<number, MessageHandler> = {
	[messageSync]: (peer, room, decoder, encoder) => {
		const syncType = decoding.readVarUint(decoder)
		switch (syncType) {
			case messageYjsSyncStep1: {
				const stateVector = decoding.readVarUint8Array(decoder)
				if (!peer.takeSyncRequest()) {
					// Each answer can be the whole board: asking again and again makes the server encode and queue it.
					peer.close(CloseCode.policyViolation, 'too many sync requests')
					return
				}
				if (room.holdsRetiredDoc(stateVector)) {
					// Its copy predates a rebuild: merging it would bring the old history back. Nothing more of
					// this connection is handled; the board reconnects with an empty doc.
					peer.close(CloseCode.docReplaced, 'the board was rebuilt; reload it')
					return
				}
				const answer = isEmptyStateVector(stateVector)
					? // A client joining with nothing: the room's one answer for all of them (see FreshSyncAnswer).
						room.freshSyncFrame()
					: // A client that holds part of the board (a reconnect): what it lacks, encoded for it alone.
						framedMessage(SYNC_STEP_2_HEAD, room.syncUpdateFor(stateVector))
				const durable = room.whenDurable()
				if (!durable) peer.sendFrame(answer)
				// Sent once what it holds is committed; a failed commit closes this peer (CLOSE_STORE_FAILED) instead.
				else durable.then(() => peer.sendFrame(answer), ignoreFailure)
				return
			}
			case messageYjsSyncStep2:
			case messageYjsUpdate: {
				const update = decoding.readVarUint8Array(decoder)
				if (peer.role === 'viewer') {
					peer.droppedUpdates++
					return
				}
				if (!peer.takeWriteBudget(update.byteLength)) {
					// Unapplied: an honest client sends it again on its next sync, within a fresh budget.
					peer.close(CloseCode.policyViolation, 'too many changes')
					return
				}
				room.applyPeerUpdate(update, peer)
				return
			}
			default:
				throw new MalformedMessageError(`unknown sync message type ${syncType}`)
		}
	},
	[messageAwareness]: (peer, room, decoder) => {
		// No one may set another connection's presence, and only facilitators the toolkit's fields.
		const update = guardAwarenessUpdate(room, peer, decoding.readVarUint8Array(decoder))
		if (update) awarenessProtocol.applyAwarenessUpdate(room.awareness, update, peer)
	},
	[messageQueryAwareness]: (_peer, room, _decoder, encoder) => {
		encoding.writeVarUint(encoder, messageAwareness)
		encoding.writeVarUint8Array(
			encoder,
			awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()])
		)
	},
	[messageAuth]: () => {
		// Permissions come from the connection URL; auth messages from clients carry nothing for us.
	},
}

/**
 * What all connections of a server share, so that a connection holds no logger or callback of its own (an
 * idle connection should cost little more than its socket).
 */
export interface PeerHost {
	readonly log: FastifyBaseLogger
	/** Unsent bytes a socket may have queued before it is closed with {@link CloseCode.tryAgainLater}. */
	readonly maxBufferedBytes: number
	/** Called once when a peer's socket has closed, with the room the peer was attached to (null if none). */
	peerClosed(socket: PeerSocket, room: Room | null): void
}

/**
 * The last message sent and its frame ({@link binaryFrame}): a broadcast sends one message to every peer of a room
 * in a row, so it is framed once. Only messages up to {@link MAX_SHARED_FRAME_BYTES} are kept, so that what this
 * holds until the next send stays small (a sync answer can be a whole board).
 */
let lastMessage: Uint8Array | null = null
let lastFrame: Buffer | null = null
const MAX_SHARED_FRAME_BYTES = 64 * 1024

function frameOf(message: Uint8Array): Buffer {
	if (message === lastMessage && lastFrame) return lastFrame
	const frame = binaryFrame(message)
	if (message.byteLength <= MAX_SHARED_FRAME_BYTES) {
		lastMessage = message
		lastFrame = frame
	}
	return frame
}

/** `ws`'s socket under a {@link PeerSocket} (its `_socket`, set before the socket is open). */
function transportOf(socket: PeerSocket): Duplex {
	return (socket as unknown as { _socket: Duplex })._socket
}

/** How long a socket closed for not reading gets to complete the close before it is cut (ms). */
const UNREAD_CLOSE_GRACE_MS = 1000

/** Sync step 1 requests a connection may make at once (a client sends one per connection)… */
const SYNC_REQUEST_BURST = 5
/** …and one more per this many ms. */
const SYNC_REQUEST_REFILL_MS = 10_000

/**
 * Bytes of changes a participant's connection may send at once (eight of the largest updates a participant may
 * send, see rooms/record-validation.ts)…
 */
export const WRITE_BURST_BYTES = 8 * 1024 * 1024
/** …and per second after that: far above a person dragging notes around (tens of kB/s). */
export const WRITE_BYTES_PER_SECOND = 512 * 1024

/**
 * Sync requests and bytes of changes a connection may spend before its budgets are made: a connection that
 * syncs once and sends a few small changes — every idle board — never holds the two token buckets. A budget
 * made later starts full less what was spent, so it is at most as generous as one made at the first request.
 */
const UNBUDGETED_SYNC_REQUESTS = 1
const UNBUDGETED_WRITE_BYTES = 64 * 1024

/**
 * The server side of one websocket: `ws` creates these for the WebSocketServer (its `WebSocket` option).
 * `peer` is the connection on it; `isAlive` the {@link PingSweep}'s flag.
 */
export class PeerSocket extends WebSocket implements PingTarget {
	isAlive = true
	peer: PeerConnection | null = null
	/** What the address limits counted this socket as (ws-route.ts); given back when it closes. */
	addressTicket: AddressTicket | null = null
}

/**
 * One websocket connected to a room. The message listener is attached in the constructor, before the room
 * has loaded; messages that arrive earlier are buffered and handled once {@link PeerConnection.attach} runs.
 * The socket's listeners are functions shared by all connections (`this` is the socket), not closures.
 */
export class PeerConnection implements RoomPeer {
	readonly awarenessClientIds = new ClientIds()
	/** Updates dropped because this peer may not write (viewers). */
	droppedUpdates = 0
	private room: Room | null = null
	/** Messages that arrived before the room was attached; created only when one does. */
	private buffered: Uint8Array[] | null = null
	private closed = false
	/** Set when the server closes the socket: nothing the peer sends after that is handled. */
	private closing = false
	/** Bytes in {@link PeerConnection.buffered}. */
	private bufferedBytes = 0
	/** See {@link PeerConnection.takeSyncRequest}; made once {@link UNBUDGETED_SYNC_REQUESTS} are spent. */
	private syncBudget: TokenBucket | null = null
	/** Sync requests made before {@link PeerConnection.syncBudget} exists. */
	private unbudgetedSyncRequests = 0
	/** Bytes of changes this participant may still send (the facilitator has no budget); made like the sync budget. */
	private writeBudget: TokenBucket | null = null
	/** Bytes of changes sent before {@link PeerConnection.writeBudget} exists. */
	private unbudgetedWriteBytes = 0

	constructor(
		private readonly socket: PeerSocket,
		readonly role: Role,
		/** The room id the connection asked for, until the room is attached (then the room's id serves). */
		private requestedRoomId: string | null,
		private readonly host: PeerHost,
		/** The verified participant id of the connection's participant token (see {@link RoomPeer.participantId}). */
		readonly participantId: string | null = null
	) {
		socket.peer = this
		socket.binaryType = 'nodebuffer'
		socket.on('message', PeerConnection.onSocketMessage)
		socket.on('close', PeerConnection.onSocketClose)
		socket.on('error', PeerConnection.onSocketError)
		socket.on('pong', markAlive)
	}

	private static onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
		;(this as PeerSocket).peer?.receive(data, isBinary)
	}

	private static onSocketClose(this: WebSocket): void {
		;(this as PeerSocket).peer?.handleClose()
	}

	private static onSocketError(this: WebSocket, error: Error): void {
		const peer = (this as PeerSocket).peer
		peer?.host.log.warn({ err: error, roomId: peer.roomId }, 'websocket error')
	}

	/** Whether the socket has closed. */
	get isClosed(): boolean {
		return this.closed
	}

	/** The id of the room the connection is for. */
	get roomId(): string | null {
		return this.room?.id ?? this.requestedRoomId
	}

	/**
	 * Joins the loaded room: sends the current awareness, handles the buffered messages in order (the client's
	 * sync step 1 among them), and sends the server's sync step 1. That one carries the doc's state vector, so
	 * in a room still to decode its stored state it goes out right after the decoding, unless the room decodes
	 * on demand (see {@link Room.withStateVector}).
	 */
	attach(room: Room): void {
		if (this.closed) return
		if (room.failed) {
			// The room failed to store a change while this connection waited for it: connect again to its reload.
			this.close(CloseCode.storeFailed, 'a change could not be stored; reconnect')
			return
		}
		this.room = room
		this.requestedRoomId = null
		room.peers.add(this)
		const states = room.awareness.getStates()
		if (states.size > 0) {
			this.sendFrame(
				framedMessage(AWARENESS_HEAD, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]))
			)
		}
		const buffered = this.buffered
		this.buffered = null
		for (const message of buffered ?? []) {
			if (this.closed || this.closing) break
			this.handle(message)
		}
		room.withStateVector((stateVector) => this.sendFrame(framedMessage(SYNC_STEP_1_HEAD, stateVector)))
	}

	/**
	 * Sends a binary message: its frame ({@link binaryFrame}, shared with the other peers of a broadcast) is written
	 * to the TCP socket in one piece, as `ws` would write it (no extension is negotiated, so `ws`'s sender never
	 * queues; its pings and close frames are written whole in between). A write that fails is `ws`'s socket error:
	 * it closes the connection.
	 */
	send(message: Uint8Array): void {
		this.sendFrame(frameOf(message))
	}

	/** Sends a message already framed for the wire ({@link binaryFrame}), as {@link PeerConnection.send} does. */
	sendFrame(frame: Buffer): void {
		if (this.closed || this.socket.readyState !== this.socket.OPEN) return
		if (this.socket.bufferedAmount > this.host.maxBufferedBytes) {
			this.closeUnread()
			return
		}
		transportOf(this.socket).write(frame)
	}

	/**
	 * Whether the peer may make another sync step 1 request: {@link SYNC_REQUEST_BURST} at once, one more every
	 * {@link SYNC_REQUEST_REFILL_MS}. Each answer can be the whole board.
	 */
	takeSyncRequest(): boolean {
		if (!this.syncBudget) {
			if (this.unbudgetedSyncRequests < UNBUDGETED_SYNC_REQUESTS) {
				this.unbudgetedSyncRequests++
				return true
			}
			this.syncBudget = new TokenBucket(SYNC_REQUEST_BURST, 1000 / SYNC_REQUEST_REFILL_MS)
			this.syncBudget.take(this.unbudgetedSyncRequests)
		}
		return this.syncBudget.take(1)
	}

	/**
	 * Whether a participant's connection may send `bytes` more of changes ({@link WRITE_BURST_BYTES} at once,
	 * {@link WRITE_BYTES_PER_SECOND} after): what one client adds to a room's memory and store is bounded in rate.
	 * Facilitators have no budget.
	 */
	takeWriteBudget(bytes: number): boolean {
		if (this.role === 'facilitator') return true
		if (!this.writeBudget) {
			if (this.unbudgetedWriteBytes + bytes <= UNBUDGETED_WRITE_BYTES) {
				this.unbudgetedWriteBytes += bytes
				return true
			}
			this.writeBudget = new TokenBucket(WRITE_BURST_BYTES, WRITE_BYTES_PER_SECOND)
			this.writeBudget.take(this.unbudgetedWriteBytes)
		}
		return this.writeBudget.take(bytes)
	}

	/**
	 * The client does not read what it is sent: more than {@link PeerHost.maxBufferedBytes} wait in the socket.
	 * It is closed with {@link CloseCode.tryAgainLater} and cut shortly after, since a client that does not read
	 * never completes the close; what was queued for it is freed.
	 */
	private closeUnread(): void {
		if (this.closing) return
		this.host.log.warn(
			{ roomId: this.roomId, bufferedBytes: this.socket.bufferedAmount },
			'websocket does not read what it is sent; closing it'
		)
		this.close(CloseCode.tryAgainLater, 'not reading')
		const socket = this.socket
		setTimeout(() => socket.terminate(), UNREAD_CLOSE_GRACE_MS).unref()
	}

	close(code: number, reason: string): void {
		if (this.closed) return
		this.closing = true
		try {
			this.socket.close(code, reason)
		} catch {
			this.socket.terminate()
		}
	}

	private receive(data: RawData, isBinary: boolean): void {
		if (this.closed || this.closing) return
		if (!isBinary) {
			this.host.log.warn({ roomId: this.roomId }, 'text message on a y-websocket connection; closing it')
			this.close(CloseCode.unsupportedData, 'binary y-websocket messages only')
			return
		}
		const message = Array.isArray(data)
			? new Uint8Array(Buffer.concat(data))
			: data instanceof ArrayBuffer
				? new Uint8Array(data)
				: new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
		if (!this.room) {
			const buffered = (this.buffered ??= [])
			this.bufferedBytes += message.byteLength
			if (this.bufferedBytes > this.host.maxBufferedBytes) {
				this.close(CloseCode.policyViolation, 'too much sent before the room loaded')
				return
			}
			buffered.push(message)
			return
		}
		this.handle(message)
	}

	private handle(message: Uint8Array): void {
		const room = this.room
		if (!room || this.closing) return
		try {
			const decoder = decoding.createDecoder(message)
			const encoder = encoding.createEncoder()
			const messageType = decoding.readVarUint(decoder)
			const handler = messageHandlers[messageType]
			if (!handler) throw new MalformedMessageError(`unknown message type ${messageType}`)
			handler(this, room, decoder, encoder)
			if (encoding.length(encoder) > 1) this.send(encoding.toUint8Array(encoder))
		} catch (error) {
			this.host.log.warn({ err: error, roomId: room.id }, 'malformed websocket message; closing that socket')
			this.close(CloseCode.invalidPayload, 'malformed message')
		}
	}

	private handleClose(): void {
		if (this.closed) return
		this.closed = true
		this.buffered = null
		const room = this.room
		room?.removePeer(this)
		this.host.peerClosed(this.socket, room)
	}
}
