/**
 * Turns a template into the tldraw records of a fresh room: the document record, the page, and the
 * template's structure shapes (zone frames with their header texts, section panels, titles, reference cards,
 * matrix row headers, footnotes and arrows).
 *
 * Pure and deterministic: the same template and options always give the same records with the same ids, so
 * a client can, for example, re-label the structure in another locale by id. The layout step
 * ({@link layoutBoard}) is exposed separately for the picker preview and for layout tests.
 *
 * @packageDocumentation
 */
import type {
	TLArrowShape,
	TLDocument,
	TLFrameShape,
	TLGeoShape,
	TLPage,
	TLPageId,
	TLRecord,
	TLRichText,
	TLShape,
	TLShapeId,
	TLTextShape,
} from '@tldraw/tlschema'
import { plainTextToRichText } from './contract/rich-text'
import { DOCUMENT_ID, PAGE_ID, STRUCTURE_KIND } from './doc-layout'
import {
	resolveColumnCount,
	resolveTemplateZones,
	matrixGeometry,
	type Locale,
	type LocalizedText,
	type NoteSizing,
	type ResolvedZone,
	type Template,
	type TemplateColour,
	type TextRole,
	type Typography,
	type ZoneOptions,
} from './template-schema'

/** tldraw's base font size in px; its size styles are multiples of it. */
const BASE_FONT = 16
/** Font size multipliers of tldraw text shapes per size style (tldraw's FONT_SIZES). */
export const TEXT_FONT_SIZES = { s: 18, m: 24, l: 36, xl: 44 } as const
/** Font sizes of labels in geo shapes per size style (tldraw's LABEL_FONT_SIZES × 16). */
export const GEO_LABEL_FONT_SIZES = { s: 18, m: 22, l: 26, xl: 32 } as const
/** Padding of a geo shape's label at scale 1 (tldraw's LABEL_PADDING). */
const GEO_LABEL_PADDING = 16
/** tldraw's text line height. */
export const TEXT_LINE_HEIGHT = 1.35
/**
 * Average advance of one character in em for tldraw's sans font (IBM Plex Sans Medium), rounded up so that
 * estimated text heights err on the tall side.
 */
export const CHAR_WIDTH_EM = 0.6

/** The tldraw size style and scale each text role is drawn with. */
const ROLE_STYLE: Record<TextRole, { size: 's' | 'm' | 'xl'; bold: boolean }> = {
	title: { size: 'xl', bold: true },
	label: { size: 'xl', bold: true },
	question: { size: 'm', bold: false },
	hint: { size: 's', bold: false },
}

/** Note sizing of a template that does not set its own `notes`. */
export const DEFAULT_NOTE_SIZING: NoteSizing = { scale: 0.5, minScale: 0.3, growth: 1.5 }

/** Prefix of every structure shape id: `shape:kb-…`. */
export const STRUCTURE_ID_PREFIX = 'kb-'

/**
 * The deterministic tldraw id of a zone's frame: `shape:kb-zone-<zone id>`, with the `:` of matrix cell ids
 * replaced by `_` (zone ids never contain `_`), e.g. `shape:kb-zone-preventie_2`.
 */
export function zoneFrameId(zoneId: string): TLShapeId {
	return `shape:${STRUCTURE_ID_PREFIX}zone-${zoneId.replace(/:/g, '_')}` as TLShapeId
}

function structureId(...parts: string[]): TLShapeId {
	return `shape:${STRUCTURE_ID_PREFIX}${parts.map((p) => p.replace(/:/g, '_')).join('-')}` as TLShapeId
}

/**
 * Estimated number of lines `text` wraps to at `fontPx` in a box `width` wide, by greedy word wrap with
 * {@link CHAR_WIDTH_EM}. Paragraphs are separated by `\n`; an empty paragraph is one line.
 */
