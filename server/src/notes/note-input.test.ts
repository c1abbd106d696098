import { DefaultColorStyle } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { HttpError } from '../http/errors'
import {
	MAX_AUTHOR_NAME,
	MAX_NOTE_TEXT,
	NOTE_COLORS,
	characterCount,
	normalizeAuthorName,
	normalizeNoteColor,
	normalizeNoteText,
} from './note-input'

function codeOf(fn: () => unknown): string | undefined {
	try {
		fn()
	} catch (error) {
		if (error instanceof HttpError) return error.code
		throw error
	}
	return undefined
}

describe('NOTE_COLORS', () => {
	it("is tldraw's colour palette (DefaultColorStyle), in its order", () => {
		expect(NOTE_COLORS).toEqual(DefaultColorStyle.values)
	})
})

describe('normalizeNoteText', () => {
	it('trims, unifies line endings and drops control characters', () => {
		expect(normalizeNoteText('  Hallo\r\nwereld\u0007 \t')).toBe('Hallo\nwereld')
	})

	it('refuses empty text and text above the limit, counting characters not UTF-16 units', () => {
		expect(codeOf(() => normalizeNoteText(' \n\t '))).toBe('empty_text')
		expect(normalizeNoteText('x'.repeat(MAX_NOTE_TEXT))).toHaveLength(MAX_NOTE_TEXT)
		expect(codeOf(() => normalizeNoteText('x'.repeat(MAX_NOTE_TEXT + 1)))).toBe('text_too_long')
		// 500 emoji are 1000 UTF-16 units but 500 characters.
		const emoji = '🙂'.repeat(MAX_NOTE_TEXT)
		expect(characterCount(emoji)).toBe(MAX_NOTE_TEXT)
		expect(normalizeNoteText(`  ${emoji}  `)).toBe(emoji)
	})
})

describe('normalizeNoteColor', () => {
	it('accepts tldraw’s palette and defaults to yellow', () => {
		expect(NOTE_COLORS).toContain('light-green')
		for (const c of NOTE_COLORS) expect(normalizeNoteColor(c)).toBe(c)
		expect(normalizeNoteColor(undefined)).toBe('yellow')
	})

	it('refuses anything else', () => {
		for (const c of ['pink', '#ff0000', 'Yellow', '']) expect(codeOf(() => normalizeNoteColor(c))).toBe('invalid_color')
	})
})

describe('normalizeAuthorName', () => {
	it('single-spaces, trims, shortens, and turns empty into null', () => {
		expect(normalizeAuthorName('  Anne \n Marie ')).toBe('Anne Marie')
		expect(normalizeAuthorName('   ')).toBeNull()
		expect(normalizeAuthorName(undefined)).toBeNull()
		expect(normalizeAuthorName('x'.repeat(100))).toHaveLength(MAX_AUTHOR_NAME)
	})
})
