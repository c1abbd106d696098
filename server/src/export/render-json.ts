import type { ExportReport } from './report-model'

/** Renders a report as pretty-printed JSON (two-space indent, trailing newline): the {@link ExportReport} itself. */
export function renderJson(report: ExportReport): string {
	return `${JSON.stringify(report, null, 2)}\n`
}
