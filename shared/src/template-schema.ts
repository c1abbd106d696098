/**
 * The data format of a board template (one JSON file per template in `templates/`), and the pure functions
 * that turn a template into the concrete zones of a room.
 *
 * A template is laid out in board units (tldraw page units at zoom 1). It has:
 * - `zones`: fixed zones, each drawn as one tldraw frame where participants put sticky notes;
 * - `matrix` (optional): a grid generated from rows × result columns (the activity matrix), so that one data
 *   file covers 1 to 4 columns: column header zones `resultaat-{n}` and cell zones `<row>:<n>`;
 * - decoration: `sections` (titled background panels grouping zones), `texts` (titles), `arrows` between
 *   zones, and `cards` (reference cards and footnotes).
 *
 * Everything here is pure and browser-safe; loading the files from disk lives in `templates/index.ts`.
 *
 * @packageDocumentation
 */
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/** The locales every template string is written in. Dutch is the source language. */
export const LOCALES = ['nl', 'en'] as const
/** One of {@link LOCALES}. */
export type Locale = (typeof LOCALES)[number]

/**
 * The tldraw colour names a template may use (tldraw's default colour style values). Used for frames,
 * labels, panels and cards.
 */
export const TEMPLATE_COLOURS = [
	'black',
	'grey',
	'light-violet',
	'violet',
	'blue',
	'light-blue',
	'yellow',
	'orange',
	'green',
	'light-green',
	'light-red',
	'red',
	'white',
] as const

/** Pattern of a template id and of a fixed zone id or matrix row id: lowercase words joined by `-`. */
export const TEMPLATE_ID_PATTERN = '^[a-z0-9]+(-[a-z0-9]+)*$'

const Id = Type.String({ pattern: TEMPLATE_ID_PATTERN, maxLength: 64 })
const NonEmpty = Type.String({ minLength: 1, pattern: '\\S' })
const Coordinate = Type.Number({ minimum: -100000, maximum: 100000 })
const Extent = Type.Number({ exclusiveMinimum: 0, maximum: 100000 })

/** A string in every locale of {@link LOCALES}; none may be empty. */
export const LocalizedTextSchema = Type.Object({ nl: NonEmpty, en: NonEmpty }, { additionalProperties: false })
/** @see LocalizedTextSchema */
export type LocalizedText = Static<typeof LocalizedTextSchema>

/** A colour from {@link TEMPLATE_COLOURS}. */
export const TemplateColourSchema = Type.Union(TEMPLATE_COLOURS.map((c) => Type.Literal(c)))
/** @see TemplateColourSchema */
export type TemplateColour = (typeof TEMPLATE_COLOURS)[number]

/**
 * How a zone's frame header is drawn: `full` draws the label, the guiding question and the hint inside the
 * top of the frame; `compact` draws nothing inside (the label shows only as the frame's name) — used for
 * matrix cells, whose row and column headers already say what goes in them.
 */
export const ZoneHeaderSchema = Type.Union([Type.Literal('full'), Type.Literal('compact')])
/** @see ZoneHeaderSchema */
export type ZoneHeader = Static<typeof ZoneHeaderSchema>

/**
 * How the worksheet marks a hint, in both languages: the hint text starts with the mark and a colon
 * ("Voorbeeld: …", "Tip: …", "Advies: …"). A hint is always from the same worksheet page as its zone.
 */
export const HINT_MARKS = {
	nl: ['Voorbeeld', 'Voorbeelden', 'Tip', 'Tips', 'Advies', 'Adviezen'],
	en: ['Example', 'Examples', 'Tip', 'Tips', 'Advice'],
} as const

/** A hint: a localized text that starts with one of {@link HINT_MARKS} and a colon. */
export const HintSchema = Type.Object(
	{
		nl: Type.String({ pattern: `^(${HINT_MARKS.nl.join('|')}): \\S` }),
		en: Type.String({ pattern: `^(${HINT_MARKS.en.join('|')}): \\S` }),
	},
	{ additionalProperties: false }
)

