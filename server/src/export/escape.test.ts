import { describe, expect, it } from 'vitest'
import { csvField, csvRecord, markdownLine, markdownTableCell, markdownText, neutralizeFormula } from './escape'

describe('neutralizeFormula', () => {
	it('prefixes a quote to text a spreadsheet would run', () => {
		expect(neutralizeFormula('=SUM(A1)')).toBe("'=SUM(A1)")
		expect(neutralizeFormula('+31 6 1234')).toBe("'+31 6 1234")
		expect(neutralizeFormula('-x')).toBe("'-x")
		expect(neutralizeFormula('@y')).toBe("'@y")
		expect(neutralizeFormula('\tz')).toBe("'\tz")
		expect(neutralizeFormula('gewoon = tekst')).toBe('gewoon = tekst')
	})
})

describe('csvField', () => {
	it('quotes, doubles quotes, keeps line breaks inside the quotes and neutralizes formulas', () => {
		expect(csvField('a,b')).toBe('"a,b"')
		expect(csvField('zei "ja"')).toBe('"zei ""ja"""')
		expect(csvField('een\ntwee')).toBe('"een\r\ntwee"')
		expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"')
		expect(csvRecord(['"a"', '1'])).toBe('"a",1\r\n')
	})
})

describe('markdown escaping', () => {
	it('escapes inline markup, HTML and table pipes', () => {
		expect(markdownLine('a | b')).toBe('a \\| b')
		expect(markdownLine('*vet* _schuin_ `code` [link](x) <b>&amp;')).toBe(
			'\\*vet\\* \\_schuin\\_ \\`code\\` \\[link\\](x) \\<b\\>\\&amp;'
		)
		expect(markdownLine('C:\\pad')).toBe('C:\\\\pad')
	})

	it('escapes block markers at the start of a line only', () => {
		expect(markdownLine('# kop')).toBe('\\# kop')
		expect(markdownLine('- lijst')).toBe('\\- lijst')
		expect(markdownLine('+31')).toBe('\\+31')
		expect(markdownLine('=SUM(A1)')).toBe('\\=SUM(A1)')
		expect(markdownLine('@y')).toBe('\\@y')
		expect(markdownLine('> citaat')).toBe('\\> citaat')
		expect(markdownLine('12. punt')).toBe('12\\. punt')
		expect(markdownLine('a - b = c')).toBe('a - b = c')
	})

	it('keeps lines: hard breaks in text, <br> in table cells', () => {
		expect(markdownText('een\n- twee')).toBe('een\\\n\\- twee')
		expect(markdownTableCell(' een |\n=twee ')).toBe('een \\|<br>\\=twee')
		expect(markdownTableCell('<br>')).toBe('\\<br\\>')
	})
})
