/**
 * The traject report: one document in compass order with every board's report (its zones and notes, where each
 * carried note came from) and, in Word, each board's last kept image.
 *
 * @module
 */
import type { ExportReport, ReportLocale } from './report-model'
import { renderMarkdown } from './render-markdown'
import { REPORT_STRINGS, templateLine } from './report-strings'

/** A traject as its report shows it. */
export interface TrajectReport {
	title: string
	locale: ReportLocale
	/** `yyyy-mm-dd` of the export. */
	date: string
	/** The boards in compass order, each with its report and its last kept image (PNG), if any. */
	boards: { report: ExportReport; png: Uint8Array | null }[]
}

/** The traject report as Markdown: the traject's title and its boards, then each board's report one level down. */
export function renderTrajectMarkdown(traject: TrajectReport): string {
	const s = REPORT_STRINGS[traject.locale]
	const out: string[] = [
		`# ${s.traject}: ${traject.title.replace(/[\r\n]+/g, ' ')}`,
		'',
		`- **${s.date}:** ${traject.date}`,
	]
	out.push(`- **${s.boards}:**`)
	for (const { report } of traject.boards) {
		out.push(
			`  - ${report.title.replace(/[\r\n]+/g, ' ')} (${templateLine(s, report.template.title, report.template.bouwsteen)})`
		)
	}
	for (const { report } of traject.boards) {
		const board = renderMarkdown(report)
			.split('\n')
			// Headings one level down; the "made with" line once, at the end.
			.map((line) => (line.startsWith('#') ? `#${line}` : line))
		const end = board.lastIndexOf('---')
		out.push('', ...(end > 0 ? board.slice(0, end) : board))
	}
	out.push('---', '', `_${s.madeWith}_`, '')
	return out.join('\n')
}
