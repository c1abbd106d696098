import * as ws from 'ws'

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
