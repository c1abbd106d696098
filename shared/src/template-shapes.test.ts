import { createTLSchema, type TLRecord, type TLShape } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { DOCUMENT_ID, PAGE_ID, STRUCTURE_KIND } from './doc-layout'
import { resolveTemplateZones, type Template } from './template-schema'
import {
	headerPadding,
	createBoardRecords,
	estimateTextHeight,
	estimateTextLines,
	indexKey,
	indexKeyAbove,
	layoutBoard,
	zoneFrameId,
} from './template-shapes'
import { zoneFrames, zoneOfShape } from './zones'

const schema = createTLSchema()
const L = (nl: string, en: string) => ({ nl, en })
const wording = {
	label: L('Kennis over wat werkt', 'Knowledge about what works'),
	question: L('Wat weten we over wat werkt?', 'What do we know about what works?'),
	hint: L('Voorbeeld: een integrale aanpak.', 'Example: an integrated approach.'),
}

function fixture(): Template {
	return structuredClone({
		id: 'proef',
		title: L('Proefbord', 'Trial board'),
		bouwsteen: '3-A',
		description: L('Proef.', 'Trial.'),
		typography: { title: 80, label: 60, question: 30, hint: 24 },
		zones: [
			{ id: 'links', ...wording, x: 0, y: 300, w: 900, h: 900, colour: 'green' },
			{ id: 'midden', ...wording, x: 1200, y: 300, w: 900, h: 900, colour: 'violet' },
		],
		matrix: {
			x: 0,
			y: 1400,
			w: 2100,
			rowHeaderWidth: 400,
			rowLabelSize: 40,
			headerHeight: 500,
			rowHeight: 300,
			gapX: 40,
			gapY: 120,
			columns: {
				min: 1,
				max: 2,
				default: 2,
				idPattern: 'resultaat-{n}',
				label: L('Resultaat {n}', 'Result {n}'),
				question: L('Welk resultaat?', 'Which result?'),
				hint: L('Uit bouwsteen 2.', 'From building block 2.'),
				colour: 'violet',
			},
			rows: [
				{
					id: 'preventie',
					label: L('Preventie', 'Prevention'),
					shortLabel: L('Preventie', 'Prevention'),
					colour: 'green',
				},
				{
					id: 'basis',
					label: L('In de basis', 'Basic'),
					shortLabel: L('Basis', 'Basic'),
					footnote: L('Waar kinderen opgroeien.', 'Where children grow up.'),
					colour: 'blue',
				},
			],
			cell: { ...wording, label: L('{row} · {column}', '{row} · {column}'), colour: 'black' },
		},
		sections: [
			{
				id: 'stap',
				title: L('Stap', 'Step'),
				intro: L('Uitleg.', 'Explanation.'),
				x: -50,
				y: 200,
				w: 2200,
				h: 1050,
				colour: 'light-violet',
			},
		],
		texts: [{ id: 'titel', text: L('Bouwsteen 3-A', 'Building block 3-A'), role: 'title', x: 0, y: 0, w: 2100 }],
		arrows: [{ from: 'links', to: 'midden', colour: 'violet' }],
		cards: [
			{
				id: 'kaart',
				title: L('Kennis', 'Knowledge'),
				body: L('• een\n• twee', '• one\n• two'),
				x: 2400,
				y: 300,
				w: 600,
				h: 400,
				colour: 'light-green',
			},
		],
	} satisfies Template) as Template
}

function validate(record: TLRecord): void {
	const type = schema.types[record.typeName as keyof typeof schema.types]
	type.validate(record)
}

