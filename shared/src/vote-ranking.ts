/**
 * Dot-voting results: the board's sticky notes ranked by their votes, per zone, and each zone's themes ranked as
 * one item (a theme's own dots and its notes' together). The server (for the phone's
 * voting list) and the board (for its ranking panel) both compute it from the doc: the records map and the
 * votes map (note id → count, see `VOTES_MAP`).
 *
 * @packageDocumentation
 */
import type { TLRecord } from '@tldraw/tlschema'
import { richTextToPlainText } from './contract/rich-text'
import type { RankedNote, RankedTheme } from './contract/schemas'
import { isStickyNote } from './contract/sticky-note'
import { recordMap, zoneFrames, zoneOfShape, type RecordSource } from './zones'

export type { RankedNote, RankedTheme }

/** `meta.kind` of a theme frame (as in `./focus`, kept here so the phone's imports stay small). */
const THEME_FRAME_KIND = 'theme'

function isThemeFrameRecord(record: TLRecord | undefined): boolean {
	return (
		record?.typeName === 'shape' &&
		(record as { type?: unknown }).type === 'frame' &&
		(record.meta as { kind?: unknown } | undefined)?.kind === THEME_FRAME_KIND
	)
}
/** The contract's sticky-note predicate and plain text (`./contract`), re-exported where they were first used. */
export { isStickyNote, richTextToPlainText as richTextPlain }

/** The ranked notes of one zone; `zoneId` null holds the notes that are in no zone. */
export interface ZoneRanking {
	zoneId: string | null
	notes: RankedNote[]
	/** The zone's themes ranked as one item each (own dots and their notes' together); only when it has any. */
	themes?: RankedTheme[]
}

/** Vote counts by note id: a Map, or a plain object such as `votesMap.toJSON()`. */
export type VoteCounts = ReadonlyMap<string, unknown> | Readonly<Record<string, unknown>>

/** The vote count of a note id in `votes` (0 for anything that is not a positive number). */
export function voteCount(votes: VoteCounts, noteId: string): number {
	const value = votes instanceof Map ? votes.get(noteId) : (votes as Record<string, unknown>)[noteId]
	return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0
}

/**
 * The board's sticky notes per zone, each zone's notes ranked by votes (most first; ties by text, then id, so
 * every screen lists them in the same order). Zones come in `zoneOrder` when given (zones not in it follow),
 * else in the order of their frames; the zone-less notes come last, and only when there are any.
 */
export function rankNotesByZone(
	records: RecordSource,
	votes: VoteCounts,
	zoneOrder?: readonly string[]
): ZoneRanking[] {
	const map = recordMap(records)
	const byZone = new Map<string | null, RankedNote[]>()
	const order: (string | null)[] = [...(zoneOrder ?? [])]
	for (const zoneId of zoneFrames(map).keys()) if (!order.includes(zoneId)) order.push(zoneId)
	for (const zoneId of order) byZone.set(zoneId, [])
	for (const record of map.values() as Iterable<TLRecord>) {
		if (!isStickyNote(record)) continue
		const metaZone = (record.meta as { zoneId?: unknown } | undefined)?.zoneId
		let zoneId: string | null = zoneOfShape(record, map) ?? (typeof metaZone === 'string' ? metaZone : null)
		if (zoneId !== null && !byZone.has(zoneId)) zoneId = null
		const list = byZone.get(zoneId) ?? []
		byZone.set(zoneId, list)
		const props = (record.props ?? {}) as { richText?: unknown; color?: unknown }
		list.push({
			noteId: record.id,
			text: richTextToPlainText(props.richText),
			color: typeof props.color === 'string' ? props.color : 'yellow',
			votes: voteCount(votes, record.id),
			rank: 0,
		})
	}
	const themesByZone = new Map<string, RankedTheme[]>()
	for (const record of map.values() as Iterable<TLRecord>) {
		if (!isThemeFrameRecord(record)) continue
		let zoneId: string | undefined
		try {
			zoneId = zoneOfShape(record as never, map)
		} catch {
			zoneId = undefined
		}
		if (zoneId === undefined || !byZone.has(zoneId)) continue
		const own = voteCount(votes, record.id)
		const noteIds: string[] = []
		let votesTogether = own
		for (const note of byZone.get(zoneId) ?? []) {
			if ((map.get(note.noteId) as { parentId?: unknown } | undefined)?.parentId !== record.id) continue
			noteIds.push(note.noteId)
			votesTogether += note.votes
		}
		const name = (record as { props?: { name?: unknown } }).props?.name
		const list = themesByZone.get(zoneId) ?? []
		themesByZone.set(zoneId, list)
		list.push({
			themeId: record.id,
			label: typeof name === 'string' ? name.trim() : '',
			votes: votesTogether,
			own,
			rank: 0,
			noteIds,
		})
	}
	const result: ZoneRanking[] = []
	for (const zoneId of [...order, null]) {
		const notes = byZone.get(zoneId)
		if (!notes || (zoneId === null && notes.length === 0)) continue
		byZone.delete(zoneId)
		notes.sort((a, b) => b.votes - a.votes || a.text.localeCompare(b.text) || (a.noteId < b.noteId ? -1 : 1))
		notes.forEach((note, i) => {
			note.rank = i > 0 && notes[i - 1].votes === note.votes ? notes[i - 1].rank : i + 1
		})
		const themes = zoneId === null ? undefined : themesByZone.get(zoneId)
		if (themes?.length) {
			themes.sort((a, b) => b.votes - a.votes || a.label.localeCompare(b.label) || (a.themeId < b.themeId ? -1 : 1))
			themes.forEach((theme, i) => {
				theme.rank = i > 0 && themes[i - 1].votes === theme.votes ? themes[i - 1].rank : i + 1
			})
			result.push({ zoneId, notes, themes })
		} else result.push({ zoneId, notes })
	}
	return result
}
