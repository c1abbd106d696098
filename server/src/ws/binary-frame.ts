/**
 * A websocket message as the server puts it on the wire (RFC 6455 §5.2): one final frame, binary opcode, not
 * masked (a server never masks), the payload length in 7 bits or, after 126 or 127, in 16 or 64 bits, then the
 * payload — what `ws`'s `Sender` writes for `send(data, { binary: true })` without compression, in one buffer.
 * A broadcast frames its message once and writes the same buffer to every peer's socket
 * (ws/peer-connection.ts): `ws` would build a header, a `Buffer` view and an options object per peer and write
 * each message as two chunks through the socket's cork and `writev` path.
 */
export function binaryFrame(payload: Uint8Array): Buffer {
	const length = payload.byteLength
	const headerBytes = length < 126 ? 2 : length <= 0xffff ? 4 : 10
	const frame = Buffer.allocUnsafe(headerBytes + length)
	frame[0] = 0x82 // FIN, opcode 2 (binary)
	if (length < 126) {
		frame[1] = length
	} else if (length <= 0xffff) {
		frame[1] = 126
		frame.writeUInt16BE(length, 2)
	} else {
		frame[1] = 127
		frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2)
		frame.writeUInt32BE(length >>> 0, 6)
	}
	frame.set(payload, headerBytes)
	return frame
}
