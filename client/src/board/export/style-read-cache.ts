/**
 * A cache of computed-style reads for tldraw's image export.
 *
 * tldraw's SVG export inlines the computed style of every element of a shape's HTML (a note's text is HTML in a
 * `foreignObject` marked `tl-export-embed-styles`): for each element it walks every CSS property of
 * `element.computedStyleMap()` (about 400). A 500-note board has some 1 600 such elements, and those reads were
 * two thirds of the export's time. Most of them are alike: an element with the same tag, the same attributes and
 * the same place among its siblings, under ancestors that are alike in the same way, has the same computed
 * style. While {@link withStyleReadCache} runs, a read of an element inside an export `foreignObject` is answered
 * from a snapshot of the first such element; every other element is read as usual.
 *
 * What decides an element's computed style, and what the key holds of it:
 * - the rules matching it and its ancestors: tag, every attribute (class, style, dir, lang, href, …), and for
 *   elements inside the `foreignObject` their index among their siblings, the sibling count and whether they are
 *   empty (`:first-child`, `:last-child`, `:nth-child()`, `:empty`); `:dir()` through the resolved direction (a
 *   `dir="auto"` paragraph takes its direction from its text);
 * - inherited values: the same key for every ancestor, up to the document. Of the SVG elements above the
 *   `foreignObject` (a shape's `<g>`, the `foreignObject` itself) the key leaves out the attributes that place a
 *   shape — `transform`, `x`, `y`, `width`, `height`, `opacity`, `clip-path`, `filter`, `mask`, `id`: none of
 *   them is inherited, and the elements whose styles are read never are those elements themselves.
 * Computed values (what `computedStyleMap` gives) do not depend on layout: `width: 100%` stays `100%`.
 * tests/e2e/export.e2e.test.ts checks that an export with the cache is the export without it, byte for byte.
 *
 * @packageDocumentation
 */

/** The part of `StylePropertyMapReadOnly` tldraw's export reads: `keys()` and `get(property).toString()`. */
interface StyleSnapshot {
	keys(): IterableIterator<string>
	get(property: string): { toString(): string } | undefined
}

/** Attributes of the SVG elements above a `foreignObject` that place one shape and are not inherited. */
const PLACEMENT_ATTRIBUTES = new Set([
	'transform',
	'x',
	'y',
	'width',
	'height',
	'opacity',
	'clip-path',
	'filter',
	'mask',
	'id',
])

/** The class tldraw gives a `foreignObject` whose HTML has its styles inlined by the export. */
const EMBED_CLASS = 'tl-export-embed-styles'

/** What one cached export did: reads answered from the cache, and reads made. */
export interface StyleReadStats {
	hits: number
	misses: number
}

let active: { cache: Map<string, StyleSnapshot>; keys: WeakMap<Element, string>; stats: StyleReadStats } | null = null
let depth = 0
let original: (() => StylePropertyMapReadOnly) | null = null

function isRightToLeft(element: Element): boolean {
	try {
		return element.matches(':dir(rtl)')
	} catch {
		// A browser without :dir(): the direction attribute (in the key) is all there is.
		return false
	}
}

function keyOf(element: Element, keys: WeakMap<Element, string>): string {
	const known = keys.get(element)
	if (known !== undefined) return known
	const inside = element.tagName.toLowerCase() !== 'foreignobject' && element.closest('foreignObject') !== null
	let signature = element.tagName
	for (const attribute of element.attributes) {
		if (inside || !PLACEMENT_ATTRIBUTES.has(attribute.name)) signature += `\u0001${attribute.name}=${attribute.value}`
	}
	if (inside) {
		const siblings = element.parentElement?.children
		if (siblings) signature += `\u0002${Array.prototype.indexOf.call(siblings, element)}/${siblings.length}`
		if (!element.firstChild) signature += '\u0002empty'
		if (isRightToLeft(element)) signature += '\u0002rtl'
	}
	const parent = element.parentElement
	const key = `${parent ? keyOf(parent, keys) : ''}\u0003${signature}`
	keys.set(element, key)
	return key
}

function snapshot(map: StylePropertyMapReadOnly): StyleSnapshot {
	const values = new Map<string, string | undefined>()
	for (const property of map.keys()) values.set(property, map.get(property)?.toString())
	return {
		keys: () => values.keys(),
		get: (property) => {
			const value = values.get(property)
			return value === undefined ? undefined : { toString: () => value }
		},
	}
}

function cachedComputedStyleMap(this: Element): StylePropertyMapReadOnly {
	const read = original as () => StylePropertyMapReadOnly
	if (!active || !this.closest(`.${EMBED_CLASS}`)) return read.call(this)
	const key = keyOf(this, active.keys)
	let entry = active.cache.get(key)
	if (entry) active.stats.hits++
	else {
		active.stats.misses++
		entry = snapshot(read.call(this))
		active.cache.set(key, entry)
	}
	return entry as unknown as StylePropertyMapReadOnly
}

/**
 * Runs `work` (an export) with computed-style reads of export HTML answered from a cache; the cache lives as long
 * as the outermost call. Where the browser has no `computedStyleMap` (tldraw then reads `getComputedStyle`),
 * `work` runs as it is.
 */
export async function withStyleReadCache<T>(work: () => Promise<T>): Promise<{ value: T; stats: StyleReadStats }> {
	const proto = Element.prototype as Element & { computedStyleMap?: () => StylePropertyMapReadOnly }
	if (typeof proto.computedStyleMap !== 'function') return { value: await work(), stats: { hits: 0, misses: 0 } }
	if (depth++ === 0) {
		original = proto.computedStyleMap
		active = { cache: new Map(), keys: new WeakMap(), stats: { hits: 0, misses: 0 } }
		proto.computedStyleMap = cachedComputedStyleMap
	}
	const stats = active!.stats
	try {
		return { value: await work(), stats: { ...stats } }
	} finally {
		if (--depth === 0) {
			proto.computedStyleMap = original!
			original = null
			active = null
		}
	}
}