/**
 * The words every zone carries: its label, the worksheet's guiding question, and optionally a hint (an example,
 * tip or advice the worksheet gives on the same page).
 */
const ZoneWording = {
	label: LocalizedTextSchema,
	/** The guiding question under the label; absent when the label itself is the worksheet's question. */
	question: Type.Optional(LocalizedTextSchema),
	hint: Type.Optional(HintSchema),
}

/** A fixed zone: one frame at a fixed place on the board. */
export const ZoneSchema = Type.Object(
	{
		id: Id,
		...ZoneWording,
		x: Coordinate,
		y: Coordinate,
		w: Extent,
		h: Extent,
		colour: TemplateColourSchema,
		header: Type.Optional(ZoneHeaderSchema),
	},
	{ additionalProperties: false }
)
/** @see ZoneSchema */
export type TemplateZone = Static<typeof ZoneSchema>

/** A row of the generated matrix. Cell zone ids are `<row id>:<column number>`. */
export const MatrixRowSchema = Type.Object(
	{
		id: Id,
		/** The row header as the worksheet words it. */
		label: LocalizedTextSchema,
		/** A short name used in cell labels ("Preventie · Resultaat 2"). */
		shortLabel: LocalizedTextSchema,
		/** Overrides the matrix cell question for this row's cells. */
		question: Type.Optional(LocalizedTextSchema),
		/** Overrides the matrix cell hint for this row's cells. */
		hint: Type.Optional(HintSchema),
		/** A footnote for the row, drawn below the matrix and marked with `*` on the row header. */
		footnote: Type.Optional(LocalizedTextSchema),
		colour: TemplateColourSchema,
	},
	{ additionalProperties: false }
)
/** @see MatrixRowSchema */
export type MatrixRow = Static<typeof MatrixRowSchema>

/**
 * The result columns of the matrix. Column `n` (1-based) has the header zone `idPattern` with `{n}` replaced,
 * labelled `label` with `{n}` replaced.
 */
export const MatrixColumnsSchema = Type.Object(
	{
		min: Type.Integer({ minimum: 1, maximum: 12 }),
		max: Type.Integer({ minimum: 1, maximum: 12 }),
		default: Type.Integer({ minimum: 1, maximum: 12 }),
		idPattern: Type.String({ pattern: '^[a-z0-9-]*\\{n\\}[a-z0-9-]*$' }),
		label: LocalizedTextSchema,
		question: Type.Optional(LocalizedTextSchema),
		hint: Type.Optional(HintSchema),
		colour: TemplateColourSchema,
	},
	{ additionalProperties: false }
)
/** @see MatrixColumnsSchema */
export type MatrixColumns = Static<typeof MatrixColumnsSchema>

/**
 * A matrix generated from rows × result columns. It occupies a fixed rectangle whatever the column count:
 * the columns share the width to the right of the row headers.
 */
export const MatrixSchema = Type.Object(
	{
		/** Zone id after which the matrix zones come in worksheet order; absent: after all fixed zones. */
		after: Type.Optional(Id),
		x: Coordinate,
		y: Coordinate,
		/** Total width, row header column included. */
		w: Extent,
		rowHeaderWidth: Extent,
		/** Font size of the row headers (board units); default the template's label size. */
		rowLabelSize: Type.Optional(Type.Number({ minimum: 8, maximum: 1000 })),
		/** Height of the row of result column header zones. */
		headerHeight: Extent,
		rowHeight: Extent,
		/** Horizontal gap between columns (and between the row headers and the first column). */
		gapX: Type.Number({ minimum: 0, maximum: 10000 }),
		/** Vertical gap between rows. */
		gapY: Type.Number({ minimum: 0, maximum: 10000 }),
		/** Vertical gap between the result column headers and the first row (room for a line of text); default `gapY`. */
		headerGapY: Type.Optional(Type.Number({ minimum: 0, maximum: 10000 })),
		columns: MatrixColumnsSchema,
		rows: Type.Array(MatrixRowSchema, { minItems: 1, maxItems: 20 }),
		cell: Type.Object(
			{
				/** Cell label; `{row}` is the row's short label, `{column}` the column's label. */
				label: LocalizedTextSchema,
				question: LocalizedTextSchema,
				hint: Type.Optional(HintSchema),
				colour: TemplateColourSchema,
			},
			{ additionalProperties: false }
		),
	},
	{ additionalProperties: false }
)
/** @see MatrixSchema */
export type TemplateMatrix = Static<typeof MatrixSchema>

