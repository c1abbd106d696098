import { describe, expect, it } from 'vitest'
import { dispositionFileName } from './download'

describe('dispositionFileName', () => {
	it('reads the file name the server sends', () => {
		expect(dispositionFileName('attachment; filename="kompasbord-sessie-2025-06-13.docx"')).toBe(
			'kompasbord-sessie-2025-06-13.docx'
		)
		expect(dispositionFileName('attachment; FILENAME="a.md"')).toBe('a.md')
	})

	it('gives null without one', () => {
		expect(dispositionFileName(null)).toBeNull()
		expect(dispositionFileName('inline')).toBeNull()
	})
})
