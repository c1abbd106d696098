import type * as Y from 'yjs'
import {
	DOCUMENT_ID,
	PAGE_ID,
	RECORDS_MAP,
	SESSION_MAP,
	VOTES_MAP,
	isStickyNote,
	readSessionPhase,
	type SessionPhase,
} from '@kompasbord/shared'
import { readScoreRound, SCORE_ROUND_KEY, scoreSpread } from '@kompasbord/shared/score-round'
import { zoneOfShape, type RecordSource } from '@kompasbord/shared/zones'
import type { TLShape } from '@tldraw/tlschema'
import { getTemplate, resolveZones } from '@kompasbord/templates'
import type { RoomRecord } from '../store/room-store'
import {
	REPORT_FORMAT,
	REPORT_VERSION,
	reportDate,
	type ExportReport,
	type ReportLocale,
	type ReportNote,
	type ReportTheme,
	type ReportZone,
} from './report-model'
import { isThemeFrame } from '../themes/theme-service'
import { REPORT_STRINGS } from './report-strings'
import { shapeText } from '@kompasbord/shared/contract/rich-text'

/** What {@link buildReport} reads. */
export interface ReportSource {
	room: Pick<RoomRecord, 'roomId' | 'title' | 'templateId' | 'columns' | 'anonymous' | 'createdAt' | 'closedAt'>
	doc: Y.Doc
	/** Report language; default: the board's language (`meta.locale` of the document record), else Dutch. */
	locale?: ReportLocale
	/** The moment of the export (default: now). */
	now?: Date
}

/** A tldraw record as stored in the doc, as far as the report needs it. */
interface StoredRecord {
	id: string
	typeName: string
	type?: string
	parentId?: string
	x?: number
	y?: number
	props?: Record<string, unknown>
	meta?: Record<string, unknown>
}

/** Control characters that have no place in a report (and are not allowed in Word's XML); `\t` and `\n` stay. */
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]/gu
/** A UTF-16 surrogate without its partner (invalid in XML and in UTF-8 output). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu

/** Text as a report shows it: `\r\n` → `\n`, no control characters or lone surrogates. */
export function cleanText(text: string): string {
	return text.replace(/\r\n?/gu, '\n').replace(CONTROL_CHARS, '').replace(LONE_SURROGATE, '\uFFFD')
}

function isRecord(value: unknown): value is StoredRecord {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as StoredRecord).id === 'string' &&
		typeof (value as StoredRecord).typeName === 'string'
	)
}

/**
 * Whether a record is a sticky note that belongs in a report: a note shape (from a phone or drawn on the
 * canvas, `meta.kind` `note` or unset) that is not part of the template and not hidden by moderation.
 */
export function isReportedNote(record: StoredRecord): boolean {
	return isStickyNote(record) && record.meta?.hidden !== true
}

/** Page position of a shape: its x/y plus those of its parent frames (template frames are never rotated). */
function pagePosition(record: StoredRecord, byId: Map<string, StoredRecord>): { x: number; y: number } {
	let x = 0
	let y = 0
	let current: StoredRecord | undefined = record
	for (let depth = 0; current && depth < 32; depth++) {
		x += Number.isFinite(current.x) ? (current.x as number) : 0
		y += Number.isFinite(current.y) ? (current.y as number) : 0
		if (!current.parentId || current.parentId === PAGE_ID || !current.parentId.startsWith('shape:')) break
		current = byId.get(current.parentId)
	}
	return { x, y }
}

/** Competition ranking ("1, 2, 2, 4") of notes already sorted by votes, most first. */
function assignRanks(notes: ReportNote[]): void {
	notes.forEach((note, i) => {
		note.rank = i > 0 && notes[i - 1].votes === note.votes ? notes[i - 1].rank : i + 1
	})
}

/** The board's language, from the document record's `meta.locale`. */
function boardLocale(records: Map<string, StoredRecord>): ReportLocale {
	const locale = records.get(DOCUMENT_ID)?.meta?.locale
	return locale === 'en' ? 'en' : 'nl'
}

/**
 * Builds the report of a room from its doc: zones in worksheet order (the template's, via `resolveZones`)
 * with their guiding questions; every sticky note (phone or canvas) under the zone `zoneOfShape` gives it
 * (its parent frame's zone, else the zone under it), or under "Overig" when it is in none; notes hidden by
 * moderation (`meta.hidden`; the toolkit also takes hidden notes off the board) and empty notes left out.
 *
 * Order within a zone: ranked by votes, most first (ties in board order), once a voting round has happened —
 * the phase is `voting` or any note has a vote; else board reading order (top to bottom, then left to right).
 */