/** A titled background panel that groups zones into one worksheet step (e.g. "Gezamenlijk ordenen en prioriteren"). */
export const SectionSchema = Type.Object(
	{
		id: Id,
		title: LocalizedTextSchema,
		intro: Type.Optional(LocalizedTextSchema),
		x: Coordinate,
		y: Coordinate,
		w: Extent,
		h: Extent,
		colour: TemplateColourSchema,
	},
	{ additionalProperties: false }
)
/** @see SectionSchema */
export type TemplateSection = Static<typeof SectionSchema>

/** Text roles; their font sizes come from the template's {@link TypographySchema}. */
export const TextRoleSchema = Type.Union([
	Type.Literal('title'),
	Type.Literal('label'),
	Type.Literal('question'),
	Type.Literal('hint'),
])
/** @see TextRoleSchema */
export type TextRole = Static<typeof TextRoleSchema>

/** A free text on the board (the board title, a step's instruction). Its height follows from its wording. */
export const TextSchema = Type.Object(
	{
		id: Id,
		text: LocalizedTextSchema,
		role: TextRoleSchema,
		x: Coordinate,
		y: Coordinate,
		w: Extent,
		colour: Type.Optional(TemplateColourSchema),
	},
	{ additionalProperties: false }
)
/** @see TextSchema */
export type TemplateText = Static<typeof TextSchema>

/** An arrow from one zone's frame towards another's, drawn between their facing edges. */
export const ArrowSchema = Type.Object(
	{
		from: Type.String({ minLength: 1 }),
		to: Type.String({ minLength: 1 }),
		colour: Type.Optional(TemplateColourSchema),
	},
	{ additionalProperties: false }
)
/** @see ArrowSchema */
export type TemplateArrow = Static<typeof ArrowSchema>

/** A reference card or footnote: a filled box with an optional bold title and lines of text (`• ` for bullets). */
export const CardSchema = Type.Object(
	{
		id: Id,
		title: Type.Optional(LocalizedTextSchema),
		/** Paragraphs separated by `\n`. */
		body: LocalizedTextSchema,
		x: Coordinate,
		y: Coordinate,
		w: Extent,
		h: Extent,
		colour: TemplateColourSchema,
		role: Type.Optional(Type.Union([Type.Literal('question'), Type.Literal('hint')])),
	},
	{ additionalProperties: false }
)
/** @see CardSchema */
export type TemplateCard = Static<typeof CardSchema>

/**
 * Font sizes in board units (px at zoom 1) per text role. Large boards need large type to read on a projector
 * at zoom-to-fit.
 */
export const TypographySchema = Type.Object(
	{
		title: Type.Number({ minimum: 8, maximum: 1000 }),
		label: Type.Number({ minimum: 8, maximum: 1000 }),
		question: Type.Number({ minimum: 8, maximum: 1000 }),
		hint: Type.Number({ minimum: 8, maximum: 1000 }),
	},
	{ additionalProperties: false }
)
/** @see TypographySchema */
export type Typography = Static<typeof TypographySchema>

/**
 * The size of sticky notes placed in the template's zones (from phones, or revealed after silent writing), as
 * tldraw note scales (a note is 200 × 200 board units at scale 1). A new note gets `scale`; when its zone is
 * full the zone grows, and only when it cannot grow further do notes get smaller, never below `minScale`.
 */
