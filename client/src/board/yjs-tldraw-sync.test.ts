import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { createShapeId, type SerializedSchema, type TLRecord, type TLStore } from 'tldraw'
import { DOCUMENT_ID, META_MAP, PAGE_ID, RECORDS_MAP, SCHEMA_KEY } from '@kompasbord/shared'
import {
	BindError,
	DocSchema,
	LOCAL_ORIGIN,
	bindDocToStore,
	changesFromMapEvent,
	docChangesFromDiff,
	docHasBoard,
	prepareIncoming,
	type Binding,
} from './yjs-tldraw-sync'
import { documentRecord, newStore, noteRecord, pageRecord } from './test-fixtures'

const note = noteRecord

/** What the server does at room creation: the board's records and the schema, in one transaction. */
function seed(doc: Y.Doc, records: TLRecord[], schema: SerializedSchema = newStore().schema.serialize()) {
	doc.transact(() => {
		const map = doc.getMap<unknown>(RECORDS_MAP)
		for (const r of records) map.set(r.id, r)
		doc.getMap(META_MAP).set(SCHEMA_KEY, schema)
	}, 'server')
}

/** Two docs that exchange every update, like two clients of one room. */
function linkedDocs(): [Y.Doc, Y.Doc] {
	const a = new Y.Doc()
	const b = new Y.Doc()
	a.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'from-b') Y.applyUpdate(b, update, 'from-a')
	})
	b.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin !== 'from-a') Y.applyUpdate(a, update, 'from-b')
	})
	return [a, b]
}

const cleanups: (() => void)[] = []
afterEach(() => {
	while (cleanups.length) cleanups.pop()!()
	vi.restoreAllMocks()
})

function bind(doc: Y.Doc, store: TLStore, options?: Parameters<typeof bindDocToStore>[2]): Binding {
	const binding = bindDocToStore(doc, store, options)
	cleanups.push(() => {
		binding.dispose()
		store.dispose()
	})
	return binding
}

describe('changesFromMapEvent', () => {
	it('turns set keys into puts of the new value and deleted keys into removes', () => {
		const doc = new Y.Doc()
		const map = doc.getMap<unknown>('m')
		map.set('keep', { id: 'keep', v: 1 })
		map.set('gone', { id: 'gone' })
		const events: ReturnType<typeof changesFromMapEvent>[] = []
		map.observe((event) => events.push(changesFromMapEvent(event)))
		doc.transact(() => {
			map.set('keep', { id: 'keep', v: 2 })
			map.set('new', { id: 'new' })
			map.delete('gone')
			map.set('flash', { id: 'flash' })
			map.delete('flash')
		})
		expect(events).toHaveLength(1)
		expect(events[0].puts).toEqual(expect.arrayContaining([{ id: 'keep', v: 2 }, { id: 'new' }]))
		expect(events[0].puts).toHaveLength(2)
		expect(events[0].removes).toEqual(['gone'])
	})
})

describe('docChangesFromDiff', () => {
	it('writes added and updated records whole and removes removed ids', () => {
		const a = note('a', 'A')
		const b = note('b', 'B')
		const b2 = { ...b, x: 99 }
		const c = note('c', 'C')
		const changes = docChangesFromDiff({
			added: { [a.id]: a },
			updated: { [b.id]: [b, b2] },
			removed: { [c.id]: c },
		} as never)
		expect(changes.puts).toEqual([a, b2])
		expect(changes.removes).toEqual([c.id])
	})
})

