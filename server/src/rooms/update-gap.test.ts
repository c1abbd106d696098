import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { updateStartsBeyondDoc } from './update-gap'

/** What the room judged before: every client's first clock from `Y.parseUpdateMeta` against the doc's state. */
function byParseUpdateMeta(doc: Y.Doc, update: Uint8Array): boolean {
	for (const [client, clock] of Y.parseUpdateMeta(update).from) if (clock > Y.getState(doc.store, client)) return true
	return false
}

/** Each of the doc's changes as its own update. */
function recordUpdates(doc: Y.Doc): Uint8Array[] {
	const updates: Uint8Array[] = []
	doc.on('update', (u: Uint8Array) => updates.push(u))
	return updates
}

function note(i: number) {
	return {
		id: `shape:n${i}`,
		typeName: 'shape',
		props: { richText: { type: 'doc', content: [{ type: 'text', text: `nota ${i}` }] } },
	}
}

describe('updateStartsBeyondDoc', () => {
	it('decides as Y.parseUpdateMeta does, for one client, several, gaps, skips, deletions and empty updates', () => {
		const alice = new Y.Doc()
		const bob = new Y.Doc()
		const aliceUpdates = recordUpdates(alice)
		const bobUpdates = recordUpdates(bob)
		for (let i = 0; i < 4; i++) alice.getMap('records').set(`n${i}`, note(i))
		bob.getMap('records').set('b0', note(100))
		bob.getText('t').insert(0, 'hallo')
		alice.getMap('records').delete('n1')
		const candidates: Uint8Array[] = [
			...aliceUpdates,
			...bobUpdates,
			Y.mergeUpdates([aliceUpdates[0], bobUpdates[0]]),
			Y.mergeUpdates([aliceUpdates[0], aliceUpdates[2]]), // a Skip in between
			Y.mergeUpdates([aliceUpdates[2], bobUpdates[1]]),
			Y.encodeStateAsUpdate(alice),
			Y.encodeStateAsUpdate(new Y.Doc()),
			aliceUpdates[aliceUpdates.length - 1], // the deletion: no structs, a delete set
		]
		// Server states: nothing, part of Alice's changes, everything of both.
		const states: Y.Doc[] = [new Y.Doc(), new Y.Doc(), new Y.Doc()]
		Y.applyUpdate(states[1], aliceUpdates[0])
		Y.applyUpdate(states[1], aliceUpdates[1])
		Y.applyUpdate(states[2], Y.encodeStateAsUpdate(alice))
		Y.applyUpdate(states[2], Y.encodeStateAsUpdate(bob))
		let beyond = 0
		for (const server of states) {
			for (const update of candidates) {
				const expected = byParseUpdateMeta(server, update)
				expect(updateStartsBeyondDoc(server, update)).toBe(expected)
				if (expected) beyond++
			}
		}
		// The cases hold both answers.
		expect(beyond).toBeGreaterThan(3)
		expect(beyond).toBeLessThan(states.length * candidates.length)
	})

	it('throws when the header does not decode', () => {
		const doc = new Y.Doc()
		doc.getMap('records').set('n', note(1))
		const update = Y.encodeStateAsUpdate(doc)
		expect(() => updateStartsBeyondDoc(new Y.Doc(), update.subarray(0, 2))).toThrow()
		expect(() => updateStartsBeyondDoc(new Y.Doc(), new Uint8Array([]))).toThrow()
	})
})
