import { csvField, csvRecord } from './escape'
import { noteNumber, type ExportReport } from './report-model'
import { REPORT_STRINGS, scoreLine } from './report-strings'

/** Byte order mark: tells Excel the file is UTF-8, so "ë" and "’" survive a double-click. */
const UTF8_BOM = '\uFEFF'

/**
 * Renders a report as CSV (RFC 4180: comma-separated, CRLF, every text field quoted), one row per note in
 * worksheet order, with a header row in the report's language. Columns: zone id, zone, number (rank when
 * ranked by votes), note, votes, author (empty in an anonymous room), note id, theme (the label of the theme
 * the note belongs to). A zone's themes come first, one row each, counted and ranked as one: number (rank among
 * the zone's themes when ranked), the theme's label as its text, its dots (its own and its notes' together), the
 * theme's id, and its label again in the theme column. Text fields are made inert for spreadsheets (a leading
 * `=`, `+`, `-`, `@` gets a `'`). Starts with a UTF-8 byte order mark. A part of a score round gets one more row
 * after its notes: no number, the spread in words as its text, note id `scores`.
 */
export function renderCsv(report: ExportReport): string {
	const s = REPORT_STRINGS[report.locale]
	let out = UTF8_BOM
	out += csvRecord(
		[s.zoneId, s.zone, report.rankedByVotes ? s.rank : s.number, s.note, s.votes, s.author, s.noteId, s.theme].map(
			csvField
		)
	)
	for (const zone of report.zones) {
		const themeOf = new Map<string, string>()
		zone.themes?.forEach((theme, i) => {
			for (const id of theme.noteIds) themeOf.set(id, theme.label)
			out += csvRecord([
				csvField(zone.id ?? ''),
				csvField(zone.label),
				String(theme.rank ?? i + 1),
				csvField(theme.label),
				String(theme.votes),
				csvField(''),
				csvField(theme.id),
				csvField(theme.label),
			])
		})
		zone.notes.forEach((note, i) => {
			out += csvRecord([
				csvField(zone.id ?? ''),
				csvField(zone.label),
				String(noteNumber(note, i)),
				csvField(note.text),
				String(note.votes),
				csvField(report.anonymous ? '' : (note.author ?? '')),
				csvField(note.id),
				csvField(themeOf.get(note.id) ?? ''),
			])
		})
		if (zone.scores) {
			out += csvRecord([
				csvField(zone.id ?? ''),
				csvField(zone.label),
				'',
				csvField(scoreLine(s, report.locale, zone.scores)),
				'',
				csvField(''),
				csvField('scores'),
				csvField(''),
			])
		}
	}
	return out
}
