import { CLOSE_DOC_REPLACED, CLOSE_ROOM_NOT_FOUND, CLOSE_STORE_FAILED } from '@kompasbord/shared'

/** y-websocket message types (the first varUint of every message). */
export const messageSync = 0
/** @see messageSync */
export const messageAwareness = 1
/** @see messageSync */
export const messageAuth = 2
/** @see messageSync */
export const messageQueryAwareness = 3

/** y-protocols sync sub-message types. */
export const messageYjsSyncStep1 = 0
/** @see messageYjsSyncStep1 */
export const messageYjsSyncStep2 = 1
/** @see messageYjsSyncStep1 */
export const messageYjsUpdate = 2

/** The head of a sync step 1 message (message type, sync type), for `framedMessage` (binary-frame.ts). */
export const SYNC_STEP_1_HEAD: readonly number[] = [messageSync, messageYjsSyncStep1]
/** The head of a sync step 2 message (message type, sync type), for `framedMessage` (binary-frame.ts). */
export const SYNC_STEP_2_HEAD: readonly number[] = [messageSync, messageYjsSyncStep2]
/** The head of an awareness message, for `framedMessage` (binary-frame.ts). */
export const AWARENESS_HEAD: readonly number[] = [messageAwareness]

/**
 * The y-websocket sync message carrying an update (`messageSync`, `messageYjsUpdate`, the update's length and
 * bytes), as y-protocols' encoder writes it, in one allocation: it is built once per update and sent to every peer.
 */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
	const message = new Uint8Array(2 + varUintBytes(update.byteLength) + update.byteLength)
	message[0] = messageSync
	message[1] = messageYjsUpdate
	message.set(update, writeVarUintAt(message, 2, update.byteLength))
	return message
}

/** How many bytes lib0's `writeVarUint` takes for `value` (a non-negative integer). */
export function varUintBytes(value: number): number {
	let bytes = 1
	for (let rest = value; rest > 0x7f; rest = Math.floor(rest / 0x80)) bytes++
	return bytes
}

/** Writes `value` as lib0's `writeVarUint` does, at `pos` of `target`; returns the position after it. */
export function writeVarUintAt(target: Uint8Array, pos: number, value: number): number {
	let rest = value
	while (rest > 0x7f) {
		target[pos++] = 0x80 | (rest & 0x7f)
		rest = Math.floor(rest / 0x80)
	}
	target[pos++] = rest
	return pos
}

/** WebSocket close codes the server uses. */
export const CloseCode = {
	/** Server shutting down or restarting; clients reconnect. */
	serviceRestart: 1012,
	/** A message that is not a y-websocket binary message (e.g. text). */
	unsupportedData: 1003,
	/** A binary message that does not decode or whose update does not apply. */
	invalidPayload: 1007,
	/** Message bigger than the configured limit (ws closes with it by itself). */
	messageTooBig: 1009,
	/** Server error while handling a message. */
	internalError: 1011,
	/** The client broke a rule of the endpoint: too many sync requests, too much sent before its room loaded. */
	policyViolation: 1008,
	/**
	 * The client does not read what it is sent (more than `WS_MAX_BUFFERED_BYTES` queued for it); cut a second
	 * later. A client that reads again reconnects.
	 */
	tryAgainLater: 1013,
	/** The room does not exist (any more). */
	roomNotFound: CLOSE_ROOM_NOT_FOUND,
	/** The peer holds a copy of the doc from before a rebuild (see rooms/doc-rebuild.ts); it must reload. */
	docReplaced: CLOSE_DOC_REPLACED,
	/** A change of the room could not be stored; the room is loaded again from the store (see rooms/room-manager.ts). */
	storeFailed: CLOSE_STORE_FAILED,
} as const