export const NoteSizingSchema = Type.Object(
	{
		scale: Type.Number({ minimum: 0.1, maximum: 4 }),
		minScale: Type.Number({ minimum: 0.1, maximum: 4 }),
		/** How much taller than in the template a zone may grow before its new notes get smaller (1.5: by half). */
		growth: Type.Number({ minimum: 1, maximum: 10 }),
	},
	{ additionalProperties: false }
)
/** @see NoteSizingSchema */
export type NoteSizing = Static<typeof NoteSizingSchema>

/**
 * Carrying results forward in a traject: which zone of this template takes notes from which zones of an earlier
 * board (data, not code). `into` is one of this template's zones, or the matrix's column id pattern (e.g.
 * `resultaat-{n}`): then each carried note heads a result column of its own, and a board created with them gets
 * as many columns as notes (within the template's range). Notes come in the order of the earlier board's report:
 * most votes first once it had a voting round, else its reading order.
 */
export const CarryRuleSchema = Type.Object(
	{
		into: Type.String({ minLength: 1, maxLength: 100 }),
		from: Type.Object(
			{
				template: Type.String({ pattern: TEMPLATE_ID_PATTERN }),
				zones: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1 }),
			},
			{ additionalProperties: false }
		),
		/** What is carried, as the facilitator sees it before ticking ("Ambities uit bouwsteen 1-B"). */
		label: LocalizedTextSchema,
	},
	{ additionalProperties: false }
)
/** @see CarryRuleSchema */
export type CarryRule = Static<typeof CarryRuleSchema>

/**
 * A score round the template offers (the worksheet's tip to give each part a mark): the facilitator starts it,
 * each participant gives every part a whole mark from `min` to `max` on the phone, the board shows the spread per
 * part. `parts` are zones of the template, in the order the phone asks them; the board draws a part's spread in
 * the band of {@link SCORE_BAND_HEIGHT} board units right below its frame, which the layout keeps free.
 */
export const ScoreRoundSchema = Type.Object(
	{
		parts: Type.Array(Id, { minItems: 1, maxItems: 12 }),
		min: Type.Integer({ minimum: 0, maximum: 100 }),
		max: Type.Integer({ minimum: 1, maximum: 100 }),
	},
	{ additionalProperties: false }
)
/** @see ScoreRoundSchema */
export type ScoreRoundSpec = Static<typeof ScoreRoundSchema>

/** The most marks a score scale may have (`max - min + 1`): one bar each in the board's histogram. */
export const MAX_SCORE_STEPS = 11

/** Height of the band under a scored zone's frame where the board draws its spread (board units). */
export const SCORE_BAND_HEIGHT = 300

/** A template data file. */
export const TemplateSchema = Type.Object(
	{
		id: Id,
		title: LocalizedTextSchema,
		/** The worksheet's building block ("3-A", "3-B", "6"); null for a template that is no worksheet (blanco). */
		bouwsteen: Type.Union([Type.String({ pattern: '^[0-9](-[A-Z])?$' }), Type.Null()]),
		description: LocalizedTextSchema,
		typography: TypographySchema,
		notes: Type.Optional(NoteSizingSchema),
		zones: Type.Array(ZoneSchema),
		matrix: Type.Optional(MatrixSchema),
		sections: Type.Optional(Type.Array(SectionSchema)),
		texts: Type.Optional(Type.Array(TextSchema)),
		arrows: Type.Optional(Type.Array(ArrowSchema)),
		cards: Type.Optional(Type.Array(CardSchema)),
		carryForward: Type.Optional(Type.Array(CarryRuleSchema)),
		scoreRound: Type.Optional(ScoreRoundSchema),
	},
	{ additionalProperties: false }
)
/** A validated template (see {@link parseTemplate}). */
export type Template = Static<typeof TemplateSchema>

/** Which kind of zone a {@link ResolvedZone} is. */
export type ZoneKind = 'zone' | 'column' | 'cell'

