import { describe, expect, it } from 'vitest'
import { toRichText, type TLRecord } from '@tldraw/tlschema'
import { isStickyNote, rankNotesByZone, richTextPlain, voteCount } from './vote-ranking'

function frame(zoneId: string, x: number): TLRecord {
	return {
		id: `shape:kb-${zoneId}`,
		typeName: 'shape',
		type: 'frame',
		parentId: 'page:page',
		index: 'a1',
		x,
		y: 0,
		rotation: 0,
		isLocked: true,
		opacity: 1,
		props: { w: 500, h: 500, name: zoneId, color: 'black' },
		meta: { kind: 'structure', zoneId },
	} as unknown as TLRecord
}

function note(
	id: string,
	text: string,
	parentId: string,
	x = 10,
	meta: Record<string, unknown> = { kind: 'note' }
): TLRecord {
	return {
		id,
		typeName: 'shape',
		type: 'note',
		parentId,
		index: 'a2',
		x,
		y: 10,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		props: { richText: toRichText(text), color: 'yellow', scale: 0.5, growY: 0 },
		meta,
	} as unknown as TLRecord
}

describe('rankNotesByZone', () => {
	const records = [
		frame('dos', 0),
		frame('donts', 1000),
		note('shape:a', 'Luisteren', 'shape:kb-dos'),
		note('shape:b', 'Afspraken maken', 'shape:kb-dos'),
		note('shape:c', 'Beginnen', 'shape:kb-dos'),
		note('shape:d', 'Wegkijken', 'shape:kb-donts'),
		// On the page, but inside the donts frame's area: belongs to donts.
		note('shape:e', 'Oordelen', 'page:page', 1100),
		// Far away from every frame: no zone.
		note('shape:f', 'Los', 'page:page', 5000),
		// A template's own note-shaped structure never counts.
		note('shape:g', 'Voorbeeld', 'shape:kb-dos', 10, { kind: 'structure' }),
	]

	it('ranks notes per zone by votes, ties sharing a rank and ordered by text', () => {
		const ranking = rankNotesByZone(records, { 'shape:a': 3, 'shape:b': 1, 'shape:c': 1, 'shape:e': 2 }, [
			'donts',
			'dos',
		])
		expect(ranking.map((z) => z.zoneId)).toEqual(['donts', 'dos', null])
		const dos = ranking[1].notes
		expect(dos.map((n) => [n.noteId, n.votes, n.rank])).toEqual([
			['shape:a', 3, 1],
			['shape:b', 1, 2],
			['shape:c', 1, 2],
		])
		expect(dos[1].text).toBe('Afspraken maken')
		expect(ranking[0].notes.map((n) => [n.noteId, n.rank])).toEqual([
			['shape:e', 1],
			['shape:d', 2],
		])
		expect(ranking[2].notes.map((n) => n.noteId)).toEqual(['shape:f'])
	})

	it('lists zones in frame order without an order, and leaves out an empty no-zone group', () => {
		const ranking = rankNotesByZone(records.slice(0, 4), new Map([['shape:b', 2]]))
		expect(ranking.map((z) => z.zoneId)).toEqual(['donts', 'dos'])
		expect(ranking[0].notes).toEqual([])
		expect(ranking[1].notes.map((n) => n.noteId)).toEqual(['shape:b', 'shape:a'])
	})

	it('reads votes and text defensively', () => {
		expect(voteCount({ a: 2.7, b: -1, c: 'x' }, 'a')).toBe(2)
		expect(voteCount({ a: 2.7, b: -1, c: 'x' }, 'b')).toBe(0)
		expect(voteCount({ a: 2.7, b: -1, c: 'x' }, 'c')).toBe(0)
		expect(richTextPlain(toRichText('een\ntwee'))).toBe('een\ntwee')
		expect(richTextPlain(null)).toBe('')
		expect(isStickyNote(records[2])).toBe(true)
		expect(isStickyNote(records[0])).toBe(false)
		expect(isStickyNote(records[8])).toBe(false)
	})

	it("ranks a zone's themes as one item each: their own dots and their notes' together", () => {
		const theme = (id: string, name: string) =>
			({
				...frame('dos', 10),
				id,
				parentId: 'shape:kb-dos',
				meta: { kind: 'theme', zoneId: 'dos' },
				props: { w: 300, h: 200, name, color: 'black' },
			}) as unknown as TLRecord
		const grouped = [
			frame('dos', 0),
			theme('shape:theme-ouders', 'Ouders'),
			theme('shape:theme-melden', 'Melden'),
			note('shape:a', 'Ouders betrekken', 'shape:theme-ouders'),
			note('shape:b', 'Ouders informeren', 'shape:theme-ouders'),
			note('shape:c', 'Veilig melden', 'shape:theme-melden'),
			note('shape:d', 'Budget', 'shape:kb-dos'),
		]
		const ranking = rankNotesByZone(grouped, { 'shape:a': 1, 'shape:c': 1, 'shape:theme-melden': 2, 'shape:d': 4 })
		expect(ranking[0].notes.map((n) => n.noteId)).toEqual(['shape:d', 'shape:a', 'shape:c', 'shape:b'])
		expect(ranking[0].themes).toEqual([
			{ themeId: 'shape:theme-melden', label: 'Melden', votes: 3, own: 2, rank: 1, noteIds: ['shape:c'] },
			{
				themeId: 'shape:theme-ouders',
				label: 'Ouders',
				votes: 1,
				own: 0,
				rank: 2,
				noteIds: expect.arrayContaining(['shape:a', 'shape:b']),
			},
		])
		// A zone without themes has no list of them.
		expect(rankNotesByZone(records, {})[0].themes).toBeUndefined()
	})
})
