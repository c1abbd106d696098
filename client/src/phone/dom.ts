/** A tiny DOM builder for the phone page (no framework, to stay far inside the page's size budget). */

/** What {@link h} accepts as attributes: strings, booleans (present or not), numbers, and `on*` listeners. */
export type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>

/** What {@link h} accepts as children; null, undefined and false are skipped. */
export type Child = Node | string | null | undefined | false

/**
 * Creates an element: `h('button', { type: 'button', onclick: fn }, 'Versturen')`. `class`, `for` and
 * `aria-*`/`data-*` are set as attributes; `value`, `checked`, `disabled` and friends as properties.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
	tag: K,
	attrs: Attrs = {},
	...children: Child[]
): HTMLElementTagNameMap[K] {
	const el = document.createElement(tag)
	for (const [name, value] of Object.entries(attrs)) {
		if (value === undefined || value === null || value === false) continue
		if (typeof value === 'function') el.addEventListener(name.slice(2), value)
		else if (name in el && !name.includes('-') && name !== 'list' && name !== 'form') {
			;(el as unknown as Record<string, unknown>)[name] = value
		} else el.setAttribute(name, value === true ? '' : String(value))
	}
	append(el, children)
	return el
}

/** Appends children (strings become text nodes). */
export function append(parent: Node, children: Child[]): void {
	for (const child of children) {
		if (child === null || child === undefined || child === false) continue
		parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
	}
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
	parent.textContent = ''
	append(parent, children)
}
