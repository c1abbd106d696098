import { formatMark } from '@kompasbord/shared/score-round'
import type { ReportLocale, ReportScores } from './report-model'

/** The fixed words of a report, per language. */
export interface ReportStrings {
	/** Label of the bucket for notes outside every zone. */
	other: string
	date: string
	template: string
	bouwsteen: string
	notes: string
	/** Column header of a note's text. */
	note: string
	votes: string
	author: string
	number: string
	zone: string
	zoneId: string
	noteId: string
	/** The CSV column naming a note's theme. */
	theme: string
	/** Column header of the number column when notes are ranked by votes. */
	rank: string
	/** Says the notes are ranked by votes. */
	rankedByVotes: string
	/** Says the notes are in board order. */
	boardOrder: string
	/** Shown in a zone without notes. */
	noNotes: string
	/** Caption of the board image in the Word report. */
	boardImage: string
	/** Shown in the Word report when it was made without a board image. */
	noBoardImage: string
	/** Small print at the end of the report. */
	madeWith: string
	/** Heading of a zone's themes. */
	themes: string
	/** Before the title of the earlier board a carried note came from: "(uit Ambities)". */
	carriedFrom: string
	/** The line of a score round's part: `Cijfers (1–10): mediaan 7, van 3 tot 9, 5 deelnemers`. */
	scores: (range: string, median: string, low: number, high: number, n: number) => string
	/** The same line for a part without marks. */
	noScores: (range: string) => string
	/** Before the list of how many gave each mark. */
	scoreCounts: string
	/** After the line while the round is still open. */
	scoreRoundOpen: string
	/** The traject report: its title line and the line of a board without an image. */
	traject: string
	boards: string
	noSnapshot: string
}

/** {@link ReportStrings} in Dutch (the default) and English. */
export const REPORT_STRINGS: Record<ReportLocale, ReportStrings> = {
	nl: {
		other: 'Overig',
		date: 'Datum',
		template: 'Werkblad',
		bouwsteen: 'Bouwsteen',
		notes: 'Notities',
		note: 'Notitie',
		votes: 'Stippen',
		author: 'Auteur',
		number: 'Nr.',
		zone: 'Vak',
		zoneId: 'Vak-id',
		noteId: 'Notitie-id',
		theme: 'Thema',
		rank: 'Plaats',
		rankedByVotes: 'Per vak gerangschikt op aantal stippen (na de stemronde).',
		boardOrder: 'Per vak in de volgorde op het bord (van boven naar beneden).',
		noNotes: 'Geen notities.',
		boardImage: 'Het bord',
		noBoardImage:
			'Dit verslag is zonder afbeelding van het bord gemaakt. Exporteer het Word-verslag vanuit het bord (menu Exporteren) om de afbeelding op te nemen.',
		madeWith: 'Gemaakt met Kompasbord',
		carriedFrom: 'uit',
		scores: (range, median, low, high, n) =>
			`Cijfers (${range}): mediaan ${median}, van ${low} tot ${high}, ${n === 1 ? '1 deelnemer' : `${n} deelnemers`}`,
		noScores: (range) => `Cijfers (${range}): nog geen cijfers`,
		scoreCounts: 'Verdeling',
		scoreRoundOpen: 'de ronde liep nog',
		themes: "Thema's",
		traject: 'Traject',
		boards: 'Borden',
		noSnapshot:
			'Van dit bord is nog geen afbeelding bewaard: de facilitator bewaart er een met Exporteren of bij Sessie sluiten.',
	},
	en: {
		other: 'Other',
		date: 'Date',
		template: 'Worksheet',
		bouwsteen: 'Building block',
		notes: 'Notes',
		note: 'Note',
		votes: 'Dots',
		author: 'Author',
		number: 'No.',
		zone: 'Zone',
		zoneId: 'Zone id',
		noteId: 'Note id',
		theme: 'Theme',
		rank: 'Rank',
		rankedByVotes: 'Each zone ranked by number of dots (after the voting round).',
		boardOrder: 'Each zone in board order (top to bottom).',
		noNotes: 'No notes.',
		boardImage: 'The board',
		noBoardImage:
			'This report was made without an image of the board. Export the Word report from the board (Export menu) to include the image.',
		madeWith: 'Made with Kompasbord',
		carriedFrom: 'from',
		scores: (range, median, low, high, n) =>
			`Marks (${range}): median ${median}, from ${low} to ${high}, ${n === 1 ? '1 participant' : `${n} participants`}`,
		noScores: (range) => `Marks (${range}): no marks yet`,
		scoreCounts: 'Spread',
		scoreRoundOpen: 'the round was still open',
		themes: 'Themes',
		traject: 'Traject',
		boards: 'Boards',
		noSnapshot:
			'No image of this board has been kept yet: the facilitator keeps one with Export or when closing the session.',
	},
}

/** The template line of a report: `Veranderverhaal · Bouwsteen 3-A`, or just the title without a bouwsteen. */
export function templateLine(strings: ReportStrings, title: string, bouwsteen: string | null): string {
	return bouwsteen ? `${title} · ${strings.bouwsteen} ${bouwsteen}` : title
}

/**
 * The report line of a score round's part, e.g. `Cijfers (1–10): mediaan 6,5, van 3 tot 9, 6 deelnemers ·
 * Verdeling: 3×1, 4×2 …` — the spread in words, then how many gave each mark that was given.
 */
export function scoreLine(strings: ReportStrings, locale: ReportLocale, scores: ReportScores): string {
	const range = `${scores.min}–${scores.max}`
	let line =
		scores.n === 0 || scores.median === null || scores.low === null || scores.high === null
			? strings.noScores(range)
			: strings.scores(range, formatMark(scores.median, locale), scores.low, scores.high, scores.n)
	const given = scores.counts.flatMap((count, i) => (count > 0 ? [`${scores.min + i}: ${count}×`] : []))
	if (given.length) line += ` · ${strings.scoreCounts}: ${given.join(', ')}`
	if (scores.open) line += ` (${strings.scoreRoundOpen})`
	return line
}
