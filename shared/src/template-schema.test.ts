import { describe, expect, it } from 'vitest'
import {
	fillText,
	parseTemplate,
	resolveColumnCount,
	resolveTemplateZones,
	TemplateError,
	templateProblems,
	templateSummary,
	type Template,
} from './template-schema'

const L = (nl: string, en: string) => ({ nl, en })
const wording = { label: L('Label', 'Label'), question: L('Vraag?', 'Question?'), hint: L('Tip: kort', 'Tip: short') }

/** A small valid template with a matrix of 2 rows and 1–3 columns, inserted after `top`. */
function matrixTemplate(): Template {
	return structuredClone({
		id: 'proef',
		title: L('Proef', 'Trial'),
		bouwsteen: '3-B',
		description: L('Een proef.', 'A trial.'),
		typography: { title: 60, label: 40, question: 24, hint: 20 },
		zones: [
			{ id: 'top', ...wording, x: 0, y: 0, w: 1000, h: 400, colour: 'blue' },
			{ id: 'end', ...wording, x: 1200, y: 0, w: 600, h: 600, colour: 'green' },
		],
		matrix: {
			after: 'top',
			x: 0,
			y: 500,
			w: 1000,
			rowHeaderWidth: 200,
			headerHeight: 300,
			rowHeight: 200,
			gapX: 20,
			gapY: 50,
			columns: {
				min: 1,
				max: 3,
				default: 2,
				idPattern: 'res-{n}',
				label: L('Resultaat {n}', 'Result {n}'),
				question: L('Resultaat {n}?', 'Result {n}?'),
				hint: L('Tip: {n}', 'Tip: {n}'),
				colour: 'violet',
			},
			rows: [
				{ id: 'a', label: L('Rij A', 'Row A'), shortLabel: L('A', 'A'), colour: 'grey' },
				{
					id: 'b',
					label: L('Rij B', 'Row B'),
					shortLabel: L('B', 'B'),
					question: L('Eigen vraag?', 'Own question?'),
					footnote: L('Voetnoot', 'Footnote'),
					colour: 'grey',
				},
			],
			cell: { ...wording, label: L('{row} · {column}', '{row} · {column}'), colour: 'black' },
		},
		arrows: [{ from: 'top', to: 'end' }],
	} satisfies Template) as Template
}

describe('template schema', () => {
	it('accepts a valid template and returns it typed', () => {
		const t = matrixTemplate()
		expect(templateProblems(t)).toEqual([])
		expect(parseTemplate(t)).toBe(t)
	})

	it('rejects missing and empty translations, naming the path', () => {
		const t = matrixTemplate() as unknown as { zones: { label: Record<string, string> }[] }
		t.zones[0].label.en = ''
		const problems = templateProblems(t)
		expect(problems.some((p) => p.startsWith('/zones/0/label/en'))).toBe(true)
		delete (t.zones[0].label as Record<string, string>).en
		expect(() => parseTemplate(t, 'proef.json')).toThrow(TemplateError)
		expect(() => parseTemplate(t, 'proef.json')).toThrow(/proef\.json/)
	})

	it('rejects unknown properties, bad ids and unknown colours', () => {
		expect(templateProblems({ ...matrixTemplate(), extra: 1 })).not.toEqual([])
		expect(templateProblems({ ...matrixTemplate(), id: 'Met Spatie' })).not.toEqual([])
		const t = matrixTemplate()
		;(t.zones[0] as { colour: string }).colour = 'pink'
		expect(templateProblems(t)).not.toEqual([])
		const withColon = matrixTemplate()
		withColon.zones[0].id = 'a:1'
		expect(templateProblems(withColon)).not.toEqual([])
	})

	it('finds duplicate zone ids, also against generated matrix zones at any column count', () => {
		const t = matrixTemplate()
		t.zones[1].id = 'top'
		expect(templateProblems(t)).toContain('/zones: duplicate zone id "top"')
		const clash = matrixTemplate()
		clash.zones[1].id = 'res-3'
		expect(templateProblems(clash)).toContain('/zones: duplicate zone id "res-3"')
	})

	it('finds arrows to zones that do not exist at every column count', () => {
		const t = matrixTemplate()
		t.arrows = [{ from: 'top', to: 'nergens' }]
		expect(templateProblems(t)).toContain('/arrows/0: unknown zone "nergens"')
		const column = matrixTemplate()
		column.arrows = [{ from: 'top', to: 'res-3' }]
		expect(templateProblems(column)).toContain('/arrows/0: unknown zone "res-3"')
		column.arrows = [{ from: 'top', to: 'res-1' }]
		expect(templateProblems(column)).toEqual([])
	})

	it('checks the column range holds its default and fits the matrix width', () => {
		const t = matrixTemplate()
		t.matrix!.columns.default = 5
		expect(templateProblems(t).join()).toMatch(/min <= default <= max/)
		const narrow = matrixTemplate()
		narrow.matrix!.w = 250
		expect(templateProblems(narrow).join()).toMatch(/no room for 3 columns/)
		const after = matrixTemplate()
		after.matrix!.after = 'onbekend'
		expect(templateProblems(after)).toContain('/matrix/after: unknown zone "onbekend"')
	})

	it('checks a score round: fixed zones, each once, a scale of 2 to 11 marks', () => {
		const t = matrixTemplate()
		t.scoreRound = { parts: ['top', 'end'], min: 1, max: 10 }
		expect(templateProblems(t)).toEqual([])
		t.scoreRound = { parts: ['top', 'res-1', 'top'], min: 1, max: 10 }
		expect(templateProblems(t)).toEqual([
			'/scoreRound/parts/1: unknown zone "res-1"',
			'/scoreRound/parts/2: duplicate part "top"',
		])
		t.scoreRound = { parts: ['top'], min: 1, max: 12 }
		expect(templateProblems(t).join()).toMatch(/2 to 11 marks/)
		t.scoreRound = { parts: ['top'], min: 5, max: 5 }
		expect(templateProblems(t).join()).toMatch(/2 to 11 marks/)
		expect(templateProblems({ ...matrixTemplate(), scoreRound: { parts: [], min: 1, max: 10 } })).not.toEqual([])
	})
})

