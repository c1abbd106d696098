/**
 * Plain text from a tldraw note's `props.richText` (TipTap/ProseMirror document JSON): the one function the
 * server (note views, moderation, reports), the voting list and the board use.
 *
 * Block nodes (paragraphs, headings, list items, code blocks…) become lines; a `hardBreak` is a line break;
 * list items get a bullet (`• `) or their number (`1. `). Marks (bold, links…) are dropped: a report shows
 * what was written, not how. Anything that is not a well-formed node is skipped, so a malformed record from a
 * client can never make an export fail.
 *
 * @packageDocumentation
 */

import type { TLRichText } from '@tldraw/tlschema'

/** The shape of a TipTap JSON node, as far as text extraction needs it. */
interface RichTextNode {
	type?: unknown
	text?: unknown
	attrs?: unknown
	content?: unknown
}

/** Node types whose children are laid out as lines of their own. */
const BLOCK_TYPES = new Set([
	'doc',
	'paragraph',
	'heading',
	'blockquote',
	'codeBlock',
	'bulletList',
	'orderedList',
	'listItem',
	'taskList',
	'taskItem',
])

/** Guards against hostile nesting; TipTap documents of real notes are a few levels deep. */
const MAX_DEPTH = 64

function isNode(value: unknown): value is RichTextNode {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function children(node: RichTextNode): RichTextNode[] {
	return Array.isArray(node.content) ? node.content.filter(isNode) : []
}

/** The text of an inline run: text nodes and hard breaks, concatenated. */
function inlineText(nodes: RichTextNode[], depth: number): string {
	let out = ''
	for (const node of nodes) {
		if (node.type === 'text' && typeof node.text === 'string') out += node.text
		else if (node.type === 'hardBreak') out += '\n'
		else if (depth < MAX_DEPTH) out += blockLines(node, depth + 1).join('\n')
	}
	return out
}

/** The lines of a block node. */
function blockLines(node: RichTextNode, depth: number): string[] {
	if (depth > MAX_DEPTH) return []
	if (node.type === 'text' || node.type === 'hardBreak') return inlineText([node], depth).split('\n')
	const kids = children(node)
	if (node.type === 'bulletList' || node.type === 'orderedList' || node.type === 'taskList') {
		const attrs = isNode(node.attrs) ? (node.attrs as { start?: unknown }) : {}
		const start = node.type === 'orderedList' && typeof attrs.start === 'number' ? attrs.start : 1
		const lines: string[] = []
		kids.forEach((item, i) => {
			const marker = node.type === 'orderedList' ? `${start + i}. ` : '• '
			const itemLines = blockLines(item, depth + 1)
			itemLines.forEach((line, j) => lines.push(j === 0 ? marker + line : `  ${line}`))
		})
		return lines
	}
	const hasBlockChild = kids.some((kid) => typeof kid.type === 'string' && BLOCK_TYPES.has(kid.type))
	if (!hasBlockChild) return inlineText(kids, depth).split('\n')
	const lines: string[] = []
	for (const kid of kids) lines.push(...blockLines(kid, depth + 1))
	return lines
}

/**
 * Plain text as a tldraw `richText` document: one paragraph per line, an empty line an empty paragraph — what
 * tldraw's `toRichText` makes (rich-text.test.ts holds them to the same output). Ours so that the server does not
 * load `@tldraw/tlschema` to write a note's text (server/src/rooms/tldraw-schema.ts).
 */
export function plainTextToRichText(text: string): TLRichText {
	return {
		type: 'doc',
		content: text
			.split('\n')
			.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
	}
}

/**
 * Turns a tldraw `richText` value into plain text: one line per paragraph, `\n` for hard breaks, trailing
 * empty lines removed. Returns `''` for anything that is not a rich-text document.
 *
 * @example
 * ```ts
 * richTextToPlainText(plainTextToRichText('een\ntwee')) // 'een\ntwee'
 * ```
 */
export function richTextToPlainText(richText: unknown): string {
	if (!isNode(richText)) return ''
	return blockLines(richText, 0).join('\n').replace(/\s+$/u, '')
}

/**
 * The text of a note-like shape record: its `props.richText`, or a legacy `props.text` string (records written
 * before tldraw moved to rich text).
 */
export function shapeText(props: unknown): string {
	if (!isNode(props)) return ''
	const record = props as { richText?: unknown; text?: unknown }
	if (record.richText !== undefined) return richTextToPlainText(record.richText)
	return typeof record.text === 'string' ? record.text.replace(/\s+$/u, '') : ''
}