export function estimateTextLines(text: string, fontPx: number, width: number): number {
	const perLine = Math.max(1, Math.floor(width / (fontPx * CHAR_WIDTH_EM)))
	let lines = 0
	for (const paragraph of text.split('\n')) {
		let current = 0
		lines += 1
		for (const word of paragraph.split(/\s+/).filter(Boolean)) {
			let length = word.length
			if (current > 0 && current + 1 + length <= perLine) {
				current += 1 + length
				continue
			}
			if (current > 0) lines += 1
			// A word longer than a line breaks over several lines.
			while (length > perLine) {
				lines += 1
				length -= perLine
			}
			current = length
		}
	}
	return lines
}

/** Estimated height in board units of `text` at `fontPx` wrapped in a box `width` wide (see {@link estimateTextLines}). */
export function estimateTextHeight(text: string, fontPx: number, width: number): number {
	return Math.ceil(estimateTextLines(text, fontPx, width) * fontPx * TEXT_LINE_HEIGHT)
}

/** Estimated height of a localized text in the board's language (boards are sized for the language shown). */
function heightIn(locale: Locale, text: LocalizedText, fontPx: number, width: number): number {
	return estimateTextHeight(text[locale], fontPx, width)
}

/** Inner padding of a zone frame's header and of a section panel, from the template's question size. */
export function headerPadding(typography: Typography): number {
	return Math.max(16, Math.round(typography.question * 0.6))
}

/** A text placed by the layout. `h` is the estimated height in the board's language. */
export interface LaidText {
	role: TextRole
	text: string
	x: number
	y: number
	w: number
	h: number
	colour: TemplateColour
}

/** A zone with its header texts (frame-relative positions) and the height its header takes. */
export interface LaidZone extends ResolvedZone {
	/** Height of the header area at the top of the frame; notes go below it. */
	headerHeight: number
	/** Header texts in frame coordinates (empty for a compact header). */
	texts: { part: 'label' | 'question' | 'hint'; text: LaidText }[]
}

/** A background panel with its title and intro (page coordinates). */
export interface LaidSection {
	id: string
	x: number
	y: number
	w: number
	h: number
	colour: TemplateColour
	headerHeight: number
	title: LaidText
	intro?: LaidText
}

/** A filled box with text: a reference card or a matrix row header. */
export interface LaidBox {
	id: string
	kind: 'card' | 'row'
	x: number
	y: number
	w: number
	h: number
	colour: TemplateColour
	role: TextRole
	/** Font size of the box's text (board units). */
	fontPx: number
	title?: string
	body: string
	/** Estimated height of the box's text (padding included); at most `h` in a sound layout. */
	contentHeight: number
}

/** An arrow in page coordinates. */
export interface LaidArrow {
	id: string
	from: string
	to: string
	start: { x: number; y: number }
	end: { x: number; y: number }
	colour: TemplateColour
}

/** Everything a board shows, placed: the output of {@link layoutBoard}. */
export interface BoardLayout {
	templateId: string
	locale: Locale
	/** Result columns of the matrix (0 without a matrix). */
	columns: number
	zones: LaidZone[]
	sections: LaidSection[]
	/** Free texts: titles, instructions, matrix footnotes. */
	texts: (LaidText & { id: string })[]
	boxes: LaidBox[]
	arrows: LaidArrow[]
	/** The rectangle holding everything (page coordinates). */
	bounds: { x: number; y: number; w: number; h: number }
}

/** Options of {@link layoutBoard} and {@link createBoardRecords}. */
export interface BoardOptions extends ZoneOptions {
	/** The language the board is written in; default `nl`. */
	locale?: Locale
}