describe('resolveTemplateZones', () => {
	it('inserts the matrix zones after `after`: column headers, then cells row by row', () => {
		const zones = resolveTemplateZones(matrixTemplate(), { columns: 2 })
		expect(zones.map((z) => z.id)).toEqual(['top', 'res-1', 'res-2', 'a:1', 'a:2', 'b:1', 'b:2', 'end'])
	})

	it('uses the default column count and fills labels and row overrides', () => {
		const zones = resolveTemplateZones(matrixTemplate())
		const res2 = zones.find((z) => z.id === 'res-2')!
		expect(res2).toMatchObject({ kind: 'column', column: 2, label: L('Resultaat 2', 'Result 2'), header: 'full' })
		const b1 = zones.find((z) => z.id === 'b:1')!
		expect(b1).toMatchObject({ kind: 'cell', row: 'b', column: 1, header: 'compact' })
		expect(b1.label).toEqual(L('B · Resultaat 1', 'B · Result 1'))
		expect(b1.question).toEqual(L('Eigen vraag?', 'Own question?'))
		expect(zones.find((z) => z.id === 'a:1')!.question).toEqual(wording.question)
	})

	it('shares the matrix width between the columns, the same rectangle for every count', () => {
		for (const columns of [1, 2, 3]) {
			const zones = resolveTemplateZones(matrixTemplate(), { columns })
			const headers = zones.filter((z) => z.kind === 'column')
			expect(headers).toHaveLength(columns)
			expect(headers[0].x).toBe(0 + 200 + 20)
			const last = headers[columns - 1]
			expect(last.x + last.w).toBeCloseTo(1000)
			const cells = zones.filter((z) => z.row === 'b')
			expect(cells.every((c) => c.y === 500 + 300 + 50 + 200 + 50 && c.h === 200)).toBe(true)
		}
	})

	it('rejects column counts outside the range', () => {
		const t = matrixTemplate()
		expect(() => resolveTemplateZones(t, { columns: 0 })).toThrow(RangeError)
		expect(() => resolveTemplateZones(t, { columns: 4 })).toThrow(/1 to 3/)
		expect(() => resolveColumnCount(t, 1.5)).toThrow(RangeError)
		expect(resolveColumnCount(t)).toBe(2)
	})

	it('ignores columns for a template without matrix', () => {
		const t = matrixTemplate()
		delete t.matrix
		expect(resolveColumnCount(t, 99)).toBe(0)
		expect(resolveTemplateZones(t, { columns: 99 }).map((z) => z.id)).toEqual(['top', 'end'])
	})
})

describe('templateSummary and fillText', () => {
	it('lists the default column count zones and the column range', () => {
		const s = templateSummary(matrixTemplate())
		expect(s).toEqual({
			id: 'proef',
			title: L('Proef', 'Trial'),
			bouwsteen: '3-B',
			zones: expect.any(Array),
			columns: { min: 1, max: 3, default: 2 },
		})
		expect(s.zones[1]).toEqual({ id: 'res-1', label: L('Resultaat 1', 'Result 1') })
		expect(s.zones).toHaveLength(8)
		const plain = matrixTemplate()
		delete plain.matrix
		expect('columns' in templateSummary(plain)).toBe(false)
	})

	it('fills placeholders per locale and leaves unknown ones', () => {
		expect(fillText(L('{a} en {b} {c}', '{a} and {b} {c}'), { a: 1, b: L('twee', 'two') })).toEqual(
			L('1 en twee {c}', '1 and two {c}')
		)
	})
})
