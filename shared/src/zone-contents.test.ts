import { toRichText, type TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { PRESENTER_OFF, readPresenterState, steppedZone } from './presenter'
import type { Template } from './template-schema'
import { createBoardRecords, zoneFrameId } from './template-shapes'
import { zoneContents } from './zone-contents'

const L = (nl: string, en: string) => ({ nl, en })

const template: Template = {
	id: 'proef',
	title: L('Proefbord', 'Trial board'),
	bouwsteen: '6',
	description: L('Proef.', 'Trial.'),
	typography: { title: 80, label: 60, question: 30, hint: 24 },
	zones: [
		{
			id: 'b',
			label: L('Tweede', 'Second'),
			question: L('Wat nog meer?', 'What else?'),
			hint: L('Tip: iets.', 'Tip: something.'),
			x: 1200,
			y: 300,
			w: 900,
			h: 900,
			colour: 'green',
		},
		{
			id: 'a',
			label: L('Eerste', 'First'),
			question: L('Wat zien we?', 'What do we see?'),
			hint: L('Tip: kijk.', 'Tip: look.'),
			x: 0,
			y: 300,
			w: 900,
			h: 900,
			colour: 'violet',
		},
	],
} as unknown as Template

function note(id: string, zoneId: string, text: string): TLRecord {
	return {
		id,
		typeName: 'shape',
		type: 'note',
		parentId: zoneFrameId(zoneId),
		index: 'a5',
		x: 20,
		y: 300,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: { richText: toRichText(text), color: 'yellow', scale: 1, growY: 0 },
		meta: { kind: 'note', zoneId },
	} as unknown as TLRecord
}

describe('zoneContents', () => {
	const records = [
		...createBoardRecords(template, { locale: 'nl' }),
		note('shape:n1', 'a', 'Weinig stemmen'),
		note('shape:n2', 'a', 'Veel stemmen'),
		note('shape:n3', 'b', 'Alleen'),
	]

	it('lists the zones in the order given, with the wording of the language the board was made in', () => {
		const zones = zoneContents(records, {}, ['a', 'b'])
		expect(zones.map((z) => z.zoneId)).toEqual(['a', 'b'])
		expect(zones[0].label).toBe('Eerste')
		expect(zones[0].question).toBe('Wat zien we?')
		expect(zones[1].question).toBe('Wat nog meer?')
		expect(zones[1].notes.map((n) => n.text)).toEqual(['Alleen'])
	})

	it('ranks each zone’s notes by votes', () => {
		const [a] = zoneContents(records, { 'shape:n2': 3, 'shape:n1': 1 }, ['a', 'b'])
		expect(a.notes.map((n) => [n.text, n.votes, n.rank])).toEqual([
			['Veel stemmen', 3, 1],
			['Weinig stemmen', 1, 2],
		])
	})
})

describe('presenter state', () => {
	it('reads only well-formed states', () => {
		expect(readPresenterState(undefined)).toEqual(PRESENTER_OFF)
		expect(readPresenterState({ mode: 'zone' })).toEqual(PRESENTER_OFF)
		expect(readPresenterState({ mode: 'zone', zoneId: 'preventie:2' })).toEqual({ mode: 'zone', zoneId: 'preventie:2' })
		expect(readPresenterState({ mode: 'overview', zoneId: 'x' })).toEqual({ mode: 'overview', zoneId: null })
		expect(readPresenterState({ mode: 'zone', zoneId: '<script>' })).toEqual(PRESENTER_OFF)
	})

	it('steps through zones in order, clamped at both ends', () => {
		const order = ['doel', 'verhaal', 'kennis']
		expect(steppedZone(order, null, 1)).toBe('doel')
		expect(steppedZone(order, 'doel', 1)).toBe('verhaal')
		expect(steppedZone(order, 'kennis', 1)).toBe('kennis')
		expect(steppedZone(order, 'doel', -1)).toBe('doel')
		expect(steppedZone(order, 'gone', -1)).toBe('doel')
		expect(steppedZone([], 'doel', 1)).toBeNull()
	})
})
