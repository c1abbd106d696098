import { Type, type Static } from '@sinclair/typebox'
import { DefaultColorStyle, type TLDefaultColorStyle } from '@tldraw/tlschema'
import { httpError } from '../http/errors'

/** Longest note text, in characters (Unicode code points) after trimming. */
export const MAX_NOTE_TEXT = 500
/** Longest author name kept, in characters after trimming. */
export const MAX_AUTHOR_NAME = 40
/** The colour of a note sent without one. */
export const DEFAULT_NOTE_COLOR: TLDefaultColorStyle = 'yellow'
/** tldraw's colour palette: the colours a note may have. */
export const NOTE_COLORS: readonly TLDefaultColorStyle[] = DefaultColorStyle.values

/** Participant ids and client note ids: random ids the phone makes, url-safe. */
const ClientId = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })
/** Raw text as sent; the real limit ({@link MAX_NOTE_TEXT}) is checked after trimming, with its own error code. */
const RawText = Type.String({ maxLength: MAX_NOTE_TEXT * 8 })
const ZoneId = Type.String({ minLength: 1, maxLength: 100 })
const Color = Type.String({ minLength: 1, maxLength: 32 })

/** `:roomId` */
export const RoomParams = Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) })
/** `:roomId/notes/:noteId` */
export const NoteParams = Type.Object({
	roomId: Type.String({ minLength: 1, maxLength: 64 }),
	noteId: Type.String({ minLength: 1, maxLength: 128 }),
})

/** `POST /api/rooms/:roomId/notes` body. */
export const CreateNoteBody = Type.Object(
	{
		zoneId: ZoneId,
		text: RawText,
		participantId: ClientId,
		clientNoteId: ClientId,
		color: Type.Optional(Color),
		authorName: Type.Optional(Type.String({ maxLength: MAX_AUTHOR_NAME * 4 })),
	},
	{ additionalProperties: false }
)
/** @see CreateNoteBody */
export type CreateNoteBody = Static<typeof CreateNoteBody>

/** `PATCH /api/rooms/:roomId/notes/:noteId` body: the owner's `participantId` (the facilitator needs none). */
export const PatchNoteBody = Type.Object(
	{
		participantId: Type.Optional(ClientId),
		text: Type.Optional(RawText),
		color: Type.Optional(Color),
		zoneId: Type.Optional(ZoneId),
	},
	{ additionalProperties: false }
)
/** @see PatchNoteBody */
export type PatchNoteBody = Static<typeof PatchNoteBody>

/** `DELETE /api/rooms/:roomId/notes/:noteId` body (optional for the facilitator). */
export const DeleteNoteBody = Type.Union([
	Type.Object({ participantId: Type.Optional(ClientId) }, { additionalProperties: false }),
	Type.Null(),
])
/** @see DeleteNoteBody */
export type DeleteNoteBody = Static<typeof DeleteNoteBody>

/** `GET /api/rooms/:roomId/notes` query. */
export const ListNotesQuery = Type.Object({ participantId: ClientId }, { additionalProperties: false })
/** @see ListNotesQuery */
export type ListNotesQuery = Static<typeof ListNotesQuery>

/** Number of Unicode code points (what a person counts as characters, emoji included). */
export function characterCount(text: string): number {
	let n = 0
	for (const _ of text) n++
	return n
}

/**
 * A note's text as stored: line endings unified, control characters other than newline and tab removed,
 * trimmed. Throws 400 `empty_text` when nothing is left and 400 `text_too_long` above {@link MAX_NOTE_TEXT}.
 */
export function normalizeNoteText(raw: string): string {
	// eslint-disable-next-line no-control-regex
	const text = raw
		.replace(/\r\n?/g, '\n')
		.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
		.trim()
	if (text === '') throw httpError(400, 'empty_text', 'The note has no text')
	if (characterCount(text) > MAX_NOTE_TEXT) {
		throw httpError(400, 'text_too_long', `A note holds at most ${MAX_NOTE_TEXT} characters`)
	}
	return text
}

/** A colour of tldraw's palette, or {@link DEFAULT_NOTE_COLOR}; throws 400 `invalid_color` for anything else. */
export function normalizeNoteColor(raw: string | undefined): TLDefaultColorStyle {
	if (raw === undefined) return DEFAULT_NOTE_COLOR
	const color = NOTE_COLORS.find((c) => c === raw)
	if (!color) throw httpError(400, 'invalid_color', `Unknown colour "${raw}"; use one of ${NOTE_COLORS.join(', ')}`)
	return color
}

/** A first name as stored: single-spaced, trimmed, at most {@link MAX_AUTHOR_NAME} characters; null when empty. */
export function normalizeAuthorName(raw: string | undefined): string | null {
	if (raw === undefined) return null
	// eslint-disable-next-line no-control-regex
	const name = raw
		.replace(/[\u0000-\u001F\u007F]/g, ' ')
		.replace(/\s+/g, ' ')
		.trim()
	if (name === '') return null
	return [...name].slice(0, MAX_AUTHOR_NAME).join('')
}
