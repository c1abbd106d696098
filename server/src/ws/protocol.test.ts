import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { describe, expect, it } from 'vitest'
import { messageSync, syncUpdateMessage } from './protocol'

describe('syncUpdateMessage', () => {
	it('writes the same bytes as y-protocols for updates of every length class', () => {
		for (const length of [0, 1, 127, 128, 300, 16_383, 16_384, 2_097_152]) {
			const update = new Uint8Array(length).fill(0xa5)
			if (length) update[length - 1] = 7
			const encoder = encoding.createEncoder()
			encoding.writeVarUint(encoder, messageSync)
			syncProtocol.writeUpdate(encoder, update)
			expect(Buffer.from(syncUpdateMessage(update)).equals(encoding.toUint8Array(encoder)), `length ${length}`).toBe(
				true
			)
		}
	})
})
