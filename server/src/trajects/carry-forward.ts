/**
 * Carrying results forward in a traject: what an earlier board offers a later one, as the later template's
 * `carryForward` rules declare it (template data, see `CarryRuleSchema` in @kompasbord/shared), and how a chosen
 * selection becomes notes on the later board.
 *
 * @module
 */
import type { CarryRule, LocalizedText, Template } from '@kompasbord/shared'
import type { ExportReport } from '../export'

/** An earlier board of the traject, as far as carrying forward needs it: its record and its report. */
export interface SourceBoard {
	roomId: string
	title: string
	templateId: string
	createdAt: number
	report: ExportReport
}

/** One note an earlier board offers. */
export interface CarryItem {
	/** `<source room id>/<note id>`: what the facilitator ticks. */
	id: string
	sourceRoomId: string
	sourceTitle: string
	sourceZoneId: string
	sourceNoteId: string
	text: string
	votes: number
}

/** What one rule offers: the notes it would carry and the zone (or result columns) they go into. */
export interface CarryOffer {
	/** The rule's zone id, or the matrix column id pattern (`resultaat-{n}`) when `columns` is true. */
	into: string
	/** One note per result column, in order (the later board gets as many columns as notes chosen). */
	columns: boolean
	label: LocalizedText
	fromTemplate: string
	items: CarryItem[]
}

/** The id a carried note is offered under. */
export function carryItemId(sourceRoomId: string, sourceNoteId: string): string {
	return `${sourceRoomId}/${sourceNoteId}`
}

/** Whether a rule heads the result columns of a matrix (one carried note per column). */
export function isColumnsRule(template: Template, rule: CarryRule): boolean {
	return rule.into === template.matrix?.columns.idPattern
}

/**
 * What the earlier boards offer a board of `target`: per rule, the notes of the rule's zones on every earlier
 * board of the rule's template (newest board first; within a board in its report's order — most votes first
 * once it had a voting round, else reading order), leaving out what `alreadyCarried` names. Rules whose
 * template has no board in the traject offer nothing and are left out.
 */
export function carryOffers(
	target: Template,
	sources: readonly SourceBoard[],
	alreadyCarried: ReadonlySet<string> = new Set()
): CarryOffer[] {
	const offers: CarryOffer[] = []
	const newestFirst = [...sources].sort((a, b) => b.createdAt - a.createdAt)
	for (const rule of target.carryForward ?? []) {
		const boards = newestFirst.filter((board) => board.templateId === rule.from.template)
		if (boards.length === 0) continue
		const items: CarryItem[] = []
		for (const board of boards) {
			for (const zone of board.report.zones) {
				if (zone.id === null || !rule.from.zones.includes(zone.id)) continue
				for (const note of zone.notes) {
					const id = carryItemId(board.roomId, note.id)
					if (alreadyCarried.has(id)) continue
					items.push({
						id,
						sourceRoomId: board.roomId,
						sourceTitle: board.title,
						sourceZoneId: zone.id,
						sourceNoteId: note.id,
						text: note.text,
						votes: note.votes,
					})
				}
			}
		}
		// Zones of one board keep the rule's order of zones, each zone its report order.
		items.sort((a, b) =>
			a.sourceRoomId === b.sourceRoomId
				? rule.from.zones.indexOf(a.sourceZoneId) - rule.from.zones.indexOf(b.sourceZoneId)
				: 0
		)
		offers.push({
			into: rule.into,
			columns: isColumnsRule(target, rule),
			label: rule.label,
			fromTemplate: rule.from.template,
			items,
		})
	}
	return offers
}

/** A chosen note and the zone it goes into on the later board. */
export interface PlannedNote {
	item: CarryItem
	zoneId: string
}

/** What {@link planCarry} decides. */
export interface CarryPlan {
	notes: PlannedNote[]
	/** For a new board of a matrix template with a columns rule: the number of result columns it gets. */
	columns: number | undefined
}

/**
 * Turns the facilitator's choice (item ids) into notes per zone. Unknown ids are refused (a RangeError naming
 * them). A columns rule puts its chosen notes one per result column, in offer order: for a new board the
 * columns follow their number (within the template's range; more than the maximum is refused), on an existing
 * board with `columns` result columns they fill the columns that have no carried result yet (`filledColumns`).
 */
export function planCarry(
	target: Template,
	offers: readonly CarryOffer[],
	chosen: readonly string[],
	existing?: { columns: number; filledColumns: ReadonlySet<number> }
): CarryPlan {
	const wanted = new Set(chosen)
	const known = new Set(offers.flatMap((offer) => offer.items.map((item) => item.id)))
	const unknown = [...wanted].filter((id) => !known.has(id))
	if (unknown.length) throw new RangeError(`not offered: ${unknown.join(', ')}`)
	const notes: PlannedNote[] = []
	let columns: number | undefined
	const taken = new Set<string>()
	for (const offer of offers) {
		const items = offer.items.filter((item) => wanted.has(item.id) && !taken.has(item.id))
		for (const item of items) taken.add(item.id)
		if (!offer.columns) {
			for (const item of items) notes.push({ item, zoneId: offer.into })
			continue
		}
		const range = target.matrix?.columns
		if (!range || items.length === 0) continue
		if (existing) {
			const free: number[] = []
			for (let n = 1; n <= existing.columns; n++) if (!existing.filledColumns.has(n)) free.push(n)
			if (items.length > free.length) {
				throw new RangeError(`only ${free.length} result column(s) left for ${items.length} result(s)`)
			}
			items.forEach((item, i) => notes.push({ item, zoneId: offer.into.replace('{n}', String(free[i])) }))
		} else {
			if (items.length > range.max) throw new RangeError(`at most ${range.max} results, not ${items.length}`)
			columns = Math.max(range.min, items.length)
			items.forEach((item, i) => notes.push({ item, zoneId: offer.into.replace('{n}', String(i + 1)) }))
		}
	}
	return { notes, columns }
}
