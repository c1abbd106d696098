/**
 * How the phone offers a board's zones: one big button per zone, except the cells of a matrix (zone ids
 * `<row>:<column>`, as in the activity matrix), which are offered row first, then column.
 */
import type { RoomZone } from '@kompasbord/shared'

/** A localised label. */
export interface Label {
	nl: string
	en: string
}

/** A matrix cell as the second step offers it. */
export interface CellChoice {
	column: number
	zone: RoomZone
	/** The column's label ("Resultaat 2"), or the cell's own label when no column header zone names it. */
	label: Label
}

/** One first-level button. */
export type ZoneChoice =
	| { kind: 'zone'; zone: RoomZone }
	| { kind: 'row'; rowId: string; label: Label; cells: CellChoice[] }

const CELL_ID = /^([a-z0-9-]+):(\d+)$/

/** Separators between the row and column parts of a cell label ("Preventie · Resultaat 2"). */
const SEPARATORS = /[\s·:,–—|/-]+$/

function stripSuffix(label: string, suffix: string): string | null {
	if (!label.endsWith(suffix)) return null
	const rest = label.slice(0, label.length - suffix.length).replace(SEPARATORS, '')
	return rest === '' ? null : rest
}

/**
 * Groups zones for the phone, in the board's order: plain zones stay single; matrix cells become one row
 * entry per row (at the place of the row's first cell) holding its cells by column. The column label comes
 * from the zone whose label ends every cell label of that column (the column header); the row label is the
 * cell label without it. A row with a single column is offered as a plain zone.
 */
export function groupZones(zones: readonly RoomZone[]): ZoneChoice[] {
	const cells = new Map<string, { column: number; zone: RoomZone }[]>()
	const plain = zones.filter((z) => !CELL_ID.test(z.id))
	for (const zone of zones) {
		const match = CELL_ID.exec(zone.id)
		if (!match) continue
		const list = cells.get(match[1]) ?? []
		list.push({ column: Number(match[2]), zone })
		cells.set(match[1], list)
	}
	const columnLabels = new Map<number, Label>()
	const columns = new Set([...cells.values()].flatMap((list) => list.map((c) => c.column)))
	for (const column of columns) {
		const labels = [...cells.values()].flatMap((list) =>
			list.filter((c) => c.column === column).map((c) => c.zone.label)
		)
		const header = plain
			.filter((z) =>
				labels.every((l) => stripSuffix(l.nl, z.label.nl) !== null && stripSuffix(l.en, z.label.en) !== null)
			)
			.sort((a, b) => b.label.nl.length - a.label.nl.length)[0]
		if (header) columnLabels.set(column, header.label)
	}
	const choices: ZoneChoice[] = []
	const done = new Set<string>()
	for (const zone of zones) {
		const match = CELL_ID.exec(zone.id)
		if (!match) {
			choices.push({ kind: 'zone', zone })
			continue
		}
		const rowId = match[1]
		if (done.has(rowId)) continue
		done.add(rowId)
		const rowCells = [...(cells.get(rowId) ?? [])].sort((a, b) => a.column - b.column)
		if (rowCells.length === 1) {
			choices.push({ kind: 'zone', zone: rowCells[0].zone })
			continue
		}
		const first = rowCells[0]
		const firstColumn = columnLabels.get(first.column)
		const rowLabel: Label = firstColumn
			? {
					nl: stripSuffix(first.zone.label.nl, firstColumn.nl) ?? first.zone.label.nl,
					en: stripSuffix(first.zone.label.en, firstColumn.en) ?? first.zone.label.en,
				}
			: { nl: capitalize(rowId), en: capitalize(rowId) }
		choices.push({
			kind: 'row',
			rowId,
			label: rowLabel,
			cells: rowCells.map((c) => ({
				column: c.column,
				zone: c.zone,
				label: columnLabels.get(c.column) ?? c.zone.label,
			})),
		})
	}
	return choices
}

function capitalize(id: string): string {
	const words = id.replace(/-/g, ' ')
	return words.charAt(0).toUpperCase() + words.slice(1)
}
