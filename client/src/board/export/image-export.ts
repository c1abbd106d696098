/**
 * Board images with tldraw's own export (`editor.toImage`, `editor.getSvgString`): the whole page or one
 * frame (a zone or any other frame), background included, light mode, fonts embedded by tldraw (it inlines
 * the page's self-hosted font faces as data URLs, so the files need nothing from the network).
 *
 * @packageDocumentation
 */
import type { Editor, TLShapeId } from 'tldraw'
import { type StyleReadStats, withStyleReadCache } from './style-read-cache'
import { inlineStylesToClasses } from './svg-style-classes'
import { flattenNoteShadows } from './note-shadows'
import { pngCanvas, svgToPng } from './svg-to-png'
import './export-render.css'

/** Image formats of the export menu. */
export type ImageFormat = 'png' | 'svg'

/** What to export: the whole board, or one frame with everything in it. */
export type ImageTarget = { kind: 'board' } | { kind: 'frame'; frameId: TLShapeId }

/** A frame the menu offers as a target. */
export interface FrameTarget {
	frameId: TLShapeId
	/** The frame's name (a zone's label), or its zone id when unnamed. */
	label: string
	/** The zone id of a template zone frame; undefined for other frames. */
	zoneId?: string
}

/** The PNG pixel ratio: 2× the board's size, for print. */
export const PNG_PIXEL_RATIO = 2
/**
 * Longest side of a PNG, in px. A zone or a small board gets the full 2×; a whole template board (about
 * 7000 × 3700 units) would be 14 000 × 7 400 px = 100 megapixels at 2×, which takes Chromium a minute to
 * rasterize and encode, so its ratio is lowered until the longest side is this: 8192 px is A2 at 300 dpi.
 */
export const PNG_MAX_SIDE = 8192
/** Space around the exported content, in board units. */
export const EXPORT_PADDING = 32
/**
 * Longest side of the board image sent along for the Word report, in px: sharp on an A4 page at 300 dpi,
 * small enough to send quickly.
 */
export const DOCX_IMAGE_MAX_SIDE = 2400

/** A finished image. */
export interface RenderedImage {
	blob: Blob
	/** Size in board units (tldraw's answer). */
	width: number
	height: number
	/** The PNG's pixel ratio (pixels per board unit); 1 for SVG. */
	pixelRatio: number
	/** Computed-style reads of the export answered from the cache, and made (null: no cache). */
	styleReads: StyleReadStats | null
}

/** Progress of an export, as the menu shows it. */
export interface ImageProgress {
	stage: 'collect' | 'render'
	/** Shapes being exported (with the frame's children). */
	shapes: number
}

/**
 * The frames on the current page, zones first in reading order (top to bottom, left to right), then other
 * frames.
 */
export function frameTargets(editor: Editor): FrameTarget[] {
	const frames = editor.getCurrentPageShapesSorted().filter((shape) => shape.type === 'frame')
	const withBounds = frames.map((frame) => {
		const meta = frame.meta as Record<string, unknown>
		const zoneId = typeof meta.zoneId === 'string' ? meta.zoneId : undefined
		const name = (frame.props as { name?: unknown }).name
		const bounds = editor.getShapePageBounds(frame.id)
		return {
			target: {
				frameId: frame.id,
				label: typeof name === 'string' && name.trim() ? name.trim() : (zoneId ?? frame.id),
				zoneId,
			},
			x: bounds?.x ?? 0,
			y: bounds?.y ?? 0,
		}
	})
	withBounds.sort((a, b) => Number(!a.target.zoneId) - Number(!b.target.zoneId) || a.y - b.y || a.x - b.x)
	return withBounds.map((entry) => entry.target)
}

/**
 * The shape ids a target exports: the page's top-level shapes, or the frame. Exporting a shape exports its
 * children with it.
 */
export function targetShapeIds(editor: Editor, target: ImageTarget): TLShapeId[] {
	if (target.kind === 'frame') return editor.getShape(target.frameId) ? [target.frameId] : []
	return editor.getSortedChildIdsForParent(editor.getCurrentPageId())
}

/**
 * Set on tldraw's container while {@link renderBoardImage} runs: export-render.css then keeps tldraw's in-page
 * render of the export out of layout, paint and hit-testing.
 */
const EXPORTING_ATTRIBUTE = 'data-kb-exporting'

function countShapes(editor: Editor, ids: TLShapeId[]): number {
	let count = 0
	for (const id of ids) {
		count++
		editor.visitDescendants(id, () => {
			count++
		})
	}
	return count
}