function layZoneHeader(zone: ResolvedZone, typography: Typography, locale: Locale): LaidZone {
	if (zone.header === 'compact') return { ...zone, headerHeight: 0, texts: [] }
	const pad = headerPadding(typography)
	const width = zone.w - 2 * pad
	const gap = Math.round(typography.question * 0.4)
	const parts: { part: 'label' | 'question' | 'hint'; role: TextRole; text: LocalizedText; colour: TemplateColour }[] =
		[{ part: 'label', role: 'label', text: zone.label, colour: zone.colour }]
	if (zone.question) parts.push({ part: 'question', role: 'question', text: zone.question, colour: 'black' })
	if (zone.hint) parts.push({ part: 'hint', role: 'hint', text: zone.hint, colour: 'grey' })
	let y = pad
	const texts: LaidZone['texts'] = []
	for (const p of parts) {
		// The header is sized for the language the board is written in (a Dutch board has no English-sized gaps).
		const h = estimateTextHeight(p.text[locale], typography[p.role], width)
		texts.push({ part: p.part, text: { role: p.role, text: p.text[locale], x: pad, y, w: width, h, colour: p.colour } })
		y += h + gap
	}
	return { ...zone, headerHeight: y - gap + Math.round(pad / 2), texts }
}

/** A colour strong enough for text on a light panel: `light-blue` → `blue`, `white`/`yellow` → `black`. */
function strongColour(colour: TemplateColour): TemplateColour {
	if (colour === 'white' || colour === 'yellow') return 'black'
	return colour.startsWith('light-') ? (colour.slice('light-'.length) as TemplateColour) : colour
}

function rectEdgePoint(
	rect: { x: number; y: number; w: number; h: number },
	towards: { x: number; y: number }
): { x: number; y: number } {
	const cx = rect.x + rect.w / 2
	const cy = rect.y + rect.h / 2
	const dx = towards.x - cx
	const dy = towards.y - cy
	const tx = dx === 0 ? Infinity : rect.w / 2 / Math.abs(dx)
	const ty = dy === 0 ? Infinity : rect.h / 2 / Math.abs(dy)
	const t = Math.min(tx, ty)
	return { x: cx + dx * t, y: cy + dy * t }
}

function round(n: number): number {
	return Math.round(n * 100) / 100
}

/**
 * Lays out a template for a room: the concrete zones (with header heights), sections, texts, boxes and
 * arrows, all in page coordinates except zone header texts (frame coordinates). Text heights are estimates
 * (in the board's language: headers fit the language shown). Zone and panel rectangles come from the template
 * and are the same in every language.
 */
