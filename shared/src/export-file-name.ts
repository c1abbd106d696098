/**
 * File names of everything Kompasbord exports: `kompasbord-<title>-<yyyy-mm-dd>.<ext>`, the same in the browser
 * (board images) and on the server (reports).
 *
 * @packageDocumentation
 */

/** Longest title part of a file name, in characters. */
export const FILE_TITLE_MAX = 60

/** The title part used when a title has no letters or digits at all. */
export const FILE_TITLE_FALLBACK = 'bord'

/**
 * A title as a file-name part: lowercase ASCII letters, digits and single dashes (`Veranderverhaal Één!` →
 * `veranderverhaal-een`), at most {@link FILE_TITLE_MAX} characters, {@link FILE_TITLE_FALLBACK} when nothing
 * is left. Safe on every file system and in a `Content-Disposition` header.
 */
export function fileTitle(title: string): string {
	const slug = title
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/gu, '-')
		.replace(/^-+|-+$/gu, '')
		.slice(0, FILE_TITLE_MAX)
		.replace(/-+$/u, '')
	return slug || FILE_TITLE_FALLBACK
}

/** `yyyy-mm-dd` of a moment in the local time of the machine running this. */
export function localDate(moment: Date = new Date()): string {
	const pad = (n: number) => String(n).padStart(2, '0')
	return `${moment.getFullYear()}-${pad(moment.getMonth() + 1)}-${pad(moment.getDate())}`
}

/**
 * The file name of an export: `kompasbord-<title>-<yyyy-mm-dd>.<ext>`.
 * @param title - the session title (made safe with {@link fileTitle})
 * @param date - `yyyy-mm-dd`
 * @param ext - extension without the dot: `png`, `svg`, `docx`, `md`, `csv`, `json`
 */
export function exportFileName(title: string, date: string, ext: string): string {
	return `kompasbord-${fileTitle(title)}-${date}.${ext}`
}
