/**
 * Shrinks an exported board SVG before it is rasterized: tldraw inlines the computed style of every element of a
 * shape's HTML as a `style` attribute — for the outermost element of each note's text nearly every CSS property,
 * some 15 kB per note, 4.7 MB for a 500-note board. Notes of one colour and size carry the same style, so each
 * distinct `style` value becomes one class rule in a `<style>` element of the SVG and the elements get the class
 * instead (31 rules for that board, 1.2 MB): less to serialize, encode as a data URL, parse and style when
 * Chromium draws it. A class rule applies exactly what the same declarations inline did — nothing else in the
 * image's own document (tldraw's font faces, its `::before`/`::after` rules) sets those properties on those
 * elements — so the picture is the same; tests/e2e/export.e2e.test.ts compares the pixels.
 *
 * @packageDocumentation
 */

/** Prefix of the generated class names (`kb-s0`, `kb-s1`, …). */
const CLASS_PREFIX = 'kb-s'

/**
 * Replaces the `style` attributes of the HTML inside the SVG's `foreignObject`s by one class per distinct value,
 * defined in a `<style>` element put first in the SVG. Changes `svg` in place; returns the number of classes.
 */
export function inlineStylesToClasses(svg: SVGSVGElement): number {
	const classes = new Map<string, string>()
	let css = ''
	for (const element of svg.querySelectorAll('foreignObject [style]')) {
		const style = element.getAttribute('style')
		if (!style) continue
		let name = classes.get(style)
		if (!name) {
			name = `${CLASS_PREFIX}${classes.size}`
			classes.set(style, name)
			css += `.${name}{${style}}\n`
		}
		element.removeAttribute('style')
		element.classList.add(name)
	}
	if (classes.size > 0) {
		const sheet = svg.ownerDocument.createElementNS('http://www.w3.org/2000/svg', 'style')
		sheet.textContent = css
		svg.prepend(sheet)
	}
	return classes.size
}
