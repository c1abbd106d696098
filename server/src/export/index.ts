import type { BoardImage } from './render-docx'
import type { ExportReport } from './report-model'
import type { TrajectReport } from './render-traject'
export { buildReport, cleanText, isReportedNote, type ReportSource } from './build-report'
export {
	csvField,
	csvRecord,
	markdownLine,
	markdownTableCell,
	markdownText,
	neutralizeFormula,
	startsLikeFormula,
} from './escape'
export { PNG_SIGNATURE, readPngSize } from './png-info'
export { renderCsv } from './render-csv'
export type { BoardImage } from './render-docx'
export { renderJson } from './render-json'
export { renderMarkdown } from './render-markdown'
export { renderTrajectMarkdown, type TrajectReport } from './render-traject'
export {
	REPORT_FORMAT,
	REPORT_TIME_ZONE,
	REPORT_VERSION,
	noteNumber,
	reportDate,
	type ExportReport,
	type ReportLocale,
	type ReportNote,
	type ReportZone,
} from './report-model'
export { REPORT_STRINGS, templateLine, type ReportStrings } from './report-strings'
export { richTextToPlainText, shapeText } from '@kompasbord/shared/contract/rich-text'

/**
 * Renders the Word report (render-docx.ts). The docx library it uses (about 3 MB of heap, most of it the
 * library's source) is loaded on the first Word export, not when the server starts.
 */
export async function renderDocx(report: ExportReport, image?: BoardImage): Promise<Buffer> {
	const docx = await import('./render-docx')
	return docx.renderDocx(report, image)
}

/** Renders the traject report as a Word document (render-docx.ts, loaded on first use like {@link renderDocx}). */
export async function renderTrajectDocx(traject: TrajectReport): Promise<Buffer> {
	const docx = await import('./render-docx')
	return docx.renderTrajectDocx(traject)
}