/** A zone of a room: its wording and its frame's rectangle in page coordinates. */
export interface ResolvedZone {
	id: string
	kind: ZoneKind
	label: LocalizedText
	question?: LocalizedText
	/** The worksheet's example, tip or advice for this zone, when its page gives one. */
	hint?: LocalizedText
	colour: TemplateColour
	header: ZoneHeader
	x: number
	y: number
	w: number
	h: number
	/** For a matrix cell: its row id. */
	row?: string
	/** For a matrix column header or cell: its column number (1-based). */
	column?: number
}

/** The template list's entries are the contract's (`GET /api/templates`, `./contract/schemas`). */
export type { ColumnRange, TemplateSummary } from './contract/schemas'
import type { ColumnRange, TemplateSummary } from './contract/schemas'

/** Options for {@link resolveTemplateZones} and the record builders. */
export interface ZoneOptions {
	/** Number of matrix result columns; defaults to the template's default. Ignored without a matrix. */
	columns?: number
}

/** Error thrown by {@link parseTemplate}; `problems` lists every schema or consistency error found. */
export class TemplateError extends Error {
	/** Every problem found, one line each. */
	readonly problems: readonly string[]
	constructor(source: string, problems: readonly string[]) {
		super(`Invalid template ${source}:\n  ${problems.join('\n  ')}`)
		this.name = 'TemplateError'
		this.problems = problems
	}
}

/** Each carry-forward rule must lead into a zone of the template (or its matrix's result columns). */
function carryRuleProblems(template: Template): string[] {
	const zoneIds = new Set(resolveTemplateZones(template).map((z) => z.id))
	return (template.carryForward ?? []).flatMap((rule, i) =>
		zoneIds.has(rule.into) || rule.into === template.matrix?.columns.idPattern
			? []
			: [`/carryForward/${i}/into: unknown zone "${rule.into}"`]
	)
}

/** A score round's parts must be distinct fixed zones, its scale at least two and at most {@link MAX_SCORE_STEPS} marks. */
function scoreRoundProblems(template: Template): string[] {
	const round = template.scoreRound
	if (!round) return []
	const problems: string[] = []
	const steps = round.max - round.min + 1
	if (steps < 2 || steps > MAX_SCORE_STEPS) {
		problems.push(
			`/scoreRound: expected 2 to ${MAX_SCORE_STEPS} marks from min to max, got ${round.min} to ${round.max}`
		)
	}
	round.parts.forEach((part, i) => {
		if (!template.zones.some((z) => z.id === part)) problems.push(`/scoreRound/parts/${i}: unknown zone "${part}"`)
		if (round.parts.indexOf(part) !== i) problems.push(`/scoreRound/parts/${i}: duplicate part "${part}"`)
	})
	return problems
}

/**
 * Lists every problem of a template data file: schema violations first, then consistency problems
 * (duplicate zone ids, arrows to unknown zones, a column range that does not hold its default).
 * An empty list means the data is a valid {@link Template}.
 */
