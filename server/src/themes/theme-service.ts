/**
 * Themes: a labelled group of a zone's notes that moves as one on the board — a frame inside the zone's frame,
 * `meta: { kind: 'theme', zoneId }`, the label as its name — and that reports count and rank as one. The
 * facilitator groups notes, optionally from the proposals of {@link suggestThemes}, and ungroups them again.
 *
 * @module
 */
import {
	indexKeyAbove,
	isStickyNote,
	NOTE_SIZE,
	RECORDS_MAP,
	shapeText,
	zoneFrameId,
	zoneOfShape,
	type RecordSource,
} from '@kompasbord/shared'
import type { TLFrameShape, TLRecord, TLShape, TLShapeId } from '@tldraw/tlschema'
import { nanoid } from 'nanoid'
import type * as Y from 'yjs'
import { httpError } from '../http/errors'
import { validateRecord } from '../notes/note-record'
import type { Room } from '../rooms/room'
import { suggestThemes, type ThemeProposal } from './suggest-themes'

/** `meta.kind` of a theme frame. */
export const THEME_KIND = 'theme'
/** Space around and between a theme's notes, in board units. */
const THEME_PADDING = 24
/** Room above a theme's frame for its name, which tldraw draws above the frame. */
const THEME_NAME_ROOM = 48
/** At most this many notes side by side in a theme. */
const THEME_COLUMNS_MAX = 6

type RecordsMap = Y.Map<TLRecord>

function recordsOf(room: Room): RecordsMap {
	return room.doc.getMap(RECORDS_MAP) as RecordsMap
}

/** Whether a record is a theme frame. */
export function isThemeFrame(record: unknown): record is TLFrameShape {
	const r = record as TLFrameShape | undefined
	return r?.typeName === 'shape' && r.type === 'frame' && (r.meta as { kind?: unknown })?.kind === THEME_KIND
}

/** A zone's notes on the board (not hidden), each with its text and the theme it is in, if any. */
export function zoneNotes(
	records: Map<string, TLRecord>,
	zoneId: string
): { note: TLShape; text: string; themeId: string | null }[] {
	const out: { note: TLShape; text: string; themeId: string | null }[] = []
	for (const record of records.values()) {
		if (!isStickyNote(record) || (record.meta as { hidden?: unknown }).hidden === true) continue
		let zone: string | undefined
		try {
			zone = zoneOfShape(record as TLShape, records as unknown as RecordSource)
		} catch {
			zone = undefined
		}
		if (zone !== zoneId) continue
		const parent = records.get(record.parentId)
		out.push({
			note: record as TLShape,
			text: shapeText(record.props),
			themeId: isThemeFrame(parent) ? parent.id : null,
		})
	}
	return out
}

export class ThemeService {
	/** Proposals for the zone's notes that are in no theme yet (and have text). */
	suggest(room: Room, zoneId: string, threshold?: number): ThemeProposal[] {
		this.assertZone(room, zoneId)
		const notes = zoneNotes(new Map(recordsOf(room).entries()), zoneId).filter((n) => !n.themeId && n.text.trim())
		return suggestThemes(
			notes.map((n) => ({ id: n.note.id, text: n.text })),
			threshold
		)
	}