describe('prepareIncoming', () => {
	it('keeps valid document records and rejects invalid, unknown, session-scope and non-records', () => {
		const store = newStore()
		cleanups.push(() => store.dispose())
		const good = note('good', 'Hallo')
		const badX = { ...note('bad', 'x'), x: 'links' }
		const badProps = { ...note('badprops', 'x'), props: { ...note('badprops', 'x').props, color: 'plaid' } }
		const unknownType = { id: 'widget:1', typeName: 'widget' }
		const session = { id: 'instance:instance', typeName: 'instance' }
		// Valid by tldraw's schema (rich text content is open), but its editor knows no blockquote.
		const quoted = note('quoted', 'x')
		const quotedNote = {
			...quoted,
			props: { ...quoted.props, richText: { type: 'doc', content: [{ type: 'blockquote', content: [] }] } },
		}
		const prepared = prepareIncoming(store, {
			puts: [good, badX, badProps, unknownType, session, 42, null, quotedNote],
			removes: [],
		})
		expect(prepared.puts.map((r) => r.id)).toEqual([good.id])
		expect(prepared.rejected.map((r) => r.id)).toEqual([
			badX.id,
			badProps.id,
			'widget:1',
			'instance:instance',
			'(no id)',
			'(no id)',
			quoted.id,
		])
		expect(prepared.rejected[3].reason).toMatch(/not shared/)
		expect(prepared.rejected[6].reason).toMatch(/rich text/)
	})

	it('drops removals of records the store does not hold', () => {
		const store = newStore()
		cleanups.push(() => store.dispose())
		store.put([documentRecord(), pageRecord()])
		const prepared = prepareIncoming(store, { puts: [], removes: [PAGE_ID, 'shape:nope'] })
		expect(prepared.removes).toEqual([PAGE_ID])
	})
})

describe('bindDocToStore', () => {
	it('refuses a doc without a document record and never seeds one', () => {
		const doc = new Y.Doc()
		seed(doc, [pageRecord()])
		const store = newStore()
		cleanups.push(() => store.dispose())
		expect(docHasBoard(doc)).toBe(false)
		expect(() => bindDocToStore(doc, store)).toThrow(BindError)
		expect(doc.getMap(RECORDS_MAP).has(DOCUMENT_ID)).toBe(false)
		expect(store.get(DOCUMENT_ID as never)).toBeUndefined()
	})

	it('refuses a doc written by a newer tldraw', () => {
		const doc = new Y.Doc()
		const newer = newStore().schema.serialize()
		newer.sequences['com.tldraw.shape'] = (newer.sequences['com.tldraw.shape'] ?? 0) + 5
		seed(doc, [documentRecord(), pageRecord()], newer)
		const store = newStore()
		cleanups.push(() => store.dispose())
		try {
			bindDocToStore(doc, store)
			expect.unreachable()
		} catch (error) {
			expect((error as BindError).reason).toBe('newer-schema')
		}
	})

	it('loads the seeded records, skipping an invalid one with a warning', () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
		const doc = new Y.Doc()
		seed(doc, [documentRecord(), pageRecord(), note('n1', 'Een'), { ...note('n2', 'Twee'), y: Number.NaN } as TLRecord])
		const store = newStore()
		bind(doc, store)
		expect(store.get(DOCUMENT_ID as never)).toBeDefined()
		expect(store.get(createShapeId('n1'))).toMatchObject({ x: 10, y: 20 })
		expect(store.get(createShapeId('n2'))).toBeUndefined()
		expect(warn).toHaveBeenCalledTimes(1)
		expect(String(warn.mock.calls[0][0])).toContain('shape:n2')
	})

	it('syncs user changes one way and remote changes the other, record by record', async () => {
		const [docA, docB] = linkedDocs()
		seed(docA, [documentRecord(), pageRecord()])
		const storeA = newStore()
		const storeB = newStore()
		const localIds: string[][] = []
		bind(docA, storeA, { onLocalChange: (ids) => localIds.push(ids) })
		bind(docB, storeB)

		const transactions: unknown[] = []
		docA.on('afterTransaction', (tr: Y.Transaction) => transactions.push(tr.origin))
		storeA.put([note('n1', 'Hallo'), note('n2', 'Wereld')])
		await vi.waitFor(() => expect(storeB.get(createShapeId('n2'))).toBeDefined())
		// Both records went out in one transaction with the local origin.
		expect(transactions).toEqual([LOCAL_ORIGIN])
		expect(localIds).toEqual([[createShapeId('n1'), createShapeId('n2')]])
		expect(docB.getMap(RECORDS_MAP).get(createShapeId('n1'))).toMatchObject({ typeName: 'shape', type: 'note' })

		storeB.update(createShapeId('n1'), (r) => ({ ...r, x: 500 }))
		await vi.waitFor(() => expect(storeA.get(createShapeId('n1'))).toMatchObject({ x: 500 }))
		storeB.remove([createShapeId('n2')])
		await vi.waitFor(() => expect(storeA.get(createShapeId('n2'))).toBeUndefined())
		expect(docA.getMap(RECORDS_MAP).has(createShapeId('n2'))).toBe(false)
		// Remote changes do not echo back as local ones.
		expect(localIds).toHaveLength(1)
	})

	it('applies a remote batch without the one invalid record in it', async () => {
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
		const [server, client] = linkedDocs()
		seed(server, [documentRecord(), pageRecord()])
		const store = newStore()
		bind(client, store)
		server.transact(() => {
			const map = server.getMap<unknown>(RECORDS_MAP)
			map.set(createShapeId('ok'), note('ok', 'Goed'))
			map.set(createShapeId('broken'), { ...note('broken', 'Stuk'), parentId: 42 })
		}, 'server')
		expect(store.get(createShapeId('ok'))).toBeDefined()
		expect(store.get(createShapeId('broken'))).toBeUndefined()
		expect(warn).toHaveBeenCalledWith(expect.stringContaining('shape:broken'))
		// A later valid version of the same record is taken.
		server.getMap<unknown>(RECORDS_MAP).set(createShapeId('broken'), note('broken', 'Heel'))
		expect(store.get(createShapeId('broken'))).toBeDefined()
	})

	it('writes nothing for a read-only client', async () => {
		const doc = new Y.Doc()
		seed(doc, [documentRecord(), pageRecord()])
		const store = newStore()
		bind(doc, store, { writable: false })
		const before = Y.encodeStateVector(doc)
		store.put([note('n1', 'x')])
		store._flushHistory()
		expect(Y.encodeStateVector(doc)).toEqual(before)
	})
})

