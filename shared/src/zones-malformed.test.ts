import { describe, expect, it } from 'vitest'
import type { TLRecord } from '@tldraw/tlschema'
import { rankNotesByZone } from './vote-ranking'
import { placeNoteInZone, zoneFrames, zoneOfShape } from './zones'

/** Records no valid board holds (a frame without props or meta), as an old room poisoned before the server validated. */
const page = { id: 'page:page', typeName: 'page' }
const bare = {
	id: 'shape:bare',
	typeName: 'shape',
	type: 'frame',
	parentId: 'page:page',
	x: 0,
	y: 0,
	rotation: 0,
	meta: { kind: 'structure', zoneId: 'dos' },
}
const noMeta = {
	id: 'shape:nometa',
	typeName: 'shape',
	type: 'frame',
	parentId: 'page:page',
	x: 0,
	y: 0,
	rotation: 0,
	props: { w: 10, h: 10 },
}
const note = {
	id: 'shape:n',
	typeName: 'shape',
	type: 'note',
	parentId: 'shape:bare',
	x: 1,
	y: 1,
	rotation: 0,
	meta: { kind: 'note' },
	props: {},
}
const records = [page, bare, noMeta, note] as unknown as TLRecord[]

describe('zone readers on malformed records', () => {
	it('answer instead of throwing', () => {
		expect(() => zoneFrames(records)).not.toThrow()
		expect(() => zoneOfShape(note as never, records)).not.toThrow()
		expect(() => placeNoteInZone(records, 'dos')).not.toThrow()
		expect(() => rankNotesByZone(records, {} as never)).not.toThrow()
	})

	it('count only structure frames as zones', () => {
		const drawn = { ...noMeta, id: 'shape:drawn', meta: { zoneId: 'dos' } }
		expect(zoneFrames([page, drawn] as unknown as TLRecord[]).has('dos')).toBe(false)
	})
})
