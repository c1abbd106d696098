import { describe, expect, it } from 'vitest'
import { toRichText, type TLDefaultColorStyle, type TLShapeId } from '@tldraw/tlschema'
import {
	buildNoteRecord,
	estimateNoteFontAdjustment,
	estimateNoteGrowY,
	isNoteRecord,
	noteSizeFor,
	plainText,
} from './note-record'

const base = {
	id: 'shape:test-note' as TLShapeId,
	parentId: 'shape:kb-zone-dos' as TLShapeId,
	index: 'a5' as never,
	x: 16.123,
	y: 120,
	scale: 0.5,
	text: 'Luister naar jongeren',
	color: 'light-blue' as TLDefaultColorStyle,
	zoneId: 'dos',
	authorName: null,
}

describe('buildNoteRecord', () => {
	it('builds a tldraw note inside its zone frame that passes tldraw’s schema', () => {
		const record = buildNoteRecord(base)
		expect(record).toMatchObject({
			id: 'shape:test-note',
			typeName: 'shape',
			type: 'note',
			parentId: 'shape:kb-zone-dos',
			x: 16.12,
			y: 120,
			meta: { kind: 'note', zoneId: 'dos' },
			props: { color: 'light-blue', scale: 0.5, richText: toRichText('Luister naar jongeren') },
		})
		expect(record.meta).not.toHaveProperty('authorName')
		expect(isNoteRecord(record)).toBe(true)
	})

	it('keeps the author name in meta when given', () => {
		expect(buildNoteRecord({ ...base, authorName: 'Fatima' }).meta).toEqual({
			kind: 'note',
			zoneId: 'dos',
			authorName: 'Fatima',
		})
	})

	it('refuses what tldraw’s schema refuses', () => {
		expect(() => buildNoteRecord({ ...base, color: 'pink' as TLDefaultColorStyle })).toThrow()
		expect(() => buildNoteRecord({ ...base, scale: 0 })).toThrow()
		expect(() => buildNoteRecord({ ...base, index: 'not an index' as never })).toThrow()
	})
})

describe('note text and size', () => {
	it('reads back the text of multi-line notes', () => {
		const text = 'Eerste regel\n\nDerde regel met émoji 🙂'
		expect(plainText(buildNoteRecord({ ...base, text }).props.richText)).toBe(text)
	})

	it('grows a note for long text, never for short text', () => {
		expect(estimateNoteGrowY('Kort')).toBe(0)
		const long = 'woord '.repeat(80).trim()
		expect(estimateNoteGrowY(long)).toBeGreaterThan(200)
		expect(noteSizeFor(long).h).toBe(200 + estimateNoteGrowY(long))
		expect(estimateNoteGrowY(`${long} nog meer woorden hier`)).toBeGreaterThanOrEqual(estimateNoteGrowY(long))
	})

	it('shrinks the font for a word too long for one line, as tldraw does, but not below 14 px', () => {
		expect(estimateNoteFontAdjustment('Samen optrekken met de wijk')).toBe(1)
		const compound = estimateNoteFontAdjustment('Weerbaarheidstraining in groep 7')
		expect(compound).toBeLessThan(1)
		expect(compound * 22).toBeGreaterThanOrEqual(14)
		expect(estimateNoteFontAdjustment('x'.repeat(80))).toBeCloseTo(14 / 22)
		expect(buildNoteRecord({ ...base, text: 'Weerbaarheidstraining' }).props.fontSizeAdjustment).toBe(compound)
	})

	it('tells notes from structure shapes', () => {
		expect(isNoteRecord({ typeName: 'shape', type: 'note', meta: { kind: 'structure' } })).toBe(false)
		expect(isNoteRecord({ typeName: 'shape', type: 'frame', meta: {} })).toBe(false)
		expect(isNoteRecord({ typeName: 'shape', type: 'note', meta: {} })).toBe(true)
		expect(isNoteRecord(undefined)).toBe(false)
	})
})
