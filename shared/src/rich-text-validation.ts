/**
 * What a board can read as rich text: tldraw's schema only says rich text is `{ type, content: unknown[] }`, but
 * every board parses it with ProseMirror and tldraw's own TipTap extensions (StarterKit without blockquote, code
 * block and horizontal rule; Highlight; text direction: tldraw's `tipTapDefaultExtensions`), and one node or
 * mark they do not know makes `Node.fromJSON` throw inside tldraw's render — "Something went wrong" on every board
 * that shows the shape, again after each reload. So the server accepts only the node and mark types those
 * extensions define, shaped as `Node.fromJSON` reads them; a board skips a shape whose rich text is not such
 * (client/src/board/yjs-tldraw-sync.ts), for docs written before the server checked it.
 *
 * @packageDocumentation
 */

/** Node types of tldraw's rich text. */
const NODE_TYPES: ReadonlySet<string> = new Set([
	'doc',
	'paragraph',
	'text',
	'heading',
	'bulletList',
	'orderedList',
	'listItem',
	'hardBreak',
])

/** Mark types of tldraw's rich text. */
const MARK_TYPES: ReadonlySet<string> = new Set(['bold', 'italic', 'strike', 'code', 'link', 'underline', 'highlight'])

/**
 * Whether `value` is rich text every board can parse: a `doc` node whose content is nodes of tldraw's types, each
 * a plain object with optional `attrs` (an object), `marks` (marks of tldraw's types) and `content` (nodes; none
 * on text), text nodes with non-empty text. The caller bounds the nesting (the server's record-validation.ts).
 */
export function isBoardRichText(value: unknown): boolean {
	return isNode(value, true)
}

/**
 * Whether `record` is a shape with rich text (notes, geo and text shapes, arrow labels) that a board cannot read
 * ({@link isBoardRichText}); false for anything else.
 */
export function hasUnreadableRichText(record: unknown): boolean {
	if (!isPlainObject(record) || record.typeName !== 'shape' || !isPlainObject(record.props)) return false
	return 'richText' in record.props && !isBoardRichText(record.props.richText)
}

function isNode(value: unknown, root: boolean): boolean {
	if (!isPlainObject(value)) return false
	const { type, text, content, marks, attrs } = value
	if (typeof type !== 'string' || !NODE_TYPES.has(type) || (type === 'doc') !== root) return false
	if (!isAttrs(attrs)) return false
	if (marks !== undefined && (!Array.isArray(marks) || !marks.every(isMark))) return false
	if (type === 'text') return typeof text === 'string' && text.length > 0 && content === undefined
	if (text !== undefined) return false
	return content === undefined || (Array.isArray(content) && content.every((child) => isNode(child, false)))
}

function isMark(value: unknown): boolean {
	return isPlainObject(value) && typeof value.type === 'string' && MARK_TYPES.has(value.type) && isAttrs(value.attrs)
}

function isAttrs(value: unknown): boolean {
	return value === undefined || value === null || isPlainObject(value)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return !!value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype
}
