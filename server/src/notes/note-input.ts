import { MAX_AUTHOR_NAME, MAX_NOTE_TEXT } from '@kompasbord/shared/contract/limits'
import { TEMPLATE_COLOURS } from '@kompasbord/shared/template-schema'
import type { TLDefaultColorStyle } from '@tldraw/tlschema'
import { httpError } from '../http/errors'

export { MAX_AUTHOR_NAME, MAX_NOTE_TEXT }
/** The colour of a note sent without one. */
export const DEFAULT_NOTE_COLOR: TLDefaultColorStyle = 'yellow'
/**
 * tldraw's colour palette: the colours a note may have (tldraw's `DefaultColorStyle.values`, the list templates use;
 * the server does not load tldraw's schema package for it, see rooms/tldraw-schema.ts).
 */
export const NOTE_COLORS: readonly TLDefaultColorStyle[] = TEMPLATE_COLOURS

// The bodies' schemas are the contract's (`@kompasbord/shared/contract/schemas`: NoteBody, NotePatch, …).

/** Number of Unicode code points (what a person counts as characters, emoji included). */
export function characterCount(text: string): number {
	let n = 0
	for (const _ of text) n++
	return n
}

/**
 * A note's text as stored: line endings unified, control characters other than newline and tab removed,
 * trimmed. Throws 400 `empty_text` when nothing is left and 400 `text_too_long` above {@link MAX_NOTE_TEXT}.
 */
export function normalizeNoteText(raw: string): string {
	// eslint-disable-next-line no-control-regex
	const text = raw
		.replace(/\r\n?/g, '\n')
		.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
		.trim()
	if (text === '') throw httpError(400, 'empty_text', 'The note has no text')
	if (characterCount(text) > MAX_NOTE_TEXT) {
		throw httpError(400, 'text_too_long', `A note holds at most ${MAX_NOTE_TEXT} characters`)
	}
	return text
}

/** A colour of tldraw's palette, or {@link DEFAULT_NOTE_COLOR}; throws 400 `invalid_color` for anything else. */
export function normalizeNoteColor(raw: string | undefined): TLDefaultColorStyle {
	if (raw === undefined) return DEFAULT_NOTE_COLOR
	const color = NOTE_COLORS.find((c) => c === raw)
	if (!color) throw httpError(400, 'invalid_color', `Unknown colour "${raw}"; use one of ${NOTE_COLORS.join(', ')}`)
	return color
}

/** A first name as stored: single-spaced, trimmed, at most {@link MAX_AUTHOR_NAME} characters; null when empty. */
export function normalizeAuthorName(raw: string | undefined): string | null {
	if (raw === undefined) return null
	// eslint-disable-next-line no-control-regex
	const name = raw
		.replace(/[\u0000-\u001F\u007F]/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
	if (name === '') return null
	return [...name].slice(0, MAX_AUTHOR_NAME).join('')
}