describe('createBoardRecords', () => {
	it('starts with the document and the page, and every record passes tldraw validation', () => {
		for (const locale of ['nl', 'en'] as const) {
			for (const columns of [1, 2]) {
				const records = createBoardRecords(fixture(), { locale, columns })
				expect(records[0]).toMatchObject({
					id: DOCUMENT_ID,
					typeName: 'document',
					meta: { templateId: 'proef', columns, locale },
				})
				expect(records[1]).toMatchObject({
					id: PAGE_ID,
					typeName: 'page',
					name: locale === 'nl' ? 'Proefbord' : 'Trial board',
				})
				for (const r of records) expect(() => validate(r)).not.toThrow()
				// Also through the store schema's own record validation.
				for (const r of records) expect(() => schema.validateRecord(null as never, r, 'initialize', null)).not.toThrow()
			}
		}
		// Both checks do reject a broken record.
		const frame = createBoardRecords(fixture()).find((r) => r.id === zoneFrameId('links')) as TLShape
		const broken = { ...frame, props: { ...frame.props, w: 0 } } as TLRecord
		expect(() => validate(broken)).toThrow()
		expect(() => schema.validateRecord(null as never, broken, 'initialize', null)).toThrow()
	})

	it('is deterministic: same input, same records and ids; unique ids', () => {
		const a = createBoardRecords(fixture(), { columns: 2 })
		const b = createBoardRecords(fixture(), { columns: 2 })
		expect(a).toEqual(b)
		const ids = a.map((r) => r.id)
		expect(new Set(ids).size).toBe(ids.length)
		expect(ids).toContain('shape:kb-zone-preventie_2')
		const en = createBoardRecords(fixture(), { columns: 2, locale: 'en' })
		expect(en.map((r) => r.id)).toEqual(ids)
	})

	it('draws exactly one frame per zone, named with the label and carrying the zone id', () => {
		for (const columns of [1, 2]) {
			const records = createBoardRecords(fixture(), { columns })
			const frames = records.filter((r): r is TLShape => r.typeName === 'shape' && r.type === 'frame')
			const zones = resolveTemplateZones(fixture(), { columns })
			expect(frames.map((f) => f.meta.zoneId).sort()).toEqual(zones.map((z) => z.id).sort())
			for (const z of zones) {
				const f = frames.find((x) => x.meta.zoneId === z.id)!
				expect(f.id).toBe(zoneFrameId(z.id))
				expect(f).toMatchObject({ x: z.x, y: z.y, parentId: PAGE_ID, isLocked: false })
				expect(f.props).toMatchObject({ w: z.w, h: z.h, name: z.label.nl })
				expect(f.meta).toMatchObject({ kind: STRUCTURE_KIND, templateId: 'proef' })
			}
		}
	})

	it('marks every shape as structure and locks everything but the frames', () => {
		const shapes = createBoardRecords(fixture()).filter((r): r is TLShape => r.typeName === 'shape')
		for (const s of shapes) {
			expect(s.meta).toMatchObject({ kind: STRUCTURE_KIND, templateId: 'proef' })
			expect(s.isLocked).toBe(s.type !== 'frame')
			if (s.type !== 'frame') expect(s.meta.zoneId).toBeUndefined()
		}
		const types = new Set(shapes.map((s) => s.type))
		expect([...types].sort()).toEqual(['arrow', 'frame', 'geo', 'text'])
	})

	it('puts the label, question and hint inside the frame header, with rich text', () => {
		const records = createBoardRecords(fixture(), { locale: 'en' })
		const byId = new Map<string, TLRecord>(records.map((r) => [r.id, r]))
		const frame = byId.get(zoneFrameId('links')) as TLShape
		const header = frame.meta.headerHeight as number
		const parts = ['label', 'question', 'hint'].map((p) => byId.get(`shape:kb-zone-links-${p}`) as TLShape)
		for (const p of parts) {
			expect(p.parentId).toBe(frame.id)
			expect(p.y).toBeLessThan(header)
		}
		const question = parts[1].props as { richText: { content: { content: { text: string }[] }[] } }
		expect(question.richText.content[0].content[0].text).toBe('What do we know about what works?')
		// Cells have a compact header: no texts inside, no header height.
		const cell = byId.get(zoneFrameId('basis:1')) as TLShape
		expect(cell.meta.headerHeight).toBe(0)
		expect(records.some((r) => r.id === 'shape:kb-zone-basis_1-label')).toBe(false)
	})

	it('adds row headers, the footnote marker and text, cards and arrows between the zones', () => {
		const records = createBoardRecords(fixture())
		const byId = new Map<string, TLShape>(records.map((r) => [r.id, r as TLShape]))
		const row = byId.get('shape:kb-row-basis')!
		expect(JSON.stringify(row.props)).toContain('In de basis *')
		expect(JSON.stringify(byId.get('shape:kb-text-footnote-basis')!.props)).toContain('* Waar kinderen opgroeien.')
		expect(JSON.stringify(byId.get('shape:kb-card-kaart')!.props)).toContain('"bold"')
		const arrow = byId.get('shape:kb-arrow-links-midden')!
		const props = arrow.props as { start: { x: number; y: number }; end: { x: number; y: number } }
		// From the right edge of `links` (x 900) to the left edge of `midden` (x 1200), pulled in a little.
		expect(arrow.x).toBeGreaterThan(900)
		expect(arrow.x + props.end.x).toBeLessThan(1200)
		expect(props.end.x).toBeGreaterThan(0)
	})

	it('makes a board on which zoneFrames and zoneOfShape find every zone', () => {
		const records = createBoardRecords(fixture(), { columns: 2 })
		const frames = zoneFrames(records)
		expect(frames.size).toBe(resolveTemplateZones(fixture(), { columns: 2 }).length)
		const cell = frames.get('preventie:2')!
		const probe = {
			...(records.find((r) => r.id === zoneFrameId('links')) as TLShape),
			id: 'shape:probe',
			type: 'geo',
			props: { w: 10, h: 10 },
			x: cell.x + 20,
			y: cell.y + 20,
			meta: {},
		} as unknown as TLShape
		expect(zoneOfShape(probe, records)).toBe('preventie:2')
	})

	it('refuses a template whose items would share a shape id', () => {
		const t = fixture()
		t.texts!.push({ id: 'footnote-basis', text: L('x', 'x'), role: 'hint', x: 3000, y: 0, w: 100 })
		expect(() => createBoardRecords(t)).toThrow(/shape:kb-text-footnote-basis/)
	})

	it('rejects a column count outside the range', () => {
		expect(() => createBoardRecords(fixture(), { columns: 3 })).toThrow(RangeError)
	})
})

