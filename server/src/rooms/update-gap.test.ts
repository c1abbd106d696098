import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { whereUpdateStarts, type UpdateStart } from './update-gap'

/** Every client's first clock from `Y.parseUpdateMeta` against the doc's state. */
function byParseUpdateMeta(doc: Y.Doc, update: Uint8Array): UpdateStart {
	let start: UpdateStart = 'exact'
	for (const [client, clock] of Y.parseUpdateMeta(update).from) {
		const state = Y.getState(doc.store, client)
		if (clock > state) return 'beyond'
		if (clock < state) start = 'overlap'
	}
	return start
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

describe('whereUpdateStarts', () => {
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
		const seen = new Map<UpdateStart, number>()
		for (const server of states) {
			for (const update of candidates) {
				const expected = byParseUpdateMeta(server, update)
				expect(whereUpdateStarts(server, update)).toBe(expected)
				seen.set(expected, (seen.get(expected) ?? 0) + 1)
			}
		}
		// The cases hold every answer, more than once.
		expect(seen.get('beyond')).toBeGreaterThan(3)
		expect(seen.get('exact')).toBeGreaterThan(3)
		expect(seen.get('overlap')).toBeGreaterThan(3)
	})

	it('throws when the header does not decode', () => {
		const doc = new Y.Doc()
		doc.getMap('records').set('n', note(1))
		const update = Y.encodeStateAsUpdate(doc)
		expect(() => whereUpdateStarts(new Y.Doc(), update.subarray(0, 2))).toThrow()
		expect(() => whereUpdateStarts(new Y.Doc(), new Uint8Array([]))).toThrow()
	})
})
