/**
 * A small SVG thumbnail of a template for the template picker: section panels, cards, titles as bars, one
 * rectangle per zone (with a coloured header band) and the arrows. Pure string building, no DOM needed.
 *
 * @packageDocumentation
 */
import { layoutBoard, type BoardOptions } from './template-shapes'
import type { Template, TemplateColour, TemplateSummary } from './template-schema'

/** tldraw's light-theme colours: `solid` for strokes, `semi` for fills. */
export const PREVIEW_COLOURS: Record<TemplateColour, { solid: string; semi: string }> = {
	black: { solid: '#1d1d1d', semi: '#e8e8e8' },
	blue: { solid: '#4465e9', semi: '#dce1f8' },
	green: { solid: '#099268', semi: '#d3e9e3' },
	grey: { solid: '#9fa8b2', semi: '#eceef0' },
	'light-blue': { solid: '#4ba1f1', semi: '#ddedfa' },
	'light-green': { solid: '#4cb05e', semi: '#dbf0e0' },
	'light-red': { solid: '#f87777', semi: '#f4dadb' },
	'light-violet': { solid: '#e085f4', semi: '#f5eafa' },
	orange: { solid: '#e16919', semi: '#f8e2d4' },
	red: { solid: '#e03131', semi: '#f4dadb' },
	violet: { solid: '#ae3ec9', semi: '#ecdcf2' },
	yellow: { solid: '#f1ac4b', semi: '#f9f0e6' },
	white: { solid: '#ffffff', semi: '#f5f5f5' },
}

/** Options of {@link templatePreviewSvg}. */
export interface PreviewOptions extends BoardOptions {
	/** Width of the SVG in CSS px; the height follows the board's aspect ratio. Default 320. */
	width?: number
}

/** Escapes text for use in SVG/XML content and attribute values. */
export function escapeXml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function n(value: number): string {
	return String(Math.round(value))
}

function isTemplate(template: Template | TemplateSummary): template is Template {
	return 'typography' in template
}

/**
 * An SVG string drawing `template`'s layout: exactly one `<rect data-zone="…">` per zone of the room (for
 * the given column count), section panels and cards as `<rect data-kind="…">`, texts as grey bars, arrows as
 * lines with a triangular head. Accessible: `role="img"` with the template's title as label.
 *
 * Given a {@link TemplateSummary} (as `GET /api/templates` answers, without the layout), it returns the
 * summary's ready-made `preview` (drawn by the server for the default column count); a summary without one
 * is a TypeError.
 */
export function templatePreviewSvg(template: Template | TemplateSummary, options: PreviewOptions = {}): string {
	if (!isTemplate(template)) {
		if (typeof template.preview === 'string') return template.preview
		throw new TypeError(`templatePreviewSvg needs a full template or a summary with a preview (${template.id})`)
	}
	const layout = layoutBoard(template, options)
	const width = options.width ?? 320
	const b = layout.bounds
	const margin = Math.max(b.w, b.h) * 0.02
	const vx = b.x - margin
	const vy = b.y - margin
	const vw = b.w + 2 * margin
	const vh = b.h + 2 * margin
	const height = Math.round((width * vh) / vw)
	const stroke = Math.max(b.w, b.h) / 400
	const title = escapeXml(template.title[layout.locale])
	const out: string[] = []
	out.push(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(vx)} ${n(vy)} ${n(vw)} ${n(vh)}" width="${width}" height="${height}" role="img" aria-label="${title}">`,
		`<title>${title}</title>`,
		`<rect data-kind="board" x="${n(vx)}" y="${n(vy)}" width="${n(vw)}" height="${n(vh)}" fill="#f9fafb"/>`
	)
	for (const s of layout.sections) {
		const c = PREVIEW_COLOURS[s.colour]
		out.push(
			`<rect data-kind="section" x="${n(s.x)}" y="${n(s.y)}" width="${n(s.w)}" height="${n(s.h)}" fill="${c.semi}" stroke="${c.solid}" stroke-width="${n(stroke)}"/>`
		)
	}
	for (const t of [...layout.texts, ...layout.sections.map((s) => s.title)]) {
		const barHeight = Math.min(t.h, t.role === 'title' ? stroke * 8 : stroke * 4)
		const barWidth = Math.min(t.w, t.text.length * barHeight * 0.6)
		out.push(`<path d="M${n(t.x)} ${n(t.y)}h${n(barWidth)}v${n(barHeight)}h${n(-barWidth)}z" fill="#9fa8b2"/>`)
	}
	for (const box of layout.boxes) {
		const c = PREVIEW_COLOURS[box.colour]
		out.push(
			`<rect data-kind="${box.kind}" x="${n(box.x)}" y="${n(box.y)}" width="${n(box.w)}" height="${n(box.h)}" fill="${box.kind === 'row' ? '#ffffff' : c.semi}" stroke="${c.solid}" stroke-width="${n(stroke)}"/>`
		)
	}
	for (const z of layout.zones) {
		const c = PREVIEW_COLOURS[z.colour]
		out.push(
			`<rect data-zone="${escapeXml(z.id)}" x="${n(z.x)}" y="${n(z.y)}" width="${n(z.w)}" height="${n(z.h)}" fill="#ffffff" stroke="${c.solid}" stroke-width="${n(stroke)}"><title>${escapeXml(z.label[layout.locale])}</title></rect>`
		)
		const band = Math.min(z.headerHeight, z.h / 3)
		if (band > 0) {
			out.push(`<path d="M${n(z.x)} ${n(z.y)}h${n(z.w)}v${n(band)}h${n(-z.w)}z" fill="${c.semi}"/>`)
		}
	}
	for (const a of layout.arrows) {
		const c = PREVIEW_COLOURS[a.colour]
		const dx = a.end.x - a.start.x
		const dy = a.end.y - a.start.y
		const len = Math.hypot(dx, dy) || 1
		const ux = dx / len
		const uy = dy / len
		const head = stroke * 6
		const bx = a.end.x - ux * head
		const by = a.end.y - uy * head
		out.push(
			`<line x1="${n(a.start.x)}" y1="${n(a.start.y)}" x2="${n(bx)}" y2="${n(by)}" stroke="${c.solid}" stroke-width="${n(stroke * 2)}"/>`,
			`<path d="M${n(a.end.x)} ${n(a.end.y)}L${n(bx - uy * head * 0.6)} ${n(by + ux * head * 0.6)}L${n(bx + uy * head * 0.6)} ${n(by - ux * head * 0.6)}z" fill="${c.solid}"/>`
		)
	}
	out.push('</svg>')
	return out.join('')
}
