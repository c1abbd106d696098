/**
 * Focus: the facilitator puts one note or one theme on every screen (every board and every phone), large, with
 * its dots, and steps to the next one. The server writes the focused shape's id into the doc's session map under
 * {@link FOCUS_KEY} (only the facilitator may, through `PUT /api/rooms/:roomId/focus`); boards read it from the
 * doc, phones get the focused item's text and dots in the session answer. Focus never moves a camera: leaving it
 * removes the overlay and everyone is where they were.
 *
 * @packageDocumentation
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { FocusView } from './contract/schemas'
import { shapeText } from './contract/rich-text'
import { isStickyNote } from './contract/sticky-note'
import { voteCount, type VoteCounts } from './vote-ranking'
import { recordMap, zoneOfShape, type RecordSource } from './zones'

export type { FocusChange, FocusView } from './contract/schemas'

/** Key of the focus state (`{ targetId }`) in the doc's session map (`SESSION_MAP`). */
export const FOCUS_KEY = 'focus'

/** `meta.kind` of a theme frame (a labelled group of a zone's notes). */
export const THEME_KIND = 'theme'

/** Shape ids as tldraw and the server make them. */
export const FOCUS_TARGET_PATTERN = /^shape:[A-Za-z0-9_-]{1,80}$/

/** The focused shape id a session map value holds; null for anything missing or malformed. */
export function readFocusTarget(value: unknown): string | null {
	if (!value || typeof value !== 'object') return null
	const targetId = (value as { targetId?: unknown }).targetId
	return typeof targetId === 'string' && FOCUS_TARGET_PATTERN.test(targetId) ? targetId : null
}

function isShape(record: TLRecord | undefined): record is TLShape {
	return record?.typeName === 'shape'
}

function isHidden(shape: TLShape): boolean {
	return (shape.meta as { hidden?: unknown } | undefined)?.hidden === true
}

/** Whether a record is a theme frame. */
export function isThemeShape(record: TLRecord | undefined): record is TLShape {
	return isShape(record) && record.type === 'frame' && (record.meta as { kind?: unknown })?.kind === THEME_KIND
}

function themeNotes(map: ReadonlyMap<string, TLRecord>, themeId: string): TLShape[] {
	const notes: TLShape[] = []
	for (const record of map.values()) {
		if (isStickyNote(record) && record.parentId === themeId && !isHidden(record as TLShape))
			notes.push(record as TLShape)
	}
	return notes
}

function themeLabel(theme: TLShape): string {
	const name = (theme.props as { name?: unknown }).name
	return typeof name === 'string' ? name.trim() : ''
}

/**
 * What focus shows of shape `targetId`: a note's text and dots, or a theme's label, its dots (its own and its
 * notes' together) and its notes. Null when the shape is not on the board, is hidden, or is neither a note nor a theme.
 */
export function focusView(records: RecordSource, votes: VoteCounts, targetId: string | null): FocusView | null {
	if (!targetId) return null
	const map = recordMap(records)
	const shape = map.get(targetId)
	if (!isShape(shape) || isHidden(shape)) return null
	let zoneId: string | null = null
	try {
		zoneId = zoneOfShape(shape, map) ?? null
	} catch {
		zoneId = null
	}
	if (isStickyNote(shape)) {
		return { targetId, kind: 'note', zoneId, text: shapeText(shape.props), dots: voteCount(votes, shape.id), notes: [] }
	}
	if (isThemeShape(shape)) {
		const notes = themeNotes(map, shape.id)
			.map((note) => ({ noteId: note.id as string, text: shapeText(note.props), dots: voteCount(votes, note.id) }))
			.sort((a, b) => b.dots - a.dots || a.text.localeCompare(b.text) || (a.noteId < b.noteId ? -1 : 1))
		// The theme's own dots (given to it as one item) and its notes' dots together.
		const dots = notes.reduce((sum, note) => sum + note.dots, voteCount(votes, shape.id))
		return { targetId, kind: 'theme', zoneId, text: themeLabel(shape), dots, notes }
	}
	return null
}

/**
 * The order focus steps through in the zone of `targetId`: its themes and the notes in no theme, by dots (most
 * first) once any of them has dots, else in reading order on the board (top to bottom, left to right).
 */
export function focusOrder(records: RecordSource, votes: VoteCounts, targetId: string): string[] {
	const map = recordMap(records)
	const current = focusView(map, votes, targetId)
	if (!current) return []
	const items: { id: string; dots: number; y: number; x: number }[] = []
	for (const record of map.values()) {
		if (!isShape(record) || isHidden(record)) continue
		const isNote = isStickyNote(record)
		if (!isNote && !isThemeShape(record)) continue
		if (isNote && isThemeShape(map.get(record.parentId))) continue
		let zoneId: string | null = null
		try {
			zoneId = zoneOfShape(record, map) ?? null
		} catch {
			zoneId = null
		}
		if (zoneId !== current.zoneId) continue
		const view = record.id === targetId ? current : focusView(map, votes, record.id)
		if (!view) continue
		const parent = map.get(record.parentId)
		const offset = isThemeShape(parent) ? { x: parent.x, y: parent.y } : { x: 0, y: 0 }
		items.push({ id: record.id, dots: view.dots, y: record.y + offset.y, x: record.x + offset.x })
	}
	const voted = items.some((item) => item.dots > 0)
	items.sort(
		(a, b) => (voted ? b.dots - a.dots : 0) || a.y - b.y || a.x - b.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	)
	return items.map((item) => item.id)
}

/** The item `step` places from `targetId` in its zone's {@link focusOrder}, clamped to the ends. */
export function steppedFocus(records: RecordSource, votes: VoteCounts, targetId: string, step: number): string {
	const map = recordMap(records)
	const order = focusOrder(map, votes, targetId)
	// A note inside a theme steps from its theme's place.
	const parentId = (map.get(targetId) as TLShape | undefined)?.parentId
	const at = order.indexOf(isThemeShape(map.get(parentId ?? '')) ? (parentId as string) : targetId)
	if (at < 0) return targetId
	return order[Math.max(0, Math.min(order.length - 1, at + step))]
}
