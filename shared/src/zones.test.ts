import { createTLSchema, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { NOTE_KIND, PAGE_ID, STRUCTURE_KIND } from './doc-layout'
import { noteShapeRecord } from './note-shape'
import { placeNote } from './placement'
import { indexKey, zoneFrameId } from './template-shapes'
import { placeNoteInZone, recordMap, shapeSize, zoneFrames, zoneOfShape } from './zones'

const schema = createTLSchema()

function frame(
	zoneId: string | undefined,
	x: number,
	y: number,
	w: number,
	h: number,
	extra: Partial<TLShape> = {}
): TLShape {
	return {
		id: zoneId ? zoneFrameId(zoneId) : (`shape:plain-${x}-${y}` as TLShape['id']),
		typeName: 'shape',
		type: 'frame',
		x,
		y,
		rotation: 0,
		index: indexKey(1),
		parentId: PAGE_ID as TLShape['parentId'],
		isLocked: false,
		opacity: 1,
		props: { w, h, name: zoneId ?? 'plain', color: 'black' },
		meta: zoneId ? { kind: STRUCTURE_KIND, templateId: 't', zoneId, headerHeight: 100 } : {},
		...extra,
	} as TLShape
}

function note(
	id: string,
	x: number,
	y: number,
	parentId: string = PAGE_ID,
	props: { scale?: number; growY?: number } = {}
): TLShape {
	return noteShapeRecord({
		id: `shape:${id}`,
		parentId,
		index: indexKey(5),
		x,
		y,
		text: 'idee',
		scale: 0.5,
		...props,
		meta: { kind: NOTE_KIND },
	})
}

describe('zoneFrames', () => {
	it('maps zone ids to frame bounds in page space, through parents and rotation', () => {
		const outer = frame(undefined, 1000, 1000, 2000, 2000)
		const nested = frame('binnen', 100, 50, 300, 200, { parentId: outer.id })
		const rotated = frame('gedraaid', 0, 0, 200, 100, { rotation: Math.PI / 2 })
		const records = [outer, nested, rotated, frame('doel', 10, 20, 500, 400)]
		for (const r of records) schema.types.shape.validate(r)
		const frames = zoneFrames(records)
		expect([...frames.keys()].sort()).toEqual(['binnen', 'doel', 'gedraaid'])
		expect(frames.get('doel')).toEqual({
			zoneId: 'doel',
			frameId: zoneFrameId('doel'),
			x: 10,
			y: 20,
			w: 500,
			h: 400,
			headerHeight: 100,
		})
		expect(frames.get('binnen')).toMatchObject({ x: 1100, y: 1050, w: 300, h: 200 })
		const g = frames.get('gedraaid')!
		expect(g.x).toBeCloseTo(-100)
		expect(g.y).toBeCloseTo(0)
		expect(g.w).toBeCloseTo(100)
		expect(g.h).toBeCloseTo(200)
	})

	it('accepts an id → record object and a Map', () => {
		const records = [frame('doel', 0, 0, 100, 100)]
		const obj = Object.fromEntries(records.map((r) => [r.id, r])) as Record<string, TLRecord>
		expect(zoneFrames(obj).get('doel')?.w).toBe(100)
		expect(zoneFrames(recordMap(records)).get('doel')?.w).toBe(100)
	})
})

describe('zoneOfShape', () => {
	const doel = frame('doel', 0, 0, 1000, 800)
	const kennis = frame('kennis', 2000, 0, 1000, 800)
	const inner = frame('klein', 100, 100, 300, 300)

	it('uses the parent zone frame first, wherever the note is drawn', () => {
		const n = note('a', 5000, 5000, doel.id)
		expect(zoneOfShape(n, [doel, kennis, n])).toBe('doel')
	})

	it('walks up through non-zone parents (a group or plain frame inside a zone)', () => {
		const plain = frame(undefined, 10, 10, 400, 400, { parentId: kennis.id })
		const n = note('b', 0, 0, plain.id)
		expect(zoneOfShape(n, [doel, kennis, plain, n])).toBe('kennis')
	})

	it('falls back to the page-space centre inside a zone frame, the smallest one winning', () => {
		// A 100 × 100 note at (2450, 350) has its centre at (2500, 400): inside kennis.
		expect(zoneOfShape(note('c', 2450, 350), [doel, kennis])).toBe('kennis')
		expect(zoneOfShape(note('d', 150, 150), [doel, kennis, inner])).toBe('klein')
		// The corner pokes into doel but the centre (1025, 50) does not.
		expect(zoneOfShape(note('e', 975, 0), [doel, kennis])).toBeUndefined()
	})

	it('counts growY and scale in the centre', () => {
		// scale 1, growY 200: 200 × 400, centre (-50 + 100, -300 + 200) = (50, -100) → outside.
		expect(zoneOfShape(note('f', -50, -300, PAGE_ID, { scale: 1, growY: 200 }), [doel])).toBeUndefined()
		// growY 500: centre y = -300 + 350 = 50 → inside doel.
		expect(zoneOfShape(note('g', -50, -300, PAGE_ID, { scale: 1, growY: 500 }), [doel])).toBe('doel')
		expect(shapeSize(note('h', 0, 0, PAGE_ID, { scale: 0.5, growY: 40 }))).toEqual({ w: 100, h: 120 })
	})

	it('is undefined outside every zone', () => {
		expect(zoneOfShape(note('i', -900, -900), [doel, kennis])).toBeUndefined()
		expect(zoneOfShape(note('j', 0, 0), [])).toBeUndefined()
	})
})

describe('placeNoteInZone', () => {
	it('places below the frame header, around the notes already in the frame', () => {
		const doel = frame('doel', 500, 500, 600, 600)
		const first = note('n1', 16, 116, doel.id)
		const strayOnPage = note('n2', 516, 616)
		const placed = placeNoteInZone([doel, first, strayOnPage], 'doel')!
		expect(placed).toEqual({
			...placeNote({ w: 600, h: 600 }, [{ x: 16, y: 116, w: 100, h: 100 }], { w: 200, h: 200 }, { topInset: 100 }),
			frameId: doel.id,
			index: indexKey(6),
		})
		expect(placed).toMatchObject({ x: 16 + 100 + 8, y: 116, scale: 0.5 })
	})

	it('ignores structure children (the header texts) and gives a valid index above them', () => {
		const doel = frame('doel', 0, 0, 600, 600)
		const label = { ...note('label', 16, 16, doel.id), index: indexKey(70), meta: { kind: STRUCTURE_KIND } } as TLShape
		const placed = placeNoteInZone([doel, label], 'doel')!
		expect(placed).toMatchObject({ x: 16, y: 116 })
		expect(placed.index > label.index).toBe(true)
		const record = { ...note('new', placed.x, placed.y, placed.frameId, { scale: placed.scale }), index: placed.index }
		expect(() => schema.types.shape.validate(record)).not.toThrow()
	})

	it('is undefined for a zone without frame', () => {
		expect(placeNoteInZone([frame('doel', 0, 0, 100, 100)], 'kennis')).toBeUndefined()
	})
})

describe('growZone', () => {
	it('grows a frame, moves what lies below it down and grows the panel holding it', async () => {
		const { createBoardRecords } = await import('./template-shapes')
		const { growZone: grow } = await import('./zones')
		const template = {
			id: 'groei',
			title: { nl: 'Groei', en: 'Growth' },
			bouwsteen: null,
			description: { nl: 'd', en: 'd' },
			typography: { title: 40, label: 30, question: 20, hint: 16 },
			zones: [
				{ id: 'boven', label: { nl: 'Boven', en: 'Top' }, x: 20, y: 100, w: 400, h: 300, colour: 'blue' },
				{ id: 'onder', label: { nl: 'Onder', en: 'Below' }, x: 20, y: 450, w: 400, h: 300, colour: 'blue' },
				{ id: 'naast', label: { nl: 'Naast', en: 'Beside' }, x: 500, y: 100, w: 400, h: 650, colour: 'red' },
			],
			sections: [
				{ id: 'paneel', title: { nl: 'Paneel', en: 'Panel' }, x: 0, y: 0, w: 440, h: 780, colour: 'light-blue' },
			],
		} as const
		const records = createBoardRecords(template as never)
		const changed = grow(records, 'shape:kb-zone-boven', { w: 400, h: 500 })!
		const byId = new Map(changed.map((r) => [r.id, r]))
		expect((byId.get('shape:kb-zone-boven' as never)!.props as { h: number }).h).toBe(500)
		expect(byId.get('shape:kb-zone-onder' as never)!.y).toBe(650)
		expect((byId.get('shape:kb-section-paneel' as never)!.props as { h: number }).h).toBe(980)
		expect(byId.has('shape:kb-zone-naast' as never)).toBe(false)

		// A zone beside it in the same grid row grows along; what lies below either one moves down.
		const grid = createBoardRecords({
			...template,
			zones: [...template.zones.slice(0, 2), { ...template.zones[2], h: 300 }],
		} as never)
		const inGrid = new Map(grow(grid, 'shape:kb-zone-boven', { w: 400, h: 500 })!.map((r) => [r.id, r]))
		expect((inGrid.get('shape:kb-zone-naast' as never)!.props as { h: number }).h).toBe(500)

		// A panel with room to spare below its contents takes the growth without growing.
		const roomy = createBoardRecords({
			...template,
			sections: [{ ...template.sections[0], h: 1400 }],
		} as never)
		const inRoomy = new Map(grow(roomy, 'shape:kb-zone-boven', { w: 400, h: 500 })!.map((r) => [r.id, r]))
		expect(inRoomy.get('shape:kb-zone-onder' as never)!.y).toBe(650)
		expect(inRoomy.has('shape:kb-section-paneel' as never)).toBe(false)
	})
})
