import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { TLRecord } from 'tldraw'
import { META_MAP, RECORDS_MAP, SCHEMA_KEY } from '@kompasbord/shared'
import { captureUnsentChanges, replayUnsentChanges } from './doc-replacement'
import { bindDocToStore } from './yjs-tldraw-sync'
import { documentRecord, newStore, noteRecord, pageRecord } from './test-fixtures'

/** A doc as the server seeds it, holding `records`. */
function serverDoc(records: TLRecord[]): Y.Doc {
	const doc = new Y.Doc()
	doc.transact(() => {
		const map = doc.getMap<unknown>(RECORDS_MAP)
		for (const r of records) map.set(r.id, r)
		doc.getMap(META_MAP).set(SCHEMA_KEY, newStore().schema.serialize())
	})
	return doc
}

describe('carrying unsent changes over to a rebuilt doc', () => {
	it('writes the offline edits, additions and removals again, and leaves the rest as the server has it', () => {
		const kept = noteRecord('kept', 'Blijft')
		const moved = noteRecord('moved', 'Verschoven')
		const removed = noteRecord('removed', 'Weg')
		const others = noteRecord('others', 'Van een ander')
		const base = [documentRecord(), pageRecord(), kept, moved, removed, others]

		// The board before the rebuild: bound to the old doc, then offline edits.
		const oldStore = newStore()
		const oldBinding = bindDocToStore(serverDoc(base), oldStore)
		const added = noteRecord('added', 'Offline geschreven')
		oldStore.put([{ ...moved, x: 500 }, added])
		oldStore.remove([removed.id])
		const captured = captureUnsentChanges(oldStore, [moved.id, added.id, removed.id, moved.id])
		oldBinding.dispose()
		expect(captured.puts.map((r) => r.id).sort()).toEqual([added.id, moved.id].sort())
		expect(captured.removes).toEqual([removed.id])

		// Meanwhile on the server: someone else changed another note; the doc was rebuilt.
		const rebuilt = serverDoc([documentRecord(), pageRecord(), kept, moved, removed, { ...others, x: 77 }])
		const store = newStore()
		const binding = bindDocToStore(rebuilt, store)
		replayUnsentChanges(store, captured)

		const records = rebuilt.getMap<TLRecord>(RECORDS_MAP)
		expect((records.get(moved.id) as { x: number }).x).toBe(500)
		expect(records.has(added.id)).toBe(true)
		expect(records.has(removed.id)).toBe(false)
		expect((records.get(others.id) as { x: number }).x).toBe(77)
		expect(records.get(kept.id)).toEqual(kept)
		binding.dispose()
	})

	it('does nothing without unsent changes, and skips removals the new doc no longer needs', () => {
		const store = newStore()
		const doc = serverDoc([documentRecord(), pageRecord()])
		const binding = bindDocToStore(doc, store)
		const before = Y.encodeStateVector(doc)
		replayUnsentChanges(store, { puts: [], removes: ['shape:gone'] })
		expect(Y.encodeStateVector(doc)).toEqual(before)
		binding.dispose()
	})
})
