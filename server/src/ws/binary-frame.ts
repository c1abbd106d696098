import * as ws from 'ws'
import { varUintBytes, writeVarUintAt } from './protocol'

/** `ws`'s frame writer: exported by the package as `Sender`, left out of its type definitions. */
const { Sender } = ws as unknown as {
	Sender: {
		frame(
			data: Buffer,
			options: { fin: boolean; opcode: number; mask: boolean; readOnly: boolean; rsv1: boolean }
		): Buffer[]
	}
}

/**
 * A websocket message as the server puts it on the wire: one final, unmasked binary frame (`ws`'s
 * `Sender.frame`, which `send(data, { binary: true })` uses without compression), header and payload in one
 * buffer. A broadcast frames its message once and writes the same buffer to every peer's socket
 * (ws/peer-connection.ts): `ws.send` would build a header, a `Buffer` view and an options object per peer and
 * write each message as two chunks through the socket's cork and `writev` path.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
	const data = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
	return Buffer.concat(Sender.frame(data, { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false }))
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
	const headerBytes = messageLength < 126 ? 2 : messageLength <= 0xffff ? 4 : 10
	const frame = Buffer.allocUnsafe(headerBytes + messageLength)
	frame[0] = 0x82
	if (headerBytes === 2) frame[1] = messageLength
	else if (headerBytes === 4) {
		frame[1] = 126
		frame.writeUInt16BE(messageLength, 2)
	} else {
		frame[1] = 127
		frame.writeUInt32BE(Math.floor(messageLength / 0x100000000), 2)
		frame.writeUInt32BE(messageLength >>> 0, 6)
	}
	let pos = headerBytes
	for (const byte of head) frame[pos++] = byte
	frame.set(payload, writeVarUintAt(frame, pos, payloadLength))
	return frame
}