export function layoutBoard(template: Template, options: BoardOptions = {}): BoardLayout {
	const locale = options.locale ?? 'nl'
	const t = template.typography
	const columns = resolveColumnCount(template, options.columns)
	const pad = headerPadding(t)
	const zones = resolveTemplateZones(template, { columns }).map((z) => layZoneHeader(z, t, locale))

	const sections: LaidSection[] = (template.sections ?? []).map((s) => {
		const width = s.w - 2 * pad
		// A panel's heading reads like a zone label (the board's own title is the one in `title` size).
		const titleH = heightIn(locale, s.title, t.label, width)
		const title: LaidText = {
			role: 'label',
			text: s.title[locale],
			x: s.x + pad,
			y: s.y + pad,
			w: width,
			h: titleH,
			colour: strongColour(s.colour),
		}
		let headerHeight = pad + titleH
		let intro: LaidText | undefined
		if (s.intro) {
			const y = s.y + headerHeight + Math.round(t.question * 0.4)
			const h = heightIn(locale, s.intro, t.question, width)
			intro = { role: 'question', text: s.intro[locale], x: s.x + pad, y, w: width, h, colour: 'black' }
			headerHeight = y + h - s.y
		}
		return {
			id: s.id,
			x: s.x,
			y: s.y,
			w: s.w,
			h: s.h,
			colour: s.colour,
			headerHeight: headerHeight + pad,
			title,
			intro,
		}
	})

	const texts: BoardLayout['texts'] = (template.texts ?? []).map((x) => ({
		id: x.id,
		role: x.role,
		text: x.text[locale],
		x: x.x,
		y: x.y,
		w: x.w,
		h: heightIn(locale, x.text, t[x.role], x.w),
		colour: x.colour ?? 'black',
	}))

	const boxes: LaidBox[] = (template.cards ?? []).map((c) => {
		const role = c.role ?? 'hint'
		const inner = c.w - 2 * GEO_LABEL_PADDING * (t[role] / GEO_LABEL_FONT_SIZES.s)
		const body = heightIn(locale, c.body, t[role], inner)
		const title = c.title ? heightIn(locale, c.title, t[role], inner) : 0
		return {
			id: c.id,
			kind: 'card',
			x: c.x,
			y: c.y,
			w: c.w,
			h: c.h,
			colour: c.colour,
			role,
			fontPx: t[role],
			title: c.title?.[locale],
			body: c.body[locale],
			contentHeight: Math.ceil(body + title + 2 * GEO_LABEL_PADDING * (t[role] / GEO_LABEL_FONT_SIZES.s)),
		}
	})

	const m = template.matrix
	if (m) {
		const g = matrixGeometry(m, columns)
		let footY = g.bottom + Math.round(t.hint)
		m.rows.forEach((row, r) => {
			const label: LocalizedText = row.footnote ? { nl: `${row.label.nl} *`, en: `${row.label.en} *` } : row.label
			const fontPx = m.rowLabelSize ?? t.label
			const scale = fontPx / GEO_LABEL_FONT_SIZES.xl
			const inner = m.rowHeaderWidth - 2 * GEO_LABEL_PADDING * scale
			boxes.push({
				id: row.id,
				kind: 'row',
				x: m.x,
				y: g.rowY[r],
				w: m.rowHeaderWidth,
				h: m.rowHeight,
				colour: row.colour,
				role: 'label',
				fontPx,
				body: label[locale],
				contentHeight: Math.ceil(heightIn(locale, label, fontPx, inner) + 2 * GEO_LABEL_PADDING * scale),
			})
			if (row.footnote) {
				const text: LocalizedText = { nl: `* ${row.footnote.nl}`, en: `* ${row.footnote.en}` }
				const h = heightIn(locale, text, t.hint, m.w)
				texts.push({
					id: `footnote-${row.id}`,
					role: 'hint',
					text: text[locale],
					x: m.x,
					y: footY,
					w: m.w,
					h,
					colour: 'black',
				})
				footY += h + Math.round(t.hint / 2)
			}
		})
	}

	const byId = new Map(zones.map((z) => [z.id, z]))
	const arrows: LaidArrow[] = (template.arrows ?? []).map((a) => {
		const from = byId.get(a.from)!
		const to = byId.get(a.to)!
		const fromCentre = { x: from.x + from.w / 2, y: from.y + from.h / 2 }
		const toCentre = { x: to.x + to.w / 2, y: to.y + to.h / 2 }
		const p = rectEdgePoint(from, toCentre)
		const q = rectEdgePoint(to, fromCentre)
		const len = Math.hypot(q.x - p.x, q.y - p.y) || 1
		const margin = Math.min(pad, len / 4)
		const ux = (q.x - p.x) / len
		const uy = (q.y - p.y) / len
		return {
			id: `${a.from}-${a.to}`,
			from: a.from,
			to: a.to,
			start: { x: round(p.x + ux * margin), y: round(p.y + uy * margin) },
			end: { x: round(q.x - ux * margin), y: round(q.y - uy * margin) },
			colour: a.colour ?? 'black',
		}
	})

	const rects: { x: number; y: number; w: number; h: number }[] = [...zones, ...sections, ...texts, ...boxes]
	const minX = Math.min(...rects.map((r) => r.x))
	const minY = Math.min(...rects.map((r) => r.y))
	const maxX = Math.max(...rects.map((r) => r.x + r.w))
	const maxY = Math.max(...rects.map((r) => r.y + r.h))
	return {
		templateId: template.id,
		locale,
		columns,
		zones,
		sections,
		texts,
		boxes,
		arrows,
		bounds: { x: minX, y: minY, w: maxX - minX, h: maxY - minY },
	}
}

