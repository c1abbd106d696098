/**
 * Draws an exported board SVG into a PNG: what tldraw's `getSvgAsImage` does, step by step, with a performance
 * mark after each step (`kb-export:…`) so a slow export can be broken down.
 *
 * @packageDocumentation
 */
import * as tldraw from 'tldraw'

/**
 * tldraw's clamp of a canvas size to the browser's largest canvas (measured once), as its `getSvgAsImage` uses it:
 * exported by the package, left out of its types.
 */
const clampToBrowserMaxCanvasSize = (
	tldraw as unknown as { clampToBrowserMaxCanvasSize(width: number, height: number): [number, number] }
).clampToBrowserMaxCanvasSize

function loadImage(url: string): Promise<HTMLImageElement> {
	return new Promise((resolve, reject) => {
		const image = new Image()
		image.crossOrigin = 'anonymous'
		image.onload = () => resolve(image)
		image.onerror = () => reject(new Error('Could not construct image.'))
		image.src = url
	})
}

/** The canvas a PNG is drawn on, and its size in px. */
export interface PngCanvas {
	canvas: HTMLCanvasElement
	width: number
	height: number
}

/** A canvas of `width` × `height` px when the browser can draw on one that large, else null. */
function canvasIfDrawable(width: number, height: number): HTMLCanvasElement | null {
	if (width < 1 || height < 1) return null
	const canvas = document.createElement('canvas')
	canvas.width = width
	canvas.height = height
	const context = canvas.getContext('2d')
	if (!context) return null
	// A canvas past the browser's limits draws nothing: try its last pixel.
	context.fillRect(width - 1, height - 1, 1, 1)
	const drawn = context.getImageData(width - 1, height - 1, 1, 1).data[3] !== 0
	context.clearRect(width - 1, height - 1, 1, 1)
	if (drawn) return canvas
	canvas.width = 0
	canvas.height = 0
	return null
}

/**
 * The canvas for the PNG of an SVG of `width` × `height` units at `pixelRatio`, of the size tldraw's
 * `getSvgAsImage` gives it: whole pixels, within the browser's largest canvas. tldraw finds that largest canvas
 * by drawing on canvases of up to 16 384 × 16 384 px the first time an image is over 8192 px or 16.7 Mpx (0.7 s
 * here, for every first export of a whole board); the canvas that size is tried first instead, and tldraw's
 * clamp only used when it cannot be drawn on.
 */
export function pngCanvas(width: number, height: number, pixelRatio: number): PngCanvas {
	const wanted = { width: Math.floor(width * pixelRatio), height: Math.floor(height * pixelRatio) }
	const canvas = canvasIfDrawable(wanted.width, wanted.height)
	if (canvas) return { canvas, ...wanted }
	const [clampedWidth, clampedHeight] = clampToBrowserMaxCanvasSize(width * pixelRatio, height * pixelRatio)
	const size = { width: Math.floor(clampedWidth), height: Math.floor(clampedHeight) }
	const clamped = canvasIfDrawable(size.width, size.height)
	if (!clamped) throw new Error('Could not construct image.')
	return { canvas: clamped, ...size }
}

/**
 * Draws `svg` (`width` board units wide) onto `target` and encodes it as a PNG with a pHYs chunk saying its pixel
 * ratio, like tldraw's `getSvgAsImage`.
 */
export async function svgToPng(svg: string, width: number, target: PngCanvas): Promise<Blob> {
	const { canvas, width: w, height: h } = target
	// A data URL (a blob: URL would taint the canvas: the SVG has foreignObjects), percent-encoded at once rather
	// than read as base64 by a FileReader, whose answer waits for a task on a busy machine (0.3–1.8 s seen).
	const url = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`
	performance.mark('kb-export:data-url')
	const image = await loadImage(url)
	performance.mark('kb-export:loaded')
	const context = canvas.getContext('2d')
	if (!context) throw new Error('Could not construct image.')
	context.imageSmoothingEnabled = true
	context.imageSmoothingQuality = 'high'
	context.drawImage(image, 0, 0, w, h)
	performance.mark('kb-export:drawn')
	const encoded = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png', 1))
	if (!encoded) throw new Error('Could not construct image.')
	// Drawn into pixels and encoded.
	performance.mark('kb-export:encoded')
	const blob = tldraw.PngHelpers.setPhysChunk(new DataView(await encoded.arrayBuffer()), w / width, {
		type: 'image/png',
	})
	performance.mark('kb-export:phys')
	return blob
}