describe('layoutBoard', () => {
	it('keeps the zones in place in both locales and sizes their headers for the language shown', () => {
		const nl = layoutBoard(fixture(), { locale: 'nl' })
		const en = layoutBoard(fixture(), { locale: 'en' })
		expect(en.zones.map((z) => [z.x, z.y, z.w, z.h])).toEqual(nl.zones.map((z) => [z.x, z.y, z.w, z.h]))
		for (const [i, z] of nl.zones.entries()) {
			for (const [locale, laid] of [
				['nl', z],
				['en', en.zones[i]],
			] as const) {
				const last = laid.texts.at(-1)
				if (!last) continue
				// The header ends right under its last text in that language: no band sized for the other one.
				expect(laid.headerHeight - (last.text.y + last.text.h), `${z.id} ${locale}`).toBeLessThanOrEqual(
					headerPadding(fixture().typography)
				)
			}
		}
	})

	it('computes bounds around everything', () => {
		const l = layoutBoard(fixture())
		expect(l.bounds.x).toBe(-50)
		expect(l.bounds.y).toBe(0)
		expect(l.bounds.x + l.bounds.w).toBe(3000)
	})
})

describe('text estimates', () => {
	it('wraps greedily by words and counts paragraphs', () => {
		// 10 px font → 6 px per character; 60 px → 10 characters per line.
		expect(estimateTextLines('aaaa bbbb cccc', 10, 60)).toBe(2)
		expect(estimateTextLines('aaaa bbbb', 10, 60)).toBe(1)
		expect(estimateTextLines('een\n\ntwee', 10, 60)).toBe(3)
		expect(estimateTextLines('a'.repeat(25), 10, 60)).toBe(3)
		expect(estimateTextHeight('aaaa bbbb cccc', 10, 60)).toBe(Math.ceil(2 * 10 * 1.35))
	})
})

describe('index keys', () => {
	const shape = createBoardRecords(fixture()).find((r) => r.typeName === 'shape') as TLShape

	it('are valid tldraw indices in increasing order', () => {
		const ns = [0, 1, 9, 10, 35, 36, 61, 62, 63, 100, 3905, 3906, 3907, 250000]
		const keys = ns.map(indexKey)
		expect(keys.slice(0, 4)).toEqual(['a0', 'a1', 'a9', 'aA'])
		expect(indexKey(62)).toBe('b00')
		expect(indexKey(62 + 62 * 62)).toBe('c000')
		for (const k of keys) expect(() => schema.types.shape.validate({ ...shape, index: k })).not.toThrow()
		for (let i = 1; i < keys.length; i++) expect(keys[i - 1] < keys[i]).toBe(true)
		expect(() => indexKey(-1)).toThrow(RangeError)
	})

	it('indexKeyAbove sorts above every given key, fractional ones included', () => {
		for (const keys of [[], ['a1'], ['a1', 'a1V', 'a0'], ['az', 'a5'], ['b0z', 'a9'], ['Zz', 'a3'], ['bzz']]) {
			const above = indexKeyAbove(keys)
			for (const k of keys) expect(above > k).toBe(true)
			expect(() => schema.types.shape.validate({ ...shape, index: above })).not.toThrow()
		}
		expect(indexKeyAbove([])).toBe('a0')
		expect(indexKeyAbove(['a1V'])).toBe('a2')
	})
})