/** Options of {@link renderBoardImage}. */
export interface RenderImageOptions {
	format: ImageFormat
	target: ImageTarget
	/** Pixel ratio of a PNG (default {@link PNG_PIXEL_RATIO}); ignored for SVG. */
	pixelRatio?: number
	/** Longest side of a PNG in px (default {@link PNG_MAX_SIDE}); lowers the pixel ratio when the board is larger. */
	maxSide?: number
	/**
	 * Answer tldraw's computed-style reads from a cache while exporting (default true; see style-read-cache.ts).
	 * Off only to compare: the result is the same.
	 */
	styleReadCache?: boolean
	/**
	 * PNG: draw the SVG with its repeated inline styles turned into classes (default true; see
	 * svg-style-classes.ts). Off only to compare: the picture is the same.
	 */
	styleClasses?: boolean
	/**
	 * PNG: draw the notes' shadows as blurred rects instead of tldraw's erode filters (default true; see
	 * note-shadows.ts). Off only to compare: the picture is the same but for a few levels at the notes' edges.
	 */
	noteShadowRects?: boolean
	onProgress?: (progress: ImageProgress) => void
}

/**
 * Renders the board (or a frame) with tldraw's export: PNG at 2× by default or SVG, with the background, in
 * light mode, with padding. Throws when there is nothing to export. tldraw's reads of computed styles are
 * cached meanwhile (style-read-cache.ts) and a PNG is drawn from the SVG with its repeated inline styles made
 * classes (svg-style-classes.ts) and the notes' shadows as blurred rects (note-shadows.ts): the same image (the
 * shadows within a few levels), in well under half the time for a 500-note board.
 */
export async function renderBoardImage(editor: Editor, options: RenderImageOptions): Promise<RenderedImage> {
	const ids = targetShapeIds(editor, options.target)
	if (ids.length === 0) throw new Error('nothing to export')
	const shapes = countShapes(editor, ids)
	options.onProgress?.({ stage: 'collect', shapes })
	// Let the menu paint the progress before the export keeps the main thread busy (a hidden tab gets no
	// animation frames, so do not wait for one for long).
	await new Promise<void>((resolve) => {
		const timer = setTimeout(resolve, 100)
		requestAnimationFrame(() =>
			setTimeout(() => {
				clearTimeout(timer)
				resolve()
			}, 0)
		)
	})
	performance.mark('kb-export:painted')
	options.onProgress?.({ stage: 'render', shapes })
	const common = { background: true, darkMode: false, padding: EXPORT_PADDING } as const
	let styleReads: StyleReadStats | null = null
	const cached = async <T>(work: () => Promise<T>): Promise<T> => {
		if (options.styleReadCache === false) return work()
		const container = editor.getContainer()
		container.setAttribute(EXPORTING_ATTRIBUTE, '')
		try {
			const done = await withStyleReadCache(work)
			styleReads = done.stats
			return done.value
		} finally {
			container.removeAttribute(EXPORTING_ATTRIBUTE)
		}
	}
	if (options.format === 'svg') {
		const result = await cached(() => editor.getSvgString(ids, common))
		if (!result) throw new Error('nothing to export')
		return {
			blob: new Blob([result.svg], { type: 'image/svg+xml' }),
			width: result.width,
			height: result.height,
			pixelRatio: 1,
			styleReads,
		}
	}
	let pixelRatio = options.pixelRatio ?? PNG_PIXEL_RATIO
	const maxSide = options.maxSide ?? PNG_MAX_SIDE
	const bounds =
		options.target.kind === 'frame' ? editor.getShapePageBounds(options.target.frameId) : editor.getCurrentPageBounds()
	const side = bounds ? Math.max(bounds.w, bounds.h) + 2 * EXPORT_PADDING : 0
	if (side > 0) pixelRatio = Math.min(pixelRatio, maxSide / side)
	// What editor.toImage does (its SVG, drawn as tldraw's getSvgAsImage draws it: svg-to-png.ts), with the SVG's
	// styles as classes and the notes' shadows as rects first.
	const element = await cached(() => editor.getSvgElement(ids, common))
	if (!element) throw new Error('nothing to export')
	performance.mark('kb-export:svg')
	// At once, before tldraw takes its export render out of the page.
	if (options.styleClasses !== false) inlineStylesToClasses(element.svg)
	const target = pngCanvas(element.width, element.height, pixelRatio)
	if (options.noteShadowRects !== false) flattenNoteShadows(element.svg, target.width / element.width)
	const svg = new XMLSerializer().serializeToString(element.svg)
	performance.mark('kb-export:serialized')
	const blob = await svgToPng(svg, element.width, target)
	performance.mark('kb-export:png')
	// The size tldraw's toImage answers: the drawn canvas in board units.
	const scale = target.width / element.width
	return { blob, width: element.width, height: target.height / scale, pixelRatio, styleReads }
}