export function buildReport(source: ReportSource): ExportReport {
	const { room, doc } = source
	const now = source.now ?? new Date()
	const byId = new Map<string, StoredRecord>()
	doc.getMap(RECORDS_MAP).forEach((value) => {
		if (isRecord(value)) byId.set(value.id, value)
	})
	const records = [...byId.values()]
	const locale = source.locale ?? boardLocale(byId)
	const strings = REPORT_STRINGS[locale]

	const votesMap = doc.getMap(VOTES_MAP)
	const votesOf = (id: string): number => {
		const count = votesMap.get(id)
		return typeof count === 'number' && Number.isFinite(count) && count > 0 ? Math.floor(count) : 0
	}
	let anyVotes = false
	votesMap.forEach((count) => {
		if (typeof count === 'number' && count > 0) anyVotes = true
	})
	const phase: SessionPhase = room.closedAt ? 'closed' : readSessionPhase(doc.getMap(SESSION_MAP))
	const rankedByVotes = phase === 'voting' || anyVotes

	const template = getTemplate(room.templateId)
	const zoneList = (template && resolveZones(room.templateId, { columns: room.columns ?? undefined })) || []
	const zones: ReportZone[] = zoneList.map((zone) => ({
		id: zone.id,
		label: zone.label[locale],
		question: zone.question?.[locale] ?? '',
		notes: [],
	}))
	const zoneById = new Map(zones.map((zone) => [zone.id as string, zone]))
	const scoreRound = readScoreRound(doc.getMap(SESSION_MAP).get(SCORE_ROUND_KEY))
	for (const part of scoreRound?.parts ?? []) {
		const zone = zoneById.get(part.zoneId)
		if (!zone || !scoreRound) continue
		const spread = scoreSpread(part.counts, scoreRound.min)
		zone.scores = {
			min: scoreRound.min,
			max: scoreRound.max,
			open: scoreRound.status === 'open',
			...spread,
			counts: [...part.counts],
		}
	}
	const other: ReportZone = { id: null, label: strings.other, question: null, notes: [] }

	// Notes never hold other shapes, so the zone lookup only needs the rest (frames, groups, the template's
	// shapes): with hundreds of notes on the page this keeps the lookup linear instead of quadratic.
	const containers = new Map<string, StoredRecord>()
	for (const record of records)
		if (!(record.typeName === 'shape' && record.type === 'note')) containers.set(record.id, record)

	const positions = new Map<string, { x: number; y: number }>()
	/** Themes per zone; their notes are listed after the zone's notes are sorted. */
	const themesOf = new Map<ReportZone, Map<string, ReportTheme>>()
	for (const record of records) {
		if (!isReportedNote(record)) continue
		let zoneId: string | undefined
		try {
			zoneId = zoneOfShape(record as unknown as TLShape, containers as unknown as RecordSource)
		} catch {
			// A malformed record (say, no props) is in no zone; it still shows under "Overig".
			zoneId = undefined
		}
		const text = cleanText(shapeText(record.props))
		// A note nobody wrote on says nothing; leave it out.
		if (text.trim() === '') continue
		const zone = (zoneId !== undefined && zoneById.get(zoneId)) || other
		const author = room.anonymous ? null : record.meta?.authorName
		const note: ReportNote = {
			id: record.id,
			text,
			votes: votesOf(record.id),
			rank: null,
			author: typeof author === 'string' && author.trim() !== '' ? cleanText(author.trim()) : null,
		}
		const carriedRoom = record.meta?.carriedFromRoom
		if (typeof carriedRoom === 'string') {
			const carriedTitle = record.meta?.carriedFromTitle
			note.carriedFrom = { roomId: carriedRoom, title: cleanText(typeof carriedTitle === 'string' ? carriedTitle : '') }
		}
		zone.notes.push(note)
		const parent = record.parentId ? byId.get(record.parentId) : undefined
		if (parent && isThemeFrame(parent)) {
			const themes = themesOf.get(zone) ?? new Map<string, ReportTheme>()
			themesOf.set(zone, themes)
			const name = typeof parent.props?.name === 'string' ? cleanText(parent.props.name) : ''
			// A theme's own dots (given to the theme as one item) count with its notes' dots.
			const theme = themes.get(parent.id) ?? {
				id: parent.id,
				label: name,
				votes: votesOf(parent.id),
				rank: null,
				noteIds: [],
			}
			themes.set(parent.id, theme)
			theme.votes += note.votes
		}
		positions.set(record.id, pagePosition(record, byId))
	}

	const boardOrder = (a: ReportNote, b: ReportNote): number => {
		const pa = positions.get(a.id)!
		const pb = positions.get(b.id)!
		return pa.y - pb.y || pa.x - pb.x || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	}
	const reported = other.notes.length > 0 ? [...zones, other] : zones
	let noteCount = 0
	let voteCount = 0
	for (const zone of reported) {
		zone.notes.sort(rankedByVotes ? (a, b) => b.votes - a.votes || boardOrder(a, b) : boardOrder)
		if (rankedByVotes) assignRanks(zone.notes)
		noteCount += zone.notes.length
		for (const note of zone.notes) voteCount += note.votes
		const themes = themesOf.get(zone)
		for (const theme of themes?.values() ?? []) voteCount += votesOf(theme.id)
		if (themes) {
			const list = [...themes.values()]
			for (const theme of list) {
				theme.noteIds = zone.notes.filter((n) => byId.get(n.id)?.parentId === theme.id).map((n) => n.id)
			}
			const themePosition = (t: ReportTheme) => positions.get(t.noteIds[0]) ?? { x: 0, y: 0 }
			list.sort(
				(a, b) =>
					(rankedByVotes ? b.votes - a.votes : 0) ||
					themePosition(a).y - themePosition(b).y ||
					themePosition(a).x - themePosition(b).x
			)
			if (rankedByVotes)
				list.forEach((t, i) => (t.rank = i > 0 && list[i - 1].votes === t.votes ? list[i - 1].rank : i + 1))
			zone.themes = list
		}
	}

	return {
		format: REPORT_FORMAT,
		version: REPORT_VERSION,
		roomId: room.roomId,
		title: cleanText(room.title),
		date: reportDate(now),
		exportedAt: now.toISOString(),
		createdOn: reportDate(room.createdAt),
		locale,
		template: {
			id: room.templateId,
			title: template ? template.title[locale] : room.templateId,
			bouwsteen: template?.bouwsteen ?? null,
		},
		phase,
		anonymous: room.anonymous,
		rankedByVotes,
		zones: reported,
		totals: { notes: noteCount, votes: voteCount },
	}
}
