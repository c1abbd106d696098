/**
 * A board's zones with their wording and their notes, read from the doc's records: what the presenter view
 * and the list view show. Zone wording comes from the template's text shapes inside each zone frame
 * (`meta.part` `label` and `question`), the frame's name when there is no label; notes are ranked by votes
 * ({@link rankNotesByZone}).
 *
 * @packageDocumentation
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { STRUCTURE_KIND } from './doc-layout'
import { rankNotesByZone, richTextPlain, type RankedNote, type RankedTheme, type VoteCounts } from './vote-ranking'
import { recordMap, zoneFrames, type RecordSource } from './zones'

/** One zone as the presenter and list views show it. */
export interface ZoneContent {
	zoneId: string
	/** The zone's name (its label on the board). */
	label: string
	/** The guiding question ('' when the zone has none). */
	question: string
	/** Its notes, most votes first (ties by text). */
	notes: RankedNote[]
	/** Its themes, each ranked as one item (own dots and its notes' together); only when it has any. */
	themes?: RankedTheme[]
}

function isShape(record: TLRecord | undefined): record is TLShape {
	return record?.typeName === 'shape'
}

function textOf(shape: TLShape): string {
	const props = (shape.props ?? {}) as { richText?: unknown; text?: unknown; name?: unknown }
	if (props.richText) return richTextPlain(props.richText)
	return typeof props.text === 'string' ? props.text.trim() : ''
}

/**
 * The zones of a board in `zoneOrder` (worksheet order; zones not in it follow in frame order), each with its
 * label, question and ranked notes. Notes in no zone are left out.
 */
export function zoneContents(records: RecordSource, votes: VoteCounts, zoneOrder?: readonly string[]): ZoneContent[] {
	const map = recordMap(records)
	const frames = zoneFrames(map)
	const parts = new Map<string, { label?: string; question?: string }>()
	const frameZone = new Map<string, string>()
	for (const frame of frames.values()) frameZone.set(frame.frameId, frame.zoneId)
	for (const record of map.values()) {
		if (!isShape(record)) continue
		const meta = (record.meta ?? {}) as { kind?: unknown; part?: unknown }
		if (meta.kind !== STRUCTURE_KIND || (meta.part !== 'label' && meta.part !== 'question')) continue
		const zoneId = frameZone.get(record.parentId)
		if (!zoneId) continue
		const entry = parts.get(zoneId) ?? {}
		const text = textOf(record)
		if (text) entry[meta.part] = entry[meta.part] ? `${entry[meta.part]}\n${text}` : text
		parts.set(zoneId, entry)
	}
	const result: ZoneContent[] = []
	for (const ranking of rankNotesByZone(map, votes, zoneOrder)) {
		if (ranking.zoneId === null) continue
		const frame = frames.get(ranking.zoneId)
		if (!frame) continue
		const frameShape = map.get(frame.frameId) as TLShape
		const name = (frameShape?.props as { name?: unknown } | undefined)?.name
		const own = parts.get(ranking.zoneId) ?? {}
		result.push({
			zoneId: ranking.zoneId,
			label: own.label ?? (typeof name === 'string' && name.trim() ? name.trim() : ranking.zoneId),
			question: own.question ?? '',
			notes: ranking.notes,
			...(ranking.themes ? { themes: ranking.themes } : {}),
		})
	}
	return result
}
