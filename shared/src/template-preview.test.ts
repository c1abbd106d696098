import { describe, expect, it } from 'vitest'
import { resolveTemplateZones, type Template } from './template-schema'
import { escapeXml, templatePreviewSvg } from './template-preview'

const L = (nl: string, en: string) => ({ nl, en })
const wording = {
	label: L('Zone <1> & "twee"', 'Zone <1> & "two"'),
	question: L('Vraag?', 'Question?'),
	hint: L('Tip', 'Tip'),
}

function fixture(): Template {
	return structuredClone({
		id: 'voorbeeld',
		title: L("Do's & <don'ts>", "Dos & <don'ts>"),
		bouwsteen: '6',
		description: L('Proef.', 'Trial.'),
		typography: { title: 60, label: 40, question: 24, hint: 20 },
		zones: [
			{ id: 'een', ...wording, x: 0, y: 0, w: 600, h: 500, colour: 'green' },
			{ id: 'twee', ...wording, x: 800, y: 0, w: 600, h: 500, colour: 'red' },
		],
		matrix: {
			x: 0,
			y: 700,
			w: 1400,
			rowHeaderWidth: 300,
			headerHeight: 300,
			rowHeight: 200,
			gapX: 20,
			gapY: 100,
			columns: {
				min: 1,
				max: 4,
				default: 3,
				idPattern: 'resultaat-{n}',
				label: L('Resultaat {n}', 'Result {n}'),
				question: L('Welk?', 'Which?'),
				hint: L('Tip', 'Tip'),
				colour: 'violet',
			},
			rows: [{ id: 'rij', label: L('Rij', 'Row'), shortLabel: L('Rij', 'Row'), colour: 'blue' }],
			cell: { ...wording, label: L('{row} {column}', '{row} {column}'), colour: 'black' },
		},
		sections: [{ id: 'stap', title: L('Stap', 'Step'), x: -20, y: -20, w: 1440, h: 540, colour: 'light-blue' }],
		arrows: [{ from: 'een', to: 'twee' }],
		cards: [{ id: 'kaart', body: L('tekst', 'text'), x: 1600, y: 0, w: 300, h: 300, colour: 'yellow' }],
	} satisfies Template) as Template
}

function count(svg: string, pattern: RegExp): number {
	return svg.match(pattern)?.length ?? 0
}

describe('templatePreviewSvg', () => {
	it('draws exactly one rect per zone, for every column count', () => {
		for (const columns of [1, 2, 3, 4]) {
			const svg = templatePreviewSvg(fixture(), { columns })
			const zones = resolveTemplateZones(fixture(), { columns })
			expect(count(svg, /<rect data-zone="/g)).toBe(zones.length)
			for (const z of zones) expect(svg).toContain(`<rect data-zone="${z.id}"`)
		}
	})

	it('draws the decoration: one section, one card, one row header and an arrow head', () => {
		const svg = templatePreviewSvg(fixture())
		expect(count(svg, /data-kind="section"/g)).toBe(1)
		expect(count(svg, /data-kind="card"/g)).toBe(1)
		expect(count(svg, /data-kind="row"/g)).toBe(1)
		expect(count(svg, /<line /g)).toBe(1)
	})

	it('is a well-formed, accessible SVG with escaped text and the requested width', () => {
		const svg = templatePreviewSvg(fixture(), { width: 200, locale: 'en' })
		expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
		expect(svg.endsWith('</svg>')).toBe(true)
		expect(svg).toContain('width="200"')
		expect(svg).toContain('role="img" aria-label="Dos &#38; &#60;don&#39;ts&#62;"')
		expect(svg).toContain('<title>Zone &#60;1&#62; &#38; &#34;two&#34;</title>')
		expect(svg).not.toMatch(/<don/)
		const height = Number(/height="(\d+)"/.exec(svg)![1])
		expect(height).toBeGreaterThan(50)
		expect(height).toBeLessThan(200)
	})

	it("returns a summary's ready-made preview and refuses a summary without one", () => {
		const summary = { id: 'x', title: L('X', 'X'), bouwsteen: null, zones: [] }
		expect(templatePreviewSvg({ ...summary, preview: '<svg/>' })).toBe('<svg/>')
		expect(() => templatePreviewSvg(summary)).toThrow(TypeError)
	})

	it('escapes the five XML specials', () => {
		expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;')
	})
})
