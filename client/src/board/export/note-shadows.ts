/**
 * Cheaper note shadows for a board PNG. tldraw's export gives every note a shadow filter of its own (its note
 * `toSvg`): the note's rect drawn through `feMorphology` erode (by 3 and by 10 units), `feGaussianBlur` (σ 3 and
 * 6), `feOffset` (3 and 6 down) and half the alpha, merged under the rect. Chromium's erode costs time in
 * proportion to its radius for every pixel of the filter region: on a 500-note board drawn at 2× the filters were
 * 1.1–2.3 s of a 1.3–2.5 s raster. An eroded rect is a smaller rect, so each shadow becomes that rect, black at
 * the filter's alpha, moved by the offset and blurred by one shared filter of the same σ: the same drawing
 * without the erode (raster 0.25 s).
 *
 * Chromium applies an erode radius and an offset in whole device pixels (rounded), so the rects are inset and
 * moved by the rounded amounts at the PNG's scale. What is left differs in a few pixels at a note's edge (the
 * filter merged the note into its shadow in linearRGB; here the note is drawn over the shadow as usual), by at
 * most ~25 of 255 in one row, invisible; tests/e2e/export.e2e.test.ts holds the whole picture to that.
 * Notes that are rotated or skewed keep tldraw's filter, and so does a filter that is not the one described.
 * Only for PNG: an SVG file keeps tldraw's filters.
 *
 * @packageDocumentation
 */

const SVG_NS = 'http://www.w3.org/2000/svg'

/** One shadow of tldraw's note shadow filter: erode, blur, offset, alpha. */
interface ShadowLayer {
	erode: number
	blur: number
	dx: number
	dy: number
	alpha: number
}

function numberAttribute(element: Element | null | undefined, name: string, fallback?: number): number | null {
	const raw = element?.getAttribute(name)
	if (raw === null || raw === undefined) return fallback ?? null
	const value = Number(raw)
	return Number.isFinite(value) ? value : null
}

/**
 * The layers of a note shadow filter, in drawing order; null when the filter is not tldraw's note shadow as
 * known (erode of `SourceAlpha` → blur → offset → linear alpha, layers merged, then `SourceGraphic`).
 */
function shadowLayers(filter: Element): ShadowLayer[] | null {
	const primitives = [...filter.children]
	const merge = primitives.pop()
	if (merge?.localName !== 'feMerge') return null
	const order = [...merge.children].map((node) => node.getAttribute('in'))
	if (order.pop() !== 'SourceGraphic') return null
	const byResult = new Map(primitives.map((primitive) => [primitive.getAttribute('result'), primitive]))
	const layers: ShadowLayer[] = []
	for (const name of order) {
		const transfer = byResult.get(name)
		const offset = byResult.get(transfer?.getAttribute('in') ?? null)
		const blur = byResult.get(offset?.getAttribute('in') ?? null)
		const erode = byResult.get(blur?.getAttribute('in') ?? null)
		const funcA = transfer?.children.length === 1 ? transfer.children[0] : null
		if (
			transfer?.localName !== 'feComponentTransfer' ||
			funcA?.localName !== 'feFuncA' ||
			funcA.getAttribute('type') !== 'linear' ||
			offset?.localName !== 'feOffset' ||
			blur?.localName !== 'feGaussianBlur' ||
			erode?.localName !== 'feMorphology' ||
			erode.getAttribute('in') !== 'SourceAlpha' ||
			erode.getAttribute('operator') !== 'erode' ||
			(funcA.getAttribute('intercept') ?? '0') !== '0'
		)
			return null
		const layer = {
			erode: numberAttribute(erode, 'radius'),
			blur: numberAttribute(blur, 'stdDeviation'),
			dx: numberAttribute(offset, 'dx', 0),
			dy: numberAttribute(offset, 'dy', 0),
			alpha: numberAttribute(funcA, 'slope', 1),
		}
		if (Object.values(layer).some((value) => value === null)) return null
		layers.push(layer as ShadowLayer)
	}
	return layers.length > 0 && layers.length + 1 === merge.children.length ? layers : null
}

/**
 * The scale from `element`'s user units to the root SVG's, when every transform on the way (its own included) is a
 * uniform scale with translation (no rotation, skew or mirroring); null otherwise. Reads the transform lists
 * without consolidating them (that would rewrite the attributes).
 */