describe('schema migration', () => {
	/** The client's schema with the note shape one version back, and a current note in that old format. */
	function olderSchemaAndNote() {
		const store = newStore()
		const current = store.schema.serialize()
		const older: SerializedSchema = structuredClone(current)
		const key = 'com.tldraw.shape.note'
		older.sequences[key] = (current.sequences[key] as number) - 1
		const fresh = note('old', 'Oud')
		const down = store.schema.migratePersistedRecord(fresh, older, 'down')
		store.dispose()
		if (down.type !== 'success') throw new Error('no down migration for the last note version')
		return { older, current, fresh, oldFormat: down.value }
	}

	it('DocSchema tells same, older and newer apart', () => {
		const store = newStore()
		cleanups.push(() => store.dispose())
		const { older, current } = olderSchemaAndNote()
		const schema = new DocSchema(store)
		expect(schema.update(current)).toBe('same')
		expect(schema.update(null)).toBe('same')
		expect(schema.update(older)).toBe('older')
		expect(schema.olderSchema).toEqual(older)
	})

	it('migrates an older room on load and, for the facilitator, upgrades it once', () => {
		const { older, current, fresh, oldFormat } = olderSchemaAndNote()
		expect(oldFormat).not.toEqual(fresh)
		const doc = new Y.Doc()
		seed(doc, [documentRecord(), pageRecord(), oldFormat], older)
		const store = newStore()
		const binding = bind(doc, store, { mayUpgrade: true })
		expect(binding.migrated).toBe(true)
		expect(store.get(fresh.id)).toEqual(fresh)
		expect(doc.getMap(RECORDS_MAP).get(fresh.id)).toEqual(fresh)
		expect(doc.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(current)
	})

	it('a participant in an older room reads up and writes down, leaving the schema alone', async () => {
		const { older, fresh, oldFormat } = olderSchemaAndNote()
		const [server, client] = linkedDocs()
		seed(server, [documentRecord(), pageRecord()], older)
		const store = newStore()
		bind(client, store, { mayUpgrade: false })
		// A remote record in the old format arrives migrated.
		server.getMap<unknown>(RECORDS_MAP).set(oldFormat.id, oldFormat)
		expect(store.get(fresh.id)).toEqual(fresh)
		// A local record goes out in the old format.
		const mine = note('mine', 'Nieuw')
		store.put([mine])
		await vi.waitFor(() => expect(server.getMap(RECORDS_MAP).has(mine.id)).toBe(true))
		const written = server.getMap<TLRecord>(RECORDS_MAP).get(mine.id)
		const expected = store.schema.migratePersistedRecord(mine, older, 'down')
		expect(expected.type).toBe('success')
		expect(written).toEqual(expected.type === 'success' ? expected.value : null)
		expect(written).not.toEqual(mine)
		expect(server.getMap(META_MAP).get(SCHEMA_KEY)).toEqual(older)
	})
})