/**
 * Rich text for a box: an optional bold title paragraph, then one paragraph per line of `body`.
 */
export function boxRichText(title: string | undefined, body: string): TLRichText {
	const paragraphs = plainTextToRichText(body).content as unknown[]
	if (title) {
		paragraphs.unshift({ type: 'paragraph', content: [{ type: 'text', text: title, marks: [{ type: 'bold' }] }] })
	}
	return { type: 'doc', content: paragraphs }
}

function boldRichText(text: string): TLRichText {
	return {
		type: 'doc',
		content: text
			.split('\n')
			.map((line) =>
				line
					? { type: 'paragraph', content: [{ type: 'text', text: line, marks: [{ type: 'bold' }] }] }
					: { type: 'paragraph' }
			),
	}
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * The `n`-th (0-based) integer fractional index key: `a0` … `az`, then `b00` … `bzz`, then `c000` … — valid
 * tldraw `index` values that sort in `n` order (the integers of tldraw's fractional indexing).
 */
export function indexKey(n: number): TLShape['index'] {
	if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`index key number must be a natural number, got ${n}`)
	let digits = 1
	let rest = n
	while (rest >= 62 ** digits) {
		rest -= 62 ** digits
		digits += 1
	}
	let out = ''
	for (let i = 0; i < digits; i++) {
		out = BASE62[rest % 62] + out
		rest = Math.floor(rest / 62)
	}
	return (String.fromCharCode(97 + digits - 1) + out) as TLShape['index']
}

/**
 * An index key that sorts above every key in `keys` (tldraw fractional index keys, e.g. of a frame's
 * children): the integer key after the largest integer part found. Use it to put a new note on top.
 */
export function indexKeyAbove(keys: Iterable<string>): TLShape['index'] {
	let best = -1
	for (const key of keys) {
		const digits = key.charCodeAt(0) - 96
		if (digits < 1 || digits > 26 || key.length < digits + 1) continue
		let position = 0
		for (let d = 1; d < digits; d++) position += 62 ** d
		let value = 0
		for (let i = 1; i <= digits; i++) value = value * 62 + Math.max(0, BASE62.indexOf(key[i]))
		best = Math.max(best, position + value)
	}
	return indexKey(best + 1)
}

/** What {@link createBoardRecords} writes in `meta` of every structure shape. */
export interface StructureMeta {
	kind: typeof STRUCTURE_KIND
	templateId: string
	/** Only on zone frames. */
	zoneId?: string
	/** Only on zone frames: height of the header area at the top of the frame, where notes must not go. */
	headerHeight?: number
	/** Only on zone frames: the scale new notes get, and the smallest they may shrink to (the template's `notes`). */
	noteScale?: number
	minNoteScale?: number
	/** Only on zone frames: how tall the frame may grow before new notes get smaller. */
	growLimitH?: number
	/** What the shape is: `zone`, `label`, `question`, `hint`, `section`, `title`, `intro`, `text`, `card`, `row`, `arrow`. */
	part: string
	[key: string]: string | number | undefined
}

interface ShapeCommon {
	id: TLShapeId
	parentId: TLShapeId | TLPageId
	index: TLShape['index']
	x: number
	y: number
	isLocked: boolean
	meta: StructureMeta
}

function common(c: ShapeCommon) {
	return {
		id: c.id,
		typeName: 'shape' as const,
		x: round(c.x),
		y: round(c.y),
		rotation: 0,
		index: c.index,
		parentId: c.parentId,
		isLocked: c.isLocked,
		opacity: 1,
		meta: c.meta as unknown as TLShape['meta'],
	}
}

function textShape(c: ShapeCommon, text: LaidText, typography: Typography): TLTextShape {
	const style = ROLE_STYLE[text.role]
	const scale = typography[text.role] / TEXT_FONT_SIZES[style.size]
	return {
		...common(c),
		type: 'text',
		props: {
			color: text.colour,
			size: style.size,
			font: 'sans',
			textAlign: 'start',
			w: round(text.w / scale),
			richText: style.bold ? boldRichText(text.text) : plainTextToRichText(text.text),
			scale: round(scale * 10000) / 10000,
			autoSize: false,
		},
	} as TLTextShape
}

function geoShape(
	c: ShapeCommon,
	box: { w: number; h: number; colour: TemplateColour },
	richText: TLRichText,
	opts: {
		fill: 'semi' | 'solid' | 'none'
		scale: number
		size: 's' | 'xl'
		verticalAlign: 'start' | 'middle'
		labelColour: TemplateColour
	}
): TLGeoShape {
	return {
		...common(c),
		type: 'geo',
		props: {
			geo: 'rectangle',
			dash: 'solid',
			url: '',
			w: round(box.w),
			h: round(box.h),
			growY: 0,
			scale: round(opts.scale * 10000) / 10000,
			flipX: false,
			flipY: false,
			labelColor: opts.labelColour,
			color: box.colour,
			fill: opts.fill,
			size: opts.size,
			font: 'sans',
			align: 'start',
			verticalAlign: opts.verticalAlign,
			richText,
		},
	} as TLGeoShape
}

/**
 * The tldraw document-scope records of a fresh room made from `template`: the document record
 * ({@link DOCUMENT_ID}), the page ({@link PAGE_ID}) and the structure shapes, in drawing order. Zone frames
 * have ids from {@link zoneFrameId} and `meta: { kind: 'structure', templateId, zoneId, headerHeight }`;
 * the zone's label, guiding question and hint are locked text shapes inside the frame. Decoration (panels,
 * titles, cards, row headers, footnotes, arrows) is locked; frames are not, so notes can be dropped in.
 * Throws a RangeError for a column count outside the template's range.
 */
export function createBoardRecords(template: Template, options: BoardOptions = {}): TLRecord[] {
	const layout = layoutBoard(template, options)
	const t = template.typography
	const notes = template.notes ?? DEFAULT_NOTE_SIZING
	const templateId = template.id
	const title = template.title[layout.locale]
	const document: TLDocument = {
		id: DOCUMENT_ID as TLDocument['id'],
		typeName: 'document',
		gridSize: 10,
		name: title,
		meta: { templateId, columns: layout.columns, locale: layout.locale },
	}
	const page: TLPage = {
		id: PAGE_ID as TLPageId,
		typeName: 'page',
		name: title,
		index: indexKey(1),
		meta: {},
	}
	const records: TLRecord[] = [document, page]
	const pageId = PAGE_ID as TLPageId
	let pageIndex = 1
	const onPage = (id: TLShapeId, x: number, y: number, part: string, isLocked = true): ShapeCommon => ({
		id,
		parentId: pageId,
		index: indexKey(pageIndex++),
		x,
		y,
		isLocked,
		meta: { kind: STRUCTURE_KIND, templateId, part },
	})

	for (const s of layout.sections) {
		records.push(
			geoShape(onPage(structureId('section', s.id), s.x, s.y, 'section'), s, plainTextToRichText(''), {
				fill: 'semi',
				scale: 1,
				size: 's',
				verticalAlign: 'start',
				labelColour: 'black',
			})
		)
		records.push(textShape(onPage(structureId('section', s.id, 'title'), s.title.x, s.title.y, 'title'), s.title, t))
		if (s.intro) {
			records.push(textShape(onPage(structureId('section', s.id, 'intro'), s.intro.x, s.intro.y, 'intro'), s.intro, t))
		}
	}
	for (const x of layout.texts) {
		records.push(textShape(onPage(structureId('text', x.id), x.x, x.y, 'text'), x, t))
	}
	for (const b of layout.boxes) {
		const size = b.kind === 'row' ? 'xl' : 's'
		const scale = b.fontPx / GEO_LABEL_FONT_SIZES[size]
		const rich = b.kind === 'row' ? boldRichText(b.body) : boxRichText(b.title, b.body)
		records.push(
			geoShape(onPage(structureId(b.kind, b.id), b.x, b.y, b.kind), b, rich, {
				fill: b.kind === 'row' ? 'semi' : 'solid',
				scale,
				size,
				verticalAlign: b.kind === 'row' ? 'middle' : 'start',
				labelColour: 'black',
			})
		)
	}
	for (const z of layout.zones) {
		const frameId = zoneFrameId(z.id)
		const frameCommon = onPage(frameId, z.x, z.y, 'zone', false)
		frameCommon.meta.zoneId = z.id
		frameCommon.meta.headerHeight = z.headerHeight
		frameCommon.meta.noteScale = notes.scale
		frameCommon.meta.minNoteScale = notes.minScale
		frameCommon.meta.growLimitH = Math.round(z.h * notes.growth)
		const frame: TLFrameShape = {
			...common(frameCommon),
			type: 'frame',
			props: { w: round(z.w), h: round(z.h), name: z.label[layout.locale], color: z.colour },
		} as TLFrameShape
		records.push(frame)
		z.texts.forEach((part, i) => {
			records.push(
				textShape(
					{
						id: structureId('zone', z.id, part.part),
						parentId: frameId,
						index: indexKey(i + 1),
						x: part.text.x,
						y: part.text.y,
						isLocked: true,
						meta: { kind: STRUCTURE_KIND, templateId, part: part.part },
					},
					part.text,
					t
				)
			)
		})
	}
	const arrowScale = Math.max(1, t.label / TEXT_FONT_SIZES.xl)
	for (const a of layout.arrows) {
		const arrow: TLArrowShape = {
			...common(onPage(structureId('arrow', a.id), a.start.x, a.start.y, 'arrow')),
			type: 'arrow',
			props: {
				kind: 'arc',
				labelColor: 'black',
				color: a.colour,
				fill: 'none',
				dash: 'solid',
				size: 'xl',
				arrowheadStart: 'none',
				arrowheadEnd: 'arrow',
				font: 'sans',
				start: { x: 0, y: 0 },
				end: { x: round(a.end.x - a.start.x), y: round(a.end.y - a.start.y) },
				bend: 0,
				richText: plainTextToRichText(''),
				labelPosition: 0.5,
				scale: round(arrowScale * 10000) / 10000,
				elbowMidPoint: 0.5,
			},
		} as TLArrowShape
		records.push(arrow)
	}
	const ids = new Set<string>()
	for (const r of records) {
		if (ids.has(r.id))
			throw new Error(`Template ${templateId} gives two shapes the id ${r.id}; rename one of its items`)
		ids.add(r.id)
	}
	return records
}

/** The base font size tldraw multiplies its size styles by (px). */
export const TLDRAW_BASE_FONT_SIZE = BASE_FONT

/** A projector's screen in CSS px, the screen every template is made to read on at zoom-to-fit. */
export const PROJECTOR_SCREEN = { w: 1920, h: 1080 } as const
/** The margin tldraw's zoom-to-fit keeps around the board (px, both sides together: its `zoomToFitPadding`). */
export const FIT_INSET = 128

/**
 * The zoom of tldraw's zoom-to-fit for a board with these bounds on a screen of `screen` size:
 * `min((screen.w − inset) / w, (screen.h − inset) / h)`. A text of `s` board units then reads at `s × zoom` px.
 */
export function fitZoom(bounds: { w: number; h: number }, screen: { w: number; h: number } = PROJECTOR_SCREEN): number {
	const inset = Math.min(FIT_INSET, screen.w * 0.28)
	return Math.min((screen.w - inset) / bounds.w, (screen.h - inset) / bounds.h)
}

/** The smallest sizes on screen (px) at zoom-to-fit on {@link PROJECTOR_SCREEN}: read from the back of a room. */
export const READABLE_PX = { label: 20, question: 14, note: 10 } as const
