import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { focusOrder, focusView, readFocusTarget, steppedFocus, THEME_KIND } from './focus'
import { noteShapeRecord } from './note-shape'
import { isVotableShape, PARTICIPANT_THEMES_KEY, readParticipantThemes } from './themes'

const zone = {
	id: 'shape:zone-a',
	typeName: 'shape',
	type: 'frame',
	parentId: 'page:page',
	index: 'a1',
	x: 0,
	y: 0,
	rotation: 0,
	isLocked: false,
	opacity: 1,
	meta: { kind: 'structure', zoneId: 'a' },
	props: { w: 2000, h: 2000, name: 'A', color: 'black' },
} as unknown as TLRecord
const theme = {
	...zone,
	id: 'shape:theme-1',
	parentId: zone.id,
	x: 100,
	y: 600,
	meta: { kind: THEME_KIND, zoneId: 'a' },
	props: { w: 600, h: 300, name: 'Ouders', color: 'black' },
} as unknown as TLRecord
const note = (id: string, parentId: string, x: number, y: number, text: string, hidden = false) =>
	noteShapeRecord({ id, parentId, index: 'a1', x, y, text, meta: hidden ? { hidden: true } : {} }) as TLRecord

const records = [
	zone,
	theme,
	note('shape:n1', zone.id, 100, 100, 'Eerste'),
	note('shape:n2', zone.id, 500, 100, 'Tweede'),
	note('shape:n3', theme.id, 20, 20, 'In thema een'),
	note('shape:n4', theme.id, 240, 20, 'In thema twee'),
	note('shape:n5', zone.id, 900, 100, 'Verborgen', true),
]

describe('focus', () => {
	it('reads only well-formed targets from the session map', () => {
		expect(readFocusTarget({ targetId: 'shape:n1' })).toBe('shape:n1')
		for (const bad of [null, 'shape:n1', { targetId: 3 }, { targetId: '<b>' }]) expect(readFocusTarget(bad)).toBeNull()
	})

	it('shows a note with its dots, a theme with the sum of its notes, nothing for hidden notes or zones', () => {
		const votes = { 'shape:n3': 2, 'shape:n4': 1, 'shape:n1': 1 }
		expect(focusView(records, votes, 'shape:n1')).toMatchObject({ kind: 'note', text: 'Eerste', dots: 1, zoneId: 'a' })
		const shown = focusView(records, votes, theme.id)
		expect(shown).toMatchObject({ kind: 'theme', text: 'Ouders', dots: 3, zoneId: 'a' })
		expect(shown?.notes.map((n) => n.noteId)).toEqual(['shape:n3', 'shape:n4'])
		expect(focusView(records, votes, 'shape:n5')).toBeNull()
		expect(focusView(records, votes, zone.id)).toBeNull()
		expect(focusView(records, votes, 'shape:none')).toBeNull()
		// Dots given to the theme itself count with its notes'.
		expect(focusView(records, { ...votes, [theme.id]: 2 }, theme.id)).toMatchObject({ kind: 'theme', dots: 5 })
	})

	it('lets notes and theme frames take dots, nothing else', () => {
		expect(isVotableShape(records[2])).toBe(true)
		expect(isVotableShape(theme)).toBe(true)
		expect(isVotableShape(zone)).toBe(false)
		expect(isVotableShape(undefined)).toBe(false)
		expect(readParticipantThemes(new Map([[PARTICIPANT_THEMES_KEY, true]]))).toBe(true)
		expect(readParticipantThemes(new Map([[PARTICIPANT_THEMES_KEY, 'yes']]))).toBe(false)
		expect(readParticipantThemes(new Map())).toBe(false)
	})

	it('steps in reading order without dots and by dots after voting; a theme counts as one', () => {
		expect(focusOrder(records, {}, 'shape:n1')).toEqual(['shape:n1', 'shape:n2', theme.id])
		expect(focusOrder(records, { 'shape:n3': 2, 'shape:n4': 1, 'shape:n2': 5 }, 'shape:n1')).toEqual([
			'shape:n2',
			theme.id,
			'shape:n1',
		])
		expect(steppedFocus(records, {}, 'shape:n2', 1)).toBe(theme.id)
		expect(steppedFocus(records, {}, theme.id, 1)).toBe(theme.id)
		expect(steppedFocus(records, {}, 'shape:n1', -1)).toBe('shape:n1')
		// A note inside a theme steps from its theme's place.
		expect(steppedFocus(records, {}, 'shape:n3', -1)).toBe('shape:n2')
	})
})
