import { toRichText } from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { plainTextToRichText, richTextToPlainText, shapeText } from './rich-text'

describe('plainTextToRichText', () => {
	it("makes what tldraw's toRichText makes", () => {
		for (const text of ['', 'Hallo', 'een\ntwee', 'eerste\n\nna lege regel', '\n', ' spatie ', 'ü €\t|']) {
			expect(plainTextToRichText(text)).toEqual(toRichText(text))
		}
	})
})

describe('richTextToPlainText', () => {
	it('round-trips what toRichText made, line breaks included', () => {
		for (const text of ['Hallo', 'een\ntwee', 'a | b "c"', '=SUM(A1)', 'eerste\n\nna lege regel']) {
			expect(richTextToPlainText(toRichText(text))).toBe(text)
		}
	})

	it('turns hard breaks into line breaks and drops marks', () => {
		const doc = {
			type: 'doc',
			content: [
				{
					type: 'paragraph',
					content: [
						{ type: 'text', text: 'vet', marks: [{ type: 'bold' }] },
						{ type: 'hardBreak' },
						{ type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://x' } }] },
					],
				},
				{ type: 'paragraph', content: [{ type: 'text', text: 'tweede alinea' }] },
			],
		}
		expect(richTextToPlainText(doc)).toBe('vet\nlink\ntweede alinea')
	})

	it('writes bullets and numbers for lists', () => {
		const item = (text: string) => ({
			type: 'listItem',
			content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
		})
		const doc = {
			type: 'doc',
			content: [
				{ type: 'bulletList', content: [item('a'), item('b')] },
				{ type: 'orderedList', attrs: { start: 3 }, content: [item('c'), item('d')] },
			],
		}
		expect(richTextToPlainText(doc)).toBe('• a\n• b\n3. c\n4. d')
	})

	it('drops trailing empty paragraphs and survives malformed input', () => {
		expect(
			richTextToPlainText({
				type: 'doc',
				content: [{ type: 'paragraph', content: [{ type: 'text', text: 'x' }] }, { type: 'paragraph' }],
			})
		).toBe('x')
		expect(richTextToPlainText(null)).toBe('')
		expect(richTextToPlainText('tekst')).toBe('')
		expect(
			richTextToPlainText({ type: 'doc', content: [42, null, { type: 'text', text: 7 }, { type: 'text', text: 'ok' }] })
		).toBe('ok')
		let deep: Record<string, unknown> = { type: 'text', text: 'diep' }
		for (let i = 0; i < 10_000; i++) deep = { type: 'paragraph', content: [deep] }
		expect(() => richTextToPlainText({ type: 'doc', content: [deep] })).not.toThrow()
	})
})

describe('shapeText', () => {
	it('reads richText, else a legacy text prop', () => {
		expect(shapeText({ richText: toRichText('nieuw') })).toBe('nieuw')
		expect(shapeText({ text: 'oud\n' })).toBe('oud')
		expect(shapeText(undefined)).toBe('')
	})
})
