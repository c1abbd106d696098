/**
 * Escaping for the text formats of the report: Markdown (CommonMark + GFM tables) and CSV (RFC 4180), with
 * the spreadsheet formula-injection guard both need. Notes are free text typed on phones, so every note must
 * come out as literal text: no Markdown markup, no HTML, no table break-out, no formula.
 *
 * @packageDocumentation
 */

/**
 * Characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a cell as a formula when they
 * start it: `=`, `+`, `-`, `@`, and tab / carriage return (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/u

/** Whether a spreadsheet would treat `text` as a formula. */
export function startsLikeFormula(text: string): boolean {
	return FORMULA_START.test(text)
}

/**
 * Makes a cell value inert for spreadsheets: prefixes a `'` to text that starts like a formula
 * (`=SUM(A1)` → `'=SUM(A1)`, `+31 6…` → `'+31 6…`). Other text is returned unchanged.
 */
export function neutralizeFormula(text: string): string {
	return startsLikeFormula(text) ? `'${text}` : text
}

/**
 * One CSV field (RFC 4180): the text made inert for spreadsheets ({@link neutralizeFormula}), then always
 * quoted, with `"` doubled. Line breaks stay inside the quotes, as `\r\n` like the record separator.
 */
export function csvField(text: string): string {
	const safe = neutralizeFormula(text).replace(/\r\n?|\n/gu, '\r\n')
	return `"${safe.replace(/"/gu, '""')}"`
}

/** One CSV record from already-formatted fields. Records end with CRLF (RFC 4180). */
export function csvRecord(fields: readonly string[]): string {
	return `${fields.join(',')}\r\n`
}

/**
 * ASCII punctuation that starts inline Markdown or HTML anywhere in a line: backslash, code, emphasis, links
 * and images, raw HTML and entities, GFM tables and strikethrough.
 */
const MARKDOWN_INLINE = /[\\`*_[\]<>|~&]/gu

/**
 * What starts a block construct at the beginning of a line: headings, lists, block quotes, setext underlines,
 * thematic breaks, fenced code (``` is covered inline); `@` too, so that a formula-looking note stays visibly
 * literal when a Markdown table is pasted into a spreadsheet. Leading spaces are kept before the escape.
 */
const MARKDOWN_LINE_START = /^(\s*)([#+\-=>@])/u
/** An ordered-list marker at the beginning of a line: `1.` or `1)`. */
const MARKDOWN_ORDERED = /^(\s*\d{1,9})([.)])/u

/**
 * Escapes one line of text so CommonMark/GFM renders it literally (backslash escapes work for every ASCII
 * punctuation character).
 */
export function markdownLine(line: string): string {
	return line
		.replace(MARKDOWN_INLINE, (ch) => `\\${ch}`)
		.replace(MARKDOWN_LINE_START, (_all, space: string, ch: string) => `${space}\\${ch}`)
		.replace(MARKDOWN_ORDERED, (_all, num: string, ch: string) => `${num}\\${ch}`)
}

/**
 * Escapes text for a paragraph or heading: each line escaped with {@link markdownLine}; line breaks become
 * hard breaks (a trailing backslash) so the text keeps its lines.
 */
export function markdownText(text: string): string {
	return text
		.split(/\r\n?|\n/u)
		.map(markdownLine)
		.join('\\\n')
}

/**
 * Escapes text for one cell of a GFM table: every line escaped (so `|` cannot end the cell), line breaks as
 * `<br>` (the only line break a table cell has), and the whole trimmed so the row stays one line.
 */
export function markdownTableCell(text: string): string {
	return text
		.split(/\r\n?|\n/u)
		.map((line) => markdownLine(line.trim()))
		.join('<br>')
}