export function templateProblems(data: unknown): string[] {
	if (!Value.Check(TemplateSchema, data)) {
		return [...Value.Errors(TemplateSchema, data)].slice(0, 20).map((e) => `${e.path || '/'}: ${e.message}`)
	}
	const template = data as Template
	const problems: string[] = []
	const m = template.matrix
	if (m) {
		const c = m.columns
		if (!(c.min <= c.default && c.default <= c.max)) {
			problems.push(`/matrix/columns: expected min <= default <= max, got ${c.min}, ${c.default}, ${c.max}`)
		}
		if (m.after !== undefined && !template.zones.some((z) => z.id === m.after)) {
			problems.push(`/matrix/after: unknown zone "${m.after}"`)
		}
		const rowIds = new Set<string>()
		for (const row of m.rows) {
			if (rowIds.has(row.id)) problems.push(`/matrix/rows: duplicate row id "${row.id}"`)
			rowIds.add(row.id)
		}
		if (m.w - m.rowHeaderWidth - m.gapX * c.max <= 0) {
			problems.push(`/matrix/w: no room for ${c.max} columns`)
		}
	}
	problems.push(...carryRuleProblems(template))
	problems.push(...scoreRoundProblems(template))
	if (problems.length > 0) return problems
	// Zones must be unique, and arrows must find their zones, for every column count the template allows.
	const counts: (number | undefined)[] = []
	if (m) for (let c = m.columns.min; c <= m.columns.max; c++) counts.push(c)
	else counts.push(undefined)
	const zoneIdsPerCount = counts.map((c) => resolveTemplateZones(template, { columns: c }).map((z) => z.id))
	for (const list of zoneIdsPerCount) {
		const dup = list.find((id, i) => list.indexOf(id) !== i)
		if (dup !== undefined && !problems.some((p) => p.includes(`"${dup}"`))) {
			problems.push(`/zones: duplicate zone id "${dup}"`)
		}
	}
	const itemIds = new Set<string>()
	for (const [kind, list] of [
		['sections', template.sections ?? []],
		['texts', template.texts ?? []],
		['cards', template.cards ?? []],
	] as const) {
		for (const item of list) {
			if (itemIds.has(`${kind}:${item.id}`)) problems.push(`/${kind}: duplicate id "${item.id}"`)
			itemIds.add(`${kind}:${item.id}`)
		}
	}
	for (const [i, arrow] of (template.arrows ?? []).entries()) {
		for (const end of [arrow.from, arrow.to]) {
			if (!zoneIdsPerCount.every((list) => list.includes(end))) {
				problems.push(`/arrows/${i}: unknown zone "${end}"`)
			}
		}
		if (arrow.from === arrow.to) problems.push(`/arrows/${i}: an arrow needs two different zones`)
	}
	return problems
}

/**
 * Validates template data and returns it typed. Throws a {@link TemplateError} listing every problem.
 * @param data - parsed JSON of a template file.
 * @param source - where the data came from, for the error message (a file name).
 */
export function parseTemplate(data: unknown, source = 'template'): Template {
	const problems = templateProblems(data)
	if (problems.length > 0) throw new TemplateError(source, problems)
	return data as Template
}

/** The range of result columns of a template with a matrix; undefined for other templates. */
export function templateColumnRange(template: Template): ColumnRange | undefined {
	const c = template.matrix?.columns
	return c ? { min: c.min, max: c.max, default: c.default } : undefined
}

/**
 * The number of result columns a room gets: `requested` if given (it must be an integer within the
 * template's range, else a RangeError), else the template's default; 0 for a template without a matrix.
 */
export function resolveColumnCount(template: Template, requested?: number): number {
	const range = templateColumnRange(template)
	if (!range) return 0
	if (requested === undefined) return range.default
	if (!Number.isInteger(requested) || requested < range.min || requested > range.max) {
		throw new RangeError(`Template ${template.id} takes ${range.min} to ${range.max} result columns, not ${requested}`)
	}
	return requested
}

/** Replaces `{name}` placeholders in every locale of a localized text. */
export function fillText(text: LocalizedText, values: Record<string, LocalizedText | string | number>): LocalizedText {
	const fill = (locale: Locale): string =>
		text[locale].replace(/\{(\w+)\}/g, (all, name: string) => {
			const value = values[name]
			if (value === undefined) return all
			return typeof value === 'object' ? value[locale] : String(value)
		})
	return { nl: fill('nl'), en: fill('en') }
}

/** The zone id of the header of result column `n`. */
export function matrixColumnZoneId(matrix: TemplateMatrix, n: number): string {
	return matrix.columns.idPattern.replace('{n}', String(n))
}

/** The zone id of a matrix cell: `<row>:<column>`, e.g. `preventie:2`. */
export function matrixCellZoneId(rowId: string, column: number): string {
	return `${rowId}:${column}`
}

/** Geometry of a generated matrix for a given column count, in page coordinates. */
export interface MatrixGeometry {
	columnWidth: number
	/** Left edge of each column (index 0 is column 1). */
	columnX: number[]
	/** Top edge of each row. */
	rowY: number[]
	/** Bottom edge of the last row. */
	bottom: number
}