	/**
	 * Groups `noteIds` (notes of the zone, in no theme) into a new theme labelled `label`: a frame where the first
	 * of them stood, the notes laid out in a grid inside it. Returns the theme's id.
	 */
	async create(room: Room, zoneId: string, label: string, noteIds: readonly string[]): Promise<string> {
		this.assertZone(room, zoneId)
		const themeId = `shape:theme-${nanoid(12)}` as TLShapeId
		let failure: Error | null = null
		await room.change((doc) => {
			const records = doc.getMap(RECORDS_MAP) as RecordsMap
			const current = new Map(records.entries())
			const inZone = new Map(zoneNotes(current, zoneId).map((n) => [n.note.id as string, n]))
			const chosen = [...new Set(noteIds)].map((id) => inZone.get(id))
			if (chosen.length < 1 || chosen.some((n) => !n || n.themeId)) {
				failure = httpError(400, 'bad_request', 'Group notes of this zone that are in no theme yet')
				return
			}
			const notes = chosen.map((n) => n!.note)
			const frameId = zoneFrameId(zoneId) as TLShapeId
			const first = notes[0]
			const start = positionIn(current, first, frameId)
			const size = Math.max(...notes.map((n) => NOTE_SIZE * ((n.props as { scale?: number }).scale ?? 1)))
			const columns = Math.min(THEME_COLUMNS_MAX, Math.ceil(Math.sqrt(notes.length)))
			const rows = Math.ceil(notes.length / columns)
			const cell = size + THEME_PADDING
			const siblings = [...current.values()].filter((r) => (r as TLShape).parentId === frameId) as TLShape[]
			// Below the zone's header (tldraw draws the theme's name above its frame), and inside the zone, which
			// grows when the theme needs more room than it has.
			const zoneFrame = current.get(frameId) as TLFrameShape
			const headerHeight = Number((zoneFrame.meta as { headerHeight?: unknown }).headerHeight) || 0
			const width = columns * cell + THEME_PADDING
			const height = rows * cell + THEME_PADDING
			const x = Math.max(THEME_PADDING, Math.min(start.x, zoneFrame.props.w - width - THEME_PADDING))
			const y = Math.max(start.y, headerHeight + THEME_NAME_ROOM)
			if (y + height + THEME_PADDING > zoneFrame.props.h || x + width + THEME_PADDING > zoneFrame.props.w) {
				const grown = validateRecord({
					...zoneFrame,
					props: {
						...zoneFrame.props,
						w: Math.max(zoneFrame.props.w, x + width + THEME_PADDING),
						h: Math.max(zoneFrame.props.h, y + height + THEME_PADDING),
					},
				} as TLRecord)
				records.set(grown.id, grown)
			}
			const theme = validateRecord({
				id: themeId,
				typeName: 'shape',
				type: 'frame',
				parentId: frameId,
				index: indexKeyAbove(siblings.map((sibling) => sibling.index)),
				x: Math.round(x),
				y: Math.round(y),
				rotation: 0,
				isLocked: false,
				opacity: 1,
				meta: { kind: THEME_KIND, zoneId },
				props: {
					w: width,
					h: height,
					name: label,
					color: 'black',
				},
			} as TLRecord)
			records.set(theme.id, theme)
			notes.forEach((note, i) => {
				const moved = validateRecord({
					...note,
					parentId: themeId,
					x: THEME_PADDING + (i % columns) * cell,
					y: THEME_PADDING + Math.floor(i / columns) * cell,
				} as TLRecord)
				records.set(moved.id, moved)
			})
		})
		if (failure) throw failure
		return themeId
	}

	/** Ungroups a theme: its notes go back into the zone where they are, the theme's frame goes. */
	async remove(room: Room, themeId: string): Promise<void> {
		let found = false
		await room.change((doc) => {
			const records = doc.getMap(RECORDS_MAP) as RecordsMap
			const theme = records.get(themeId)
			if (!isThemeFrame(theme)) return
			found = true
			for (const record of [...records.values()]) {
				const shape = record as TLShape
				if (shape.typeName !== 'shape' || shape.parentId !== themeId) continue
				records.set(
					shape.id,
					validateRecord({ ...shape, parentId: theme.parentId, x: theme.x + shape.x, y: theme.y + shape.y } as TLRecord)
				)
			}
			records.delete(themeId)
		})
		if (!found) throw httpError(404, 'note_not_found', 'No theme with this id')
	}

	private assertZone(room: Room, zoneId: string): void {
		if (!recordsOf(room).has(zoneFrameId(zoneId)))
			throw httpError(400, 'unknown_zone', `No zone "${zoneId}" on this board`)
	}
}

/** A shape's position relative to `frameId`, one of its ancestors (template frames are never rotated). */
function positionIn(records: Map<string, TLRecord>, shape: TLShape, frameId: string): { x: number; y: number } {
	let x = 0
	let y = 0
	let current: TLShape | undefined = shape
	for (let depth = 0; current && current.id !== frameId && depth < 32; depth++) {
		x += current.x
		y += current.y
		current = records.get(current.parentId) as TLShape | undefined
	}
	return { x, y }
}
