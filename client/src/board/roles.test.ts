import { afterEach, describe, expect, it } from 'vitest'
import { createShapeId, InstancePageStateRecordType, type TLShape, type TLStore } from 'tldraw'
import { PAGE_ID } from '@kompasbord/shared'
import type { KeyValueStorage } from '../i18n'
import {
	FACILITATOR_KEY_PREFIX,
	hashWithoutKey,
	isStructureShape,
	hasCapabilityInHash,
	resolveViewToken,
	keyFromHash,
	registerServerOwnedGuards,
	registerStructureGuards,
	resolveFacilitatorKey,
	roleFor,
} from './roles'
import { documentRecord, noteRecord, pageRecord, usableStore, zoneFrameRecord } from './test-fixtures'

function memoryStorage(): KeyValueStorage & { data: Map<string, string> } {
	const data = new Map<string, string>()
	return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

describe('links and roles', () => {
	it('reads and strips the facilitator key from the hash', () => {
		expect(keyFromHash('#key=abc123')).toBe('abc123')
		expect(keyFromHash('#x=1&key=a%2Bb')).toBe('a+b')
		expect(keyFromHash('#key=')).toBeNull()
		expect(keyFromHash('')).toBeNull()
		expect(hashWithoutKey('#key=abc')).toBe('')
		expect(hashWithoutKey('#x=1&key=abc')).toBe('#x=1')
	})

	it('remembers the key per room for the tab', () => {
		const storage = memoryStorage()
		expect(resolveFacilitatorKey('room1', '#key=k1', storage)).toBe('k1')
		expect(storage.data.get(`${FACILITATOR_KEY_PREFIX}room1`)).toBe('k1')
		expect(resolveFacilitatorKey('room1', '', storage)).toBe('k1')
		expect(resolveFacilitatorKey('room2', '', storage)).toBeNull()
		expect(resolveFacilitatorKey('room3', '#key=k3', null)).toBe('k3')
	})

	it('gives the view link read-only rights even with a key', () => {
		const storage = memoryStorage()
		expect(resolveViewToken('room1', '#view=v1.abc', storage)).toBe('v1.abc')
		expect(resolveViewToken('room1', '', storage)).toBe('v1.abc')
		expect(resolveViewToken('room2', '#key=k', storage)).toBeNull()
		expect(hashWithoutKey('#view=v1.abc&code=K7M2QX&key=k&x=1')).toBe('#x=1')
		expect(hasCapabilityInHash('#code=K7M2QX')).toBe(true)
		expect(hasCapabilityInHash('#x=1')).toBe(false)
		expect(roleFor({ facilitatorKey: 'k', view: true })).toBe('viewer')
		expect(roleFor({ facilitatorKey: 'k', view: false })).toBe('facilitator')
		expect(roleFor({ facilitatorKey: null, view: false })).toBe('participant')
	})
})

describe('registerStructureGuards', () => {
	let store: TLStore
	let canEdit = false
	const frameId = createShapeId('zone-doel')
	const noteId = createShapeId('note1')
	const pageStateId = InstancePageStateRecordType.createId(PAGE_ID as never)

	afterEach(() => store?.dispose())

	function setup() {
		store = usableStore()
		store.mergeRemoteChanges(() => {
			store.put([pageRecord(), zoneFrameRecord('doel'), noteRecord('note1', 'Hallo', { parentId: frameId })])
			store.put([InstancePageStateRecordType.create({ id: pageStateId, pageId: PAGE_ID as never })])
		})
		canEdit = false
		return registerStructureGuards(store, () => canEdit)
	}

	it('refuses a participant moving, renaming or deleting structure but lets notes change', () => {
		setup()
		store.update(frameId, (s) => ({ ...s, x: 100 }))
		store.update(
			frameId,
			(s) => ({ ...s, props: { ...(s as TLShape & { props: { name: string } }).props, name: 'Weg' } }) as TLShape
		)
		store.remove([frameId])
		expect(store.get(frameId)).toMatchObject({ x: 0, props: { name: 'doel' } })
		store.update(noteId, (s) => ({ ...s, x: 50 }))
		expect(store.get(noteId)).toMatchObject({ x: 50 })
		store.remove([noteId])
		expect(store.get(noteId)).toBeUndefined()
	})

	it('applies remote changes to structure and lets the facilitator or an unlocked session edit it', () => {
		const remove = setup()
		store.mergeRemoteChanges(() => store.update(frameId, (s) => ({ ...s, x: 10 })))
		expect(store.get(frameId)?.x).toBe(10)
		canEdit = true
		store.update(frameId, (s) => ({ ...s, x: 20 }))
		expect(store.get(frameId)?.x).toBe(20)
		canEdit = false
		remove()
		store.update(frameId, (s) => ({ ...s, x: 30 }))
		expect(store.get(frameId)?.x).toBe(30)
	})

	it('keeps structure out of the selection and strips the structure mark from new shapes', () => {
		setup()
		store.update(pageStateId, (s) => ({ ...s, selectedShapeIds: [frameId, noteId], editingShapeId: frameId }))
		expect(store.get(pageStateId)).toMatchObject({ selectedShapeIds: [noteId], editingShapeId: null })
		const copy = zoneFrameRecord('doel', { id: createShapeId('copy'), index: 'a5' as never })
		expect(isStructureShape(copy)).toBe(true)
		store.put([copy])
		expect(store.get(copy.id)?.meta).toEqual({ zoneId: 'doel', templateId: 'blanco' })
	})
})

describe('registerServerOwnedGuards', () => {
	it('keeps the page and document as the server wrote them, for local changes only', () => {
		const store = usableStore()
		const page = pageRecord()
		const document = documentRecord()
		store.mergeRemoteChanges(() => store.put([document, page]))
		const remove = registerServerOwnedGuards(store)
		store.update(page.id, (p) => ({ ...p, name: 'Hernoemd' }))
		store.remove([page.id])
		store.update(document.id, (d) => ({ ...d, name: 'Anders' }))
		expect(store.get(page.id)).toMatchObject({ name: 'Bord' })
		expect(store.get(document.id)).toMatchObject({ name: 'Testbord' })
		store.mergeRemoteChanges(() => store.update(page.id, (p) => ({ ...p, name: 'Door server' })))
		expect(store.get(page.id)).toMatchObject({ name: 'Door server' })
		remove()
		store.update(page.id, (p) => ({ ...p, name: 'Vrij' }))
		expect(store.get(page.id)).toMatchObject({ name: 'Vrij' })
		store.dispose()
	})
})