function uniformScale(element: Element, root: SVGSVGElement): number | null {
	let scale = 1
	for (let node: Element | null = element; node && node !== root; node = node.parentElement) {
		const transforms = (node as Partial<SVGGraphicsElement>).transform?.baseVal
		for (let i = 0; transforms && i < transforms.numberOfItems; i++) {
			const { a, b, c, d } = transforms.getItem(i).matrix
			if (Math.abs(b) > 1e-9 || Math.abs(c) > 1e-9 || a <= 0 || Math.abs(a - d) > 1e-9) return null
			scale *= a
		}
	}
	return scale
}

/**
 * Replaces tldraw's note shadow filters in `svg` by blurred rects, for drawing the SVG at `pixelRatio` device
 * pixels per unit of the SVG's width. Changes `svg` in place; returns the number of notes changed.
 */
export function flattenNoteShadows(svg: SVGSVGElement, pixelRatio: number): number {
	const document = svg.ownerDocument
	const viewBox = svg.viewBox?.baseVal
	const width = Number(svg.getAttribute('width'))
	const rootScale = pixelRatio * (viewBox?.width && width ? width / viewBox.width : 1)
	const blurFilters = new Map<number, string>()
	const blurFilter = (sigma: number): string => {
		let id = blurFilters.get(sigma)
		if (!id) {
			id = `kb-note-shadow-blur-${blurFilters.size}`
			blurFilters.set(sigma, id)
			const filter = document.createElementNS(SVG_NS, 'filter')
			filter.setAttribute('id', id)
			// Room for the blur (3σ) around a note's rect; a note is at least 200 units wide and high.
			for (const [name, value] of [
				['x', '-25%'],
				['y', '-25%'],
				['width', '150%'],
				['height', '150%'],
			])
				filter.setAttribute(name, value)
			const blur = document.createElementNS(SVG_NS, 'feGaussianBlur')
			blur.setAttribute('stdDeviation', String(sigma))
			filter.append(blur)
			let defs = svg.querySelector(':scope > defs')
			if (!defs) {
				defs = document.createElementNS(SVG_NS, 'defs')
				svg.prepend(defs)
			}
			defs.append(filter)
		}
		return id
	}
	const filters = new Map([...svg.querySelectorAll('filter[id^="note-shadow-"]')].map((filter) => [filter.id, filter]))
	let changed = 0
	const replaced = new Set<Element>()
	for (const rect of svg.querySelectorAll('rect[filter^="url(#note-shadow-"]')) {
		const id = /^url\(#([^)]+)\)$/.exec(rect.getAttribute('filter') ?? '')?.[1]
		const filter = id ? filters.get(id) : undefined
		const layers = filter ? shadowLayers(filter) : null
		const scale = uniformScale(rect, svg)
		const w = numberAttribute(rect, 'width')
		const h = numberAttribute(rect, 'height')
		const x = numberAttribute(rect, 'x', 0)
		const y = numberAttribute(rect, 'y', 0)
		if (!filter || !layers || !scale || w === null || h === null || x === null || y === null) continue
		const device = rootScale * scale
		// Chromium's erode radius and offset, in whole device pixels, back in the rect's units.
		const whole = (units: number) => Math.round(units * device) / device
		for (const layer of layers) {
			const inset = whole(layer.erode)
			if (w - 2 * inset <= 0 || h - 2 * inset <= 0) continue
			const shadow = document.createElementNS(SVG_NS, 'rect')
			shadow.setAttribute('x', String(x + inset + whole(layer.dx)))
			shadow.setAttribute('y', String(y + inset + whole(layer.dy)))
			shadow.setAttribute('width', String(w - 2 * inset))
			shadow.setAttribute('height', String(h - 2 * inset))
			const rx = rect.getAttribute('rx')
			if (rx !== null) shadow.setAttribute('rx', rx)
			shadow.setAttribute('fill', 'black')
			shadow.setAttribute('fill-opacity', String(layer.alpha))
			shadow.setAttribute('filter', `url(#${blurFilter(layer.blur)})`)
			rect.before(shadow)
		}
		rect.removeAttribute('filter')
		replaced.add(filter)
		changed++
	}
	// Drop the filters nothing uses any more.
	const used = new Set([...svg.querySelectorAll('[filter]')].map((element) => element.getAttribute('filter')))
	for (const filter of replaced) if (!used.has(`url(#${filter.id})`)) filter.remove()
	return changed
}
