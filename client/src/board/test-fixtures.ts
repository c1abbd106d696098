import {
	createShapeId,
	createTLStore,
	defaultBindingUtils,
	defaultShapeUtils,
	DocumentRecordType,
	PageRecordType,
	type TLFrameShape,
	type TLNoteShape,
	type TLStore,
} from 'tldraw'
import { DOCUMENT_ID, PAGE_ID, noteShapeRecord } from '@kompasbord/shared'

/**
 * Records and stores for the board's unit tests (imported by `*.test.ts` only): what the server seeds, built
 * with tldraw's own record types so they pass its validation.
 */

/** A store with tldraw's default shapes and bindings, like the board's. */
export function newStore(): TLStore {
	return createTLStore({ shapeUtils: defaultShapeUtils, bindingUtils: defaultBindingUtils })
}

/** A store as a mounted editor leaves it: also instance, page state, camera and pointer records. */
export function usableStore(): TLStore {
	const store = newStore()
	;(store as unknown as { ensureStoreIsUsable(): void }).ensureStoreIsUsable()
	return store
}

/** The room's document record. */
export function documentRecord() {
	return DocumentRecordType.create({ id: DOCUMENT_ID as never, name: 'Testbord' })
}

/** The room's page. */
export function pageRecord() {
	return PageRecordType.create({ id: PAGE_ID as never, name: 'Bord', index: 'a1' as never })
}

/** A sticky note on the page (or in `parentId`), as a participant makes one. */
export function noteRecord(id: string, text: string, extra: Partial<TLNoteShape> = {}): TLNoteShape {
	return {
		...noteShapeRecord({
			id: createShapeId(id),
			parentId: PAGE_ID,
			index: 'a2',
			x: 10,
			y: 20,
			text,
			meta: { kind: 'note' },
		}),
		...extra,
	}
}

/** A zone frame the template draws: structure. */
export function zoneFrameRecord(zoneId: string, extra: Partial<TLFrameShape> = {}): TLFrameShape {
	return {
		id: createShapeId(`zone-${zoneId}`),
		typeName: 'shape',
		type: 'frame',
		parentId: PAGE_ID as never,
		index: 'a1' as never,
		x: 0,
		y: 0,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta: { kind: 'structure', zoneId, templateId: 'blanco' },
		props: { w: 400, h: 300, name: zoneId, color: 'black' },
		...extra,
	} as TLFrameShape
}
