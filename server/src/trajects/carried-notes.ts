/**
 * Writing notes carried forward in a traject onto a board: each chosen note goes into its zone where placement
 * finds room (the zone's frame grows when it must, as for phone notes), marked in `meta` with where it came
 * from, so the board, the report and a later carry-forward can tell.
 *
 * @module
 */
import { placeNoteInZone } from '@kompasbord/shared'
import type { TLDefaultColorStyle, TLFrameShape, TLRecord, TLShapeId } from '@tldraw/tlschema'
import { buildNoteRecord, newNoteId, noteSizeFor, validateRecord } from '../notes/note-record'
import type { CarriedNote } from '../store/trajects'
import type { PlannedNote } from './carry-forward'

/** `meta` keys of a carried note: the board and note it came from, and that board's title. */
export const CARRIED_FROM_ROOM = 'carriedFromRoom'
export const CARRIED_FROM_NOTE = 'carriedFromNote'
export const CARRIED_FROM_TITLE = 'carriedFromTitle'

/** Carried notes get this colour, so they stand apart from the notes written on the board itself. */
const CARRIED_COLOUR: TLDefaultColorStyle = 'light-violet'

/**
 * Places `planned` notes on a board whose records are `current` (updated as notes are placed), handing every
 * new or changed record to `write`. Notes whose zone the board lacks are skipped. Returns what was carried.
 */
export function writeCarriedNotes(
	current: Map<string, TLRecord>,
	write: (record: TLRecord) => void,
	planned: readonly PlannedNote[],
	targetRoomId: string,
	now: number
): CarriedNote[] {
	const carried: CarriedNote[] = []
	for (const { item, zoneId } of planned) {
		const id = newNoteId() as TLShapeId
		const placement = placeNoteInZone(current, zoneId, noteSizeFor(item.text))
		if (!placement) continue
		if (placement.growTo) {
			const frame = current.get(placement.frameId) as TLFrameShape
			const grown = validateRecord({
				...frame,
				props: { ...frame.props, w: placement.growTo.w, h: placement.growTo.h },
			})
			current.set(grown.id, grown)
			write(grown)
		}
		const record = buildNoteRecord({
			id,
			parentId: placement.frameId,
			index: placement.index,
			x: placement.x,
			y: placement.y,
			scale: placement.scale,
			text: item.text,
			color: CARRIED_COLOUR,
			zoneId,
			authorName: null,
			extraMeta: {
				[CARRIED_FROM_ROOM]: item.sourceRoomId,
				[CARRIED_FROM_NOTE]: item.sourceNoteId,
				[CARRIED_FROM_TITLE]: item.sourceTitle,
			},
		})
		current.set(record.id, record)
		write(record)
		carried.push({
			targetRoomId,
			sourceRoomId: item.sourceRoomId,
			sourceNoteId: item.sourceNoteId,
			targetNoteId: record.id,
			carriedAt: now,
		})
	}
	return carried
}
