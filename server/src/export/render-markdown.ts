import { markdownTableCell, markdownText } from './escape'
import { noteNumber, type ExportReport } from './report-model'
import { REPORT_STRINGS, scoreLine, templateLine } from './report-strings'

/**
 * Renders a report as Markdown (CommonMark + GFM tables): a title, the session facts, then one section per
 * zone with its guiding question and a table of its notes. Every text from the board is escaped, so notes come
 * out literally whatever they contain.
 */
export function renderMarkdown(report: ExportReport): string {
	const s = REPORT_STRINGS[report.locale]
	const withAuthor = !report.anonymous
	const out: string[] = []
	out.push(`# ${markdownText(report.title).replace(/\\\n/gu, ' ')}`, '')
	out.push(`- **${s.date}:** ${report.date}`)
	out.push(`- **${s.template}:** ${markdownText(templateLine(s, report.template.title, report.template.bouwsteen))}`)
	out.push(`- **${s.notes}:** ${report.totals.notes} · **${s.votes}:** ${report.totals.votes}`)
	out.push(`- ${report.rankedByVotes ? s.rankedByVotes : s.boardOrder}`)
	for (const zone of report.zones) {
		out.push('', `## ${markdownText(zone.label).replace(/\\\n/gu, ' ')}`, '')
		if (zone.question) out.push(`_${markdownText(zone.question)}_`, '')
		if (zone.scores) out.push(`**${markdownText(scoreLine(s, report.locale, zone.scores))}**`, '')
		if (zone.notes.length === 0) {
			out.push(`_${s.noNotes}_`)
			continue
		}
		if (zone.themes?.length) {
			const texts = new Map(zone.notes.map((n) => [n.id, n.text]))
			out.push(`**${s.themes}**`, '')
			zone.themes.forEach((theme, i) => {
				const notes = theme.noteIds.map((id) => markdownText(texts.get(id) ?? '').replace(/\\\n/gu, ' ')).join('; ')
				out.push(
					`${theme.rank ?? i + 1}. **${markdownText(theme.label)}** (${theme.votes} ${s.votes.toLowerCase()}): ${notes}`
				)
			})
			out.push('')
		}
		const header = [report.rankedByVotes ? s.rank : s.number, s.note, s.votes, ...(withAuthor ? [s.author] : [])]
		const align = ['---:', '---', '---:', ...(withAuthor ? ['---'] : [])]
		out.push(`| ${header.join(' | ')} |`, `| ${align.join(' | ')} |`)
		zone.notes.forEach((note, i) => {
			const cells = [
				String(noteNumber(note, i)),
				markdownTableCell(note.carriedFrom ? `${note.text} (${s.carriedFrom} ${note.carriedFrom.title})` : note.text),
				String(note.votes),
				...(withAuthor ? [markdownTableCell(note.author ?? '')] : []),
			]
			out.push(`| ${cells.join(' | ')} |`)
		})
	}
	out.push('', '---', '', `_${s.madeWith}_`, '')
	return out.join('\n')
}
