import { varUintBytes, writeVarUintAt } from './protocol'

/**
 * A websocket message as the server puts it on the wire: one final, unmasked binary frame — the bytes `ws`'s
 * `Sender.frame` writes for `send(data, { binary: true })` without compression — header and payload in one
 * buffer. A broadcast frames its message once and writes the same buffer to every peer's socket
 * (ws/peer-connection.ts): `ws.send` would build a header, a `Buffer` view and an options object per peer and
 * write each message as two chunks through the socket's cork and `writev` path.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
	const frame = allocFrame(payload.byteLength)
	frame.set(payload, frame.byteLength - payload.byteLength)
	return frame
}

/**
 * The frame of a y-websocket message made of a fixed head (its message type bytes) and a payload written as
 * lib0's `writeVarUint8Array` writes it (its length as a varUint, then its bytes): the same bytes as
 * `binaryFrame` of the encoded message, built in one buffer with one copy of the payload — no encoder, no
 * message and no frame copy of their own for what may be the whole board or every presence of a room.
 */
export function framedMessage(head: readonly number[], payload: Uint8Array): Buffer {
	const payloadLength = payload.byteLength
	const messageLength = head.length + varUintBytes(payloadLength) + payloadLength
	const frame = allocFrame(messageLength)
	let pos = frame.byteLength - messageLength
	for (const byte of head) frame[pos++] = byte
	frame.set(payload, writeVarUintAt(frame, pos, payloadLength))
	return frame
}

/**
 * A buffer for one final, unmasked binary frame of `payloadLength` bytes, its header written (7-bit length, or
 * 126 and 16 bits, or 127 and 64 bits, as RFC 6455 and `ws` write it); the payload goes in its last bytes.
 */
function allocFrame(payloadLength: number): Buffer {
	const headerBytes = payloadLength < 126 ? 2 : payloadLength <= 0xffff ? 4 : 10
	const frame = Buffer.allocUnsafe(headerBytes + payloadLength)
	frame[0] = 0x82
	if (headerBytes === 2) frame[1] = payloadLength
	else if (headerBytes === 4) {
		frame[1] = 126
		frame.writeUInt16BE(payloadLength, 2)
	} else {
		frame[1] = 127
		frame.writeUInt32BE(Math.floor(payloadLength / 0x100000000), 2)
		frame.writeUInt32BE(payloadLength >>> 0, 6)
	}
	return frame
}
