import type { TLDefaultColorStyle, TLNoteShape, TLRecord, TLShape, TLShapeId } from '@tldraw/tlschema'
import {
	NOTE_KIND,
	NOTE_SIZE,
	estimateTextHeight,
	isStickyNote,
	noteShapeRecord,
	richTextToPlainText,
} from '@kompasbord/shared'
import { tlSchema, tldrawSchemaPackage } from '../rooms/tldraw-schema'

/** The size style of notes the server writes (tldraw's default for notes). */
export const NOTE_SIZE_STYLE = 'm'
/** tldraw's label font size of a note at size `m`: 16 px × 1.375. */
export const NOTE_LABEL_FONT_PX = 22
/** tldraw's padding around a note's label. */
export const NOTE_LABEL_PADDING = 16

/** What a note shape carries in `meta` (see docs/ARCHITECTURE.md). */
export interface NoteMeta {
	kind: typeof NOTE_KIND
	zoneId: string
	/** Only in rooms that are not anonymous, and only when the participant gave a name. */
	authorName?: string
	[key: string]: string | undefined
}

/** Everything that decides a note record. */
export interface NoteRecordInput {
	id: TLShapeId
	/** The zone frame's id. */
	parentId: TLShapeId
	index: TLShape['index']
	/** Frame-relative position. */
	x: number
	y: number
	scale: number
	text: string
	color: TLDefaultColorStyle
	zoneId: string
	authorName: string | null
	/** More `meta` fields (e.g. where a note carried forward in a traject came from). */
	extraMeta?: Record<string, string>
}

/** A new, random note id (`shape:…`). */
export function newNoteId(): TLShapeId {
	return tldrawSchemaPackage().createShapeId()
}

/** Width a note's label wraps in (tldraw: the note's width minus its padding, minus 1 px of slack). */
const LABEL_WIDTH = NOTE_SIZE - 2 * NOTE_LABEL_PADDING - 1
/** Average advance of a character of tldraw's sans font, in em, for fitting a long word on one line. */
const WORD_CHAR_EM = 0.55
/** tldraw shrinks a note's font for a long word down to this size, then breaks the word. */
const MIN_LABEL_FONT_PX = 14

/**
 * The `fontSizeAdjustment` tldraw gives a note whose longest word does not fit on one line (Dutch compounds
 * such as "weerbaarheidstraining"): the font shrinks until the word fits, but not below 14 px; 1 otherwise.
 * An estimate: the board recomputes it exactly whenever someone edits the note.
 */
export function estimateNoteFontAdjustment(text: string): number {
	const longest = Math.max(0, ...text.split(/\s+/).map((word) => [...word].length))
	const fits = Math.floor(LABEL_WIDTH / (longest * WORD_CHAR_EM))
	if (longest === 0 || fits >= NOTE_LABEL_FONT_PX) return 1
	return Math.max(MIN_LABEL_FONT_PX, fits) / NOTE_LABEL_FONT_PX
}

/**
 * The height tldraw will add below a note of `text` (its `growY`), estimated the way the board template
 * estimates its texts (on the tall side), at the font size {@link estimateNoteFontAdjustment} gives, so a placed
 * note's footprint is not smaller than what the board draws.
 */
export function estimateNoteGrowY(text: string): number {
	const font = NOTE_LABEL_FONT_PX * estimateNoteFontAdjustment(text)
	const label = estimateTextHeight(text, font, LABEL_WIDTH) + 2 * NOTE_LABEL_PADDING
	return Math.max(0, Math.ceil(label - NOTE_SIZE))
}

/** A note's size at scale 1 (what placement needs). */
export function noteSizeFor(text: string): { w: number; h: number } {
	return { w: NOTE_SIZE, h: NOTE_SIZE + estimateNoteGrowY(text) }
}

function round(n: number): number {
	return Math.round(n * 100) / 100
}

/** Builds a tldraw note record and checks it with tldraw's own schema (throws when it is not valid). */
export function buildNoteRecord(input: NoteRecordInput): TLNoteShape {
	const meta: NoteMeta = { ...input.extraMeta, kind: NOTE_KIND, zoneId: input.zoneId }
	if (input.authorName) meta.authorName = input.authorName
	const record = noteShapeRecord({
		id: input.id,
		parentId: input.parentId,
		index: input.index,
		x: round(input.x),
		y: round(input.y),
		text: input.text,
		color: input.color,
		scale: input.scale,
		font: 'sans',
		fontSizeAdjustment: estimateNoteFontAdjustment(input.text),
		growY: estimateNoteGrowY(input.text),
		meta,
	})
	return validateRecord(record) as TLNoteShape
}

/** Checks any record with tldraw's schema; returns it, or throws tldraw's validation error. */
export function validateRecord(record: TLRecord): TLRecord {
	return tlSchema().types[record.typeName].validate(record) as TLRecord
}

/** Whether a record is a sticky note (not a template's structure): the contract's predicate. */
export const isNoteRecord = isStickyNote

/** The plain text of a note's rich text (the contract's one function). */
export const plainText = richTextToPlainText
