import * as ws from 'ws'
import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { binaryFrame, framedMessage } from './binary-frame'

/** ws's frame writer (exported at run time; its types leave it out). */
const { Sender } = ws as unknown as {
	Sender: { frame(data: Buffer, options: Record<string, unknown>): Buffer[] }
}

/** What `ws` writes for `send(payload, { binary: true })` on a server socket: its header and the payload. */
function wsFrame(payload: Uint8Array): Buffer {
	const parts = Sender.frame(Buffer.from(payload), { fin: true, opcode: 2, mask: false, readOnly: false, rsv1: false })
	return Buffer.concat(parts)
}

describe('binaryFrame', () => {
	// Each length class of the header: 7 bits, 16 bits after 126, 64 bits after 127, at their edges.
	it.each([0, 1, 125, 126, 127, 1000, 0xffff, 0x10000, 200_000])('frames %i bytes as ws does', (length) => {
		const payload = new Uint8Array(length)
		for (let i = 0; i < length; i++) payload[i] = (i * 31 + 7) & 0xff
		const frame = binaryFrame(payload)
		expect(frame.equals(wsFrame(payload))).toBe(true)
	})

	it('copies the payload out of a view into a larger buffer', () => {
		const backing = new Uint8Array([9, 9, 1, 2, 3, 9])
		const frame = binaryFrame(backing.subarray(2, 5))
		expect([...frame]).toEqual([0x82, 3, 1, 2, 3])
	})
})

describe('framedMessage', () => {
	// Message lengths at the edges of the frame header's classes and of the payload length's varUint.
	it.each([0, 1, 122, 123, 124, 127, 128, 0xfffb, 0xfffc, 0xffff, 0x10000, 200_000])(
		'writes what binaryFrame writes for the encoded message, with a %i-byte payload',
		(length) => {
			const payload = new Uint8Array(length)
			for (let i = 0; i < length; i++) payload[i] = (i * 17 + 3) & 0xff
			for (const head of [[1], [0, 1]]) {
				const encoder = encoding.createEncoder()
				for (const byte of head) encoding.writeVarUint(encoder, byte)
				encoding.writeVarUint8Array(encoder, payload)
				expect(framedMessage(head, payload).equals(binaryFrame(encoding.toUint8Array(encoder)))).toBe(true)
			}
		}
	)
})
