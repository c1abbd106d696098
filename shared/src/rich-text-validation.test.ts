import { describe, expect, it } from 'vitest'
import { toRichText } from '@tldraw/tlschema'
import { hasUnreadableRichText, isBoardRichText } from './rich-text-validation'

const text = (t: string, marks?: unknown[]) => ({ type: 'text', text: t, ...(marks ? { marks } : {}) })

describe('isBoardRichText', () => {
	it("accepts what tldraw's editor writes: paragraphs, headings, lists, hard breaks and its marks", () => {
		expect(isBoardRichText(toRichText('Eerste regel\nTweede regel\n\nNa een lege'))).toBe(true)
		expect(
			isBoardRichText({
				type: 'doc',
				attrs: { dir: 'auto' },
				content: [
					{ type: 'heading', attrs: { level: 2 }, content: [text('Kop', [{ type: 'bold' }])] },
					{
						type: 'bulletList',
						content: [
							{ type: 'listItem', content: [{ type: 'paragraph', content: [text('a', [{ type: 'italic' }])] }] },
						],
					},
					{ type: 'orderedList', attrs: { start: 1 }, content: [] },
					{
						type: 'paragraph',
						content: [text('x', [{ type: 'link', attrs: { href: 'https://nji.nl' } }]), { type: 'hardBreak' }],
					},
					{
						type: 'paragraph',
						content: [text('y', [{ type: 'highlight' }, { type: 'code' }, { type: 'strike' }, { type: 'underline' }])],
					},
					{ type: 'paragraph' },
				],
			})
		).toBe(true)
	})

	it('refuses node and mark types the boards do not know, and shapes Node.fromJSON cannot read', () => {
		const para = (content: unknown) => ({ type: 'doc', content: [{ type: 'paragraph', content }] })
		for (const bad of [
			{ type: 'doc', content: [{ type: 'blockquote', content: [{ type: 'paragraph' }] }] },
			{ type: 'doc', content: [{ type: 'codeBlock' }] },
			{ type: 'doc', content: [{ type: 'horizontalRule' }] },
			para([text('x', [{ type: 'superscript' }])]),
			para([text('')]),
			para([{ type: 'text' }]),
			para([{ type: 'text', text: 'x', content: [] }]),
			para([text('x', [{ type: 'bold', attrs: 'groot' }])]),
			para([text('x', { type: 'bold' } as never)]),
			para('tekst'),
			para([null]),
			{ type: 'paragraph', content: [] },
			{ type: 'doc', content: [{ type: 'doc', content: [] }] },
			{ type: 'doc', content: [], attrs: [] },
			{ type: 'doc', content: [{ type: 'paragraph', text: 'x' }] },
			null,
			'doc',
		]) {
			expect(isBoardRichText(bad), JSON.stringify(bad)).toBe(false)
		}
	})

	it('hasUnreadableRichText looks at shapes with rich text only', () => {
		const quoted = { type: 'doc', content: [{ type: 'blockquote' }] }
		expect(hasUnreadableRichText({ typeName: 'shape', props: { richText: quoted } })).toBe(true)
		expect(hasUnreadableRichText({ typeName: 'shape', props: { richText: toRichText('Goed') } })).toBe(false)
		expect(hasUnreadableRichText({ typeName: 'shape', props: { w: 10 } })).toBe(false)
		expect(hasUnreadableRichText({ typeName: 'page', props: { richText: quoted } })).toBe(false)
		expect(hasUnreadableRichText(null)).toBe(false)
	})
})
