/**
 * The one place that spells out a tldraw 5.4 sticky note record (`type: 'note'`) field by field. The server
 * builds phone notes with it (and validates them with tldraw's schema), the benchmark writes it as its payload,
 * and tests build their fixture notes with it, so every note in the code base has the shape the board writes.
 *
 * @packageDocumentation
 */
import type { TLNoteShape, TLRichText } from '@tldraw/tlschema'
import { plainTextToRichText } from './contract/rich-text'

/** What decides a note record; everything else takes tldraw's defaults for a note. */
export interface NoteShapeFields {
	/** The shape id (`shape:…`). */
	id: string
	/** The page or the zone frame the note sits in. */
	parentId: string
	/** Fractional index among its siblings (`a1`, `b0K`, …). */
	index: string
	/** Position relative to the parent. */
	x: number
	y: number
	/** Plain text (one paragraph a line), or a rich text document as it is. */
	text: string | TLRichText
	/** A tldraw colour name; yellow by default. */
	color?: TLNoteShape['props']['color']
	/** The note's scale (template notes are smaller than tldraw's default 1). */
	scale?: number
	font?: TLNoteShape['props']['font']
	fontSizeAdjustment?: number
	growY?: number
	meta?: TLNoteShape['meta']
}

/** A tldraw note shape record, as plain JSON (not validated here; the server validates what it writes). */
export function noteShapeRecord(fields: NoteShapeFields): TLNoteShape {
	return {
		id: fields.id as TLNoteShape['id'],
		typeName: 'shape',
		type: 'note',
		parentId: fields.parentId as TLNoteShape['parentId'],
		index: fields.index as TLNoteShape['index'],
		x: fields.x,
		y: fields.y,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta: fields.meta ?? {},
		props: {
			color: fields.color ?? 'yellow',
			labelColor: 'black',
			size: 'm',
			font: fields.font ?? 'draw',
			fontSizeAdjustment: fields.fontSizeAdjustment ?? 0,
			align: 'middle',
			verticalAlign: 'middle',
			growY: fields.growY ?? 0,
			url: '',
			richText: typeof fields.text === 'string' ? plainTextToRichText(fields.text) : fields.text,
			scale: fields.scale ?? 1,
			textLastEditedBy: null,
		},
	}
}
