import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { messageSync, syncStep2Message, syncUpdateMessage } from './protocol'

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

describe('syncStep2Message', () => {
	it("writes what y-protocols' writeSyncStep2 writes for a doc", () => {
		const doc = new Y.Doc()
		doc.getMap('records').set('shape:a', { text: 'x'.repeat(300) })
		const encoder = encoding.createEncoder()
		encoding.writeVarUint(encoder, messageSync)
		syncProtocol.writeSyncStep2(encoder, doc)
		expect(Buffer.from(syncStep2Message(Y.encodeStateAsUpdate(doc))).equals(encoding.toUint8Array(encoder))).toBe(true)
	})
})
