import { describe, expect, it } from 'vitest'
import { exportFileName, fileTitle, localDate } from './export-file-name'

describe('export file names', () => {
	it('makes a safe title part', () => {
		expect(fileTitle('Veranderverhaal Gemeente Één')).toBe('veranderverhaal-gemeente-een')
		expect(fileTitle('  Do’s & don’ts: "school" / wijk  ')).toBe('do-s-don-ts-school-wijk')
		expect(fileTitle('../../etc/passwd')).toBe('etc-passwd')
		expect(fileTitle('🙂 ?!')).toBe('bord')
		expect(fileTitle(`${'a'.repeat(59)} b`)).toBe('a'.repeat(59))
	})

	it('builds kompasbord-<title>-<date>.<ext>', () => {
		expect(exportFileName('Sessie 3-A', '2025-03-14', 'png')).toBe('kompasbord-sessie-3-a-2025-03-14.png')
		expect(localDate(new Date(2025, 0, 5, 23, 59))).toBe('2025-01-05')
	})
})
