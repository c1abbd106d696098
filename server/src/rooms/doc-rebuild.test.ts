import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { RECORDS_MAP, SESSION_MAP, VOTES_MAP } from '@kompasbord/shared'
import { docHistoryStats, holdsRetiredDoc, rebuildDoc, REBUILD_MIN_TOMBSTONES, worthRebuilding } from './doc-rebuild'

/** A doc as a busy room leaves it: `notes` notes, each moved `moves` times in round-robin order by two clients. */
function busyDoc(notes: number, moves: number): Y.Doc {
	const a = new Y.Doc()
	const b = new Y.Doc()
	const sync = () => {
		Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
		Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
	}
	for (let i = 0; i < notes; i++) a.getMap(RECORDS_MAP).set(`shape:n${i}`, { id: `shape:n${i}`, x: 0, y: 0 })
	a.getMap(SESSION_MAP).set('phase', 'voting')
	a.getMap(VOTES_MAP).set('shape:n1', 3)
	sync()
	for (let m = 1; m <= moves; m++) {
		const writer = m % 2 ? b : a
		for (let i = 0; i < notes; i++) writer.getMap(RECORDS_MAP).set(`shape:n${i}`, { id: `shape:n${i}`, x: m, y: m * 2 })
		sync()
	}
	a.getMap(RECORDS_MAP).delete('shape:n0')
	sync()
	b.destroy()
	return a
}

describe('docHistoryStats / worthRebuilding', () => {
	it('counts live entries and tombstones', () => {
		const doc = busyDoc(100, 3)
		const stats = docHistoryStats(doc)
		expect(stats.liveEntries).toBe(99 + 1 + 1)
		expect(stats.tombstones).toBe(100 * 3 + 1)
	})

	it('rebuilds only when there are many tombstones, and more than live entries', () => {
		expect(worthRebuilding({ liveEntries: 10, tombstones: REBUILD_MIN_TOMBSTONES - 1 })).toBe(false)
		expect(worthRebuilding({ liveEntries: 5000, tombstones: 4000 })).toBe(false)
		expect(worthRebuilding({ liveEntries: 1000, tombstones: 5000 })).toBe(true)
	})
})

describe('rebuildDoc', () => {
	it('keeps every map entry, drops the history, and names the old client ids', () => {
		const doc = busyDoc(300, 5)
		const rebuilt = rebuildDoc(doc)
		expect(rebuilt).not.toBeNull()
		const fresh = rebuilt!.doc
		for (const name of [RECORDS_MAP, SESSION_MAP, VOTES_MAP]) {
			expect(fresh.getMap(name).toJSON()).toEqual(doc.getMap(name).toJSON())
		}
		expect(docHistoryStats(fresh).tombstones).toBe(0)
		const oldUpdate = Y.encodeStateAsUpdate(doc)
		const newUpdate = Y.encodeStateAsUpdate(fresh)
		expect(newUpdate.byteLength).toBeLessThan(oldUpdate.byteLength)
		const oldClients = [...Y.decodeStateVector(Y.encodeStateVector(doc)).keys()].sort()
		expect([...rebuilt!.retiredClients].sort()).toEqual(oldClients)
		expect(oldClients).toHaveLength(2)
		// A client loading the new state gets the same content.
		const loaded = new Y.Doc()
		Y.applyUpdate(loaded, newUpdate)
		expect(loaded.getMap(RECORDS_MAP).toJSON()).toEqual(doc.getMap(RECORDS_MAP).toJSON())
	})

	it('leaves a doc with nested shared types alone', () => {
		const doc = new Y.Doc()
		doc.getMap(RECORDS_MAP).set('nested', new Y.Map())
		expect(rebuildDoc(doc)).toBeNull()
		const withText = new Y.Doc()
		withText.getText('notes').insert(0, 'x')
		expect(rebuildDoc(withText)).toBeNull()
	})
})

describe('holdsRetiredDoc', () => {
	it('is true only for a state vector that names a retired client', () => {
		const retired = new Set([11, 12])
		expect(holdsRetiredDoc(new Map(), retired)).toBe(false)
		expect(holdsRetiredDoc(new Map([[99, 4]]), retired)).toBe(false)
		expect(
			holdsRetiredDoc(
				new Map([
					[99, 4],
					[12, 7],
				]),
				retired
			)
		).toBe(true)
		expect(holdsRetiredDoc(new Map([[12, 7]]), new Set())).toBe(false)
	})
})
