import { describe, expect, it } from 'vitest'
import type { RoomZone } from '@kompasbord/shared'
import { groupZones } from './zone-groups'

const zone = (id: string, nl: string, en = nl): RoomZone => ({ id, label: { nl, en } })

/** What GET /api/rooms/:roomId lists for an activity matrix with 2 columns (shortened). */
const matrix: RoomZone[] = [
	zone('ambitie', 'Ambitie', 'Ambition'),
	zone('resultaat-1', 'Resultaat 1', 'Result 1'),
	zone('resultaat-2', 'Resultaat 2', 'Result 2'),
	zone('veranderverhaal:1', 'Veranderverhaal · Resultaat 1', 'Theory of change · Result 1'),
	zone('veranderverhaal:2', 'Veranderverhaal · Resultaat 2', 'Theory of change · Result 2'),
	zone('preventie:1', 'Preventie · Resultaat 1', 'Prevention · Result 1'),
	zone('preventie:2', 'Preventie · Resultaat 2', 'Prevention · Result 2'),
	zone('analyse-1', 'Ontbreekt er inzet?', 'Is anything missing?'),
]

describe('groupZones', () => {
	it('keeps plain zones as they are, in order', () => {
		const zones = [zone('dos', "Do's"), zone('donts', "Don'ts"), zone('waarden', 'Waarden')]
		expect(groupZones(zones)).toEqual(zones.map((z) => ({ kind: 'zone', zone: z })))
	})

	it('offers matrix cells row first, then column, labelled by the column headers', () => {
		const choices = groupZones(matrix)
		expect(choices.map((c) => (c.kind === 'zone' ? c.zone.id : `row:${c.rowId}`))).toEqual([
			'ambitie',
			'resultaat-1',
			'resultaat-2',
			'row:veranderverhaal',
			'row:preventie',
			'analyse-1',
		])
		const preventie = choices[4]
		expect(preventie).toEqual({
			kind: 'row',
			rowId: 'preventie',
			label: { nl: 'Preventie', en: 'Prevention' },
			cells: [
				{ column: 1, zone: matrix[5], label: { nl: 'Resultaat 1', en: 'Result 1' } },
				{ column: 2, zone: matrix[6], label: { nl: 'Resultaat 2', en: 'Result 2' } },
			],
		})
	})

	it('offers the cell itself when a matrix has one column', () => {
		const one = [zone('resultaat-1', 'Resultaat 1'), zone('basis:1', 'Basis · Resultaat 1')]
		expect(groupZones(one)).toEqual([
			{ kind: 'zone', zone: one[0] },
			{ kind: 'zone', zone: one[1] },
		])
	})

	it('falls back to the cell labels when no zone names the columns', () => {
		const cells = [zone('a:1', 'Links boven'), zone('a:2', 'Rechts boven')]
		const [row] = groupZones(cells)
		expect(row).toMatchObject({ kind: 'row', rowId: 'a', label: { nl: 'A', en: 'A' } })
		expect(row.kind === 'row' && row.cells.map((c) => c.label.nl)).toEqual(['Links boven', 'Rechts boven'])
	})
})