/** Computes where the columns and rows of a matrix go for `columns` result columns. */
export function matrixGeometry(matrix: TemplateMatrix, columns: number): MatrixGeometry {
	const columnWidth = (matrix.w - matrix.rowHeaderWidth - matrix.gapX * columns) / columns
	const columnX: number[] = []
	for (let i = 0; i < columns; i++) {
		columnX.push(matrix.x + matrix.rowHeaderWidth + matrix.gapX + i * (columnWidth + matrix.gapX))
	}
	const rowY: number[] = []
	let y = matrix.y + matrix.headerHeight + (matrix.headerGapY ?? matrix.gapY)
	for (let i = 0; i < matrix.rows.length; i++) {
		rowY.push(y)
		y += matrix.rowHeight + matrix.gapY
	}
	return { columnWidth, columnX, rowY, bottom: y - matrix.gapY }
}

function matrixZones(matrix: TemplateMatrix, columns: number): ResolvedZone[] {
	const g = matrixGeometry(matrix, columns)
	const zones: ResolvedZone[] = []
	const columnLabels: LocalizedText[] = []
	for (let n = 1; n <= columns; n++) {
		const label = fillText(matrix.columns.label, { n })
		columnLabels.push(label)
		zones.push({
			id: matrixColumnZoneId(matrix, n),
			kind: 'column',
			label,
			question: matrix.columns.question && fillText(matrix.columns.question, { n }),
			hint: matrix.columns.hint && fillText(matrix.columns.hint, { n }),
			colour: matrix.columns.colour,
			header: 'full',
			x: g.columnX[n - 1],
			y: matrix.y,
			w: g.columnWidth,
			h: matrix.headerHeight,
			column: n,
		})
	}
	matrix.rows.forEach((row, r) => {
		for (let n = 1; n <= columns; n++) {
			zones.push({
				id: matrixCellZoneId(row.id, n),
				kind: 'cell',
				label: fillText(matrix.cell.label, { row: row.shortLabel, column: columnLabels[n - 1] }),
				question: row.question ?? matrix.cell.question,
				hint: row.hint ?? matrix.cell.hint,
				colour: matrix.cell.colour,
				header: 'compact',
				x: g.columnX[n - 1],
				y: g.rowY[r],
				w: g.columnWidth,
				h: matrix.rowHeight,
				row: row.id,
				column: n,
			})
		}
	})
	return zones
}

/**
 * The concrete zones of a room made from `template`, in worksheet order (the order exports list them):
 * fixed zones in file order, with the matrix zones (column headers, then cells row by row) inserted after
 * `matrix.after`. Throws a RangeError for a column count outside the template's range.
 */
export function resolveTemplateZones(template: Template, options: ZoneOptions = {}): ResolvedZone[] {
	const fixed: ResolvedZone[] = template.zones.map((z) => ({
		id: z.id,
		kind: 'zone',
		label: z.label,
		question: z.question,
		hint: z.hint,
		colour: z.colour,
		header: z.header ?? 'full',
		x: z.x,
		y: z.y,
		w: z.w,
		h: z.h,
	}))
	const m = template.matrix
	if (!m) return fixed
	const generated = matrixZones(m, resolveColumnCount(template, options.columns))
	const at = m.after === undefined ? fixed.length : fixed.findIndex((z) => z.id === m.after) + 1
	return [...fixed.slice(0, at), ...generated, ...fixed.slice(at)]
}

/** The `GET /api/templates` entry of a template: zones for the default column count, plus the column range. */
export function templateSummary(template: Template): TemplateSummary {
	const summary: TemplateSummary = {
		id: template.id,
		title: template.title,
		bouwsteen: template.bouwsteen,
		zones: resolveTemplateZones(template).map((z) => ({ id: z.id, label: z.label })),
	}
	const columns = templateColumnRange(template)
	if (columns) summary.columns = columns
	return summary
}
