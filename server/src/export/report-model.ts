/**
 * The report of a room, as every export format renders it: the session's title and date, the template and its
 * bouwsteen, then the zones in worksheet order, each with its guiding question and its notes. `GET
 * /api/rooms/:roomId/export.json` returns exactly this object.
 *
 * @packageDocumentation
 */
import type { SessionPhase } from '@kompasbord/shared'

/** Languages a report can be written in (the template strings exist in both). */
export type ReportLocale = 'nl' | 'en'

/** Value of {@link ExportReport.format}, so a reader can tell a Kompasbord report from other JSON. */
export const REPORT_FORMAT = 'kompasbord-report'
/** Version of the JSON layout of {@link ExportReport}; raised on incompatible changes. */
export const REPORT_VERSION = 1

/** One sticky note in a report. */
export interface ReportNote {
	/** The tldraw shape id (`shape:…`). */
	id: string
	/** Plain text, lines separated by `\n`. */
	text: string
	/** Dot votes (0 when it has none). */
	votes: number
	/** 1-based rank by votes (ties share a rank: 1, 2, 2, 4) when the report is ranked; else null. */
	rank: number | null
	/** The author's first name; null in an anonymous room or when the note has none. */
	author: string | null
	/** Only on a note carried forward from an earlier board of the traject: that board. */
	carriedFrom?: { roomId: string; title: string }
}

/** A theme: notes the facilitator grouped under a label; reports count and rank it as one. */
export interface ReportTheme {
	/** The theme frame's shape id. */
	id: string
	label: string
	/** Dots on its notes together. */
	votes: number
	/** 1-based rank among the zone's themes by votes when the report is ranked; else null. */
	rank: number | null
	/** Its notes, in the order of the zone's notes. */
	noteIds: string[]
}

/** One zone of the worksheet, or the "Overig" bucket (id null) for notes outside every zone. */
export interface ReportZone {
	/** The template's zone id; null for notes outside every zone ("Overig"). */
	id: string | null
	label: string
	/** The worksheet's guiding question; null for "Overig". */
	question: string | null
	notes: ReportNote[]
	/** Only when the zone has themes: ranked by their dots together once the report is ranked. */
	themes?: ReportTheme[]
	/** Only for a part of the board's score round: the spread of the participants' marks. */
	scores?: ReportScores
}

/** The spread of one part's marks in a score round (who gave which mark is not in any report). */
export interface ReportScores {
	/** The round's scale. */
	min: number
	max: number
	/** Whether the round was still open when the report was made. */
	open: boolean
	/** How many participants gave this part a mark. */
	n: number
	/** Median, lowest and highest mark; null without marks. */
	median: number | null
	low: number | null
	high: number | null
	/** `counts[i]`: how many gave mark `min + i`. */
	counts: number[]
}

/** The report of one room. */
export interface ExportReport {
	format: typeof REPORT_FORMAT
	version: typeof REPORT_VERSION
	roomId: string
	/** The session title. */
	title: string
	/** The export date, `yyyy-mm-dd` in {@link REPORT_TIME_ZONE}. */
	date: string
	/** The moment of the export, ISO 8601 UTC. */
	exportedAt: string
	/** The date the session (room) was created, `yyyy-mm-dd`. */
	createdOn: string
	locale: ReportLocale
	template: {
		id: string
		title: string
		/** The worksheet's bouwsteen ("3-A"); null for a template that is no worksheet (blanco). */
		bouwsteen: string | null
	}
	/** The session phase at export time. */
	phase: SessionPhase
	/** Anonymous room: no author names in the report. */
	anonymous: boolean
	/**
	 * Notes are ranked by votes (most first) when a voting round has happened: the phase is `voting`, or any
	 * note has a vote entry. Otherwise notes keep the board's reading order (top to bottom, left to right).
	 */
	rankedByVotes: boolean
	/** Zones in worksheet order; "Overig" last, only when it holds notes. */
	zones: ReportZone[]
	totals: { notes: number; votes: number }
}

/** Dutch municipalities: dates in reports and file names are Amsterdam calendar dates. */
export const REPORT_TIME_ZONE = 'Europe/Amsterdam'

/**
 * Made on the first report, not at start: a formatter with a time zone maps several MB of ICU's time zone and
 * calendar data into the process, which an idle server does without.
 */
let dateFormat: Intl.DateTimeFormat | null = null

/** `yyyy-mm-dd` of a moment, in {@link REPORT_TIME_ZONE}. */
export function reportDate(moment: Date | number): string {
	dateFormat ??= new Intl.DateTimeFormat('en-CA', {
		timeZone: REPORT_TIME_ZONE,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
	})
	const parts = dateFormat.formatToParts(moment)
	const get = (type: string) => parts.find((p) => p.type === type)?.value ?? ''
	return `${get('year')}-${get('month')}-${get('day')}`
}

/** The number shown before a note: its rank when the report is ranked, else its place in the zone (1-based). */
export function noteNumber(note: ReportNote, index: number): number {
	return note.rank ?? index + 1
}
