/**
 * TypeBox schemas of the screening routes (`/api/rooms/:roomId/screening…`, facilitator): "Notities eerst
 * bekijken" keeps participants' new notes in a queue on the server until the facilitator approves (places) or
 * rejects (deletes) them; a Dutch word list flags notes for attention. Runtime TypeBox objects, like `./schemas`.
 *
 * @packageDocumentation
 */
import { type Static, Type } from '@sinclair/typebox'
import { MAX_NOTE_ID, MAX_SCREENING_BATCH, MAX_SCREENING_WORD, MAX_SCREENING_WORDS } from './limits'

/** A note in the facilitator's queue. */
export const QueuedNote = Type.Object({
	noteId: Type.String(),
	zoneId: Type.String(),
	text: Type.String(),
	color: Type.String(),
	/** The author's first name; null in an anonymous room or when none was given. */
	authorName: Type.Union([Type.String(), Type.Null()]),
	createdAt: Type.Number(),
	/** The entries of the word lists found in the text (as the list spells them); empty when none. */
	flags: Type.Array(Type.String()),
})
export type QueuedNote = Static<typeof QueuedNote>

/** The word lists that flag notes: the default list that ships with Kompasbord and the room's own words. */
export const ScreeningWords = Type.Object({
	defaults: Type.Array(Type.String()),
	custom: Type.Array(Type.String()),
})
export type ScreeningWords = Static<typeof ScreeningWords>

/** `GET /api/rooms/:roomId/screening` answer: whether screening is on, the waiting notes (oldest first), the lists. */
export const ScreeningQueue = Type.Object({
	screening: Type.Boolean(),
	notes: Type.Array(QueuedNote),
	words: ScreeningWords,
})
export type ScreeningQueue = Static<typeof ScreeningQueue>

const NoteIds = Type.Array(Type.String({ minLength: 1, maxLength: MAX_NOTE_ID }), {
	minItems: 1,
	maxItems: MAX_SCREENING_BATCH,
})

/** `POST /api/rooms/:roomId/screening/approve` body: these notes, or `all` waiting notes. */
export const ApproveNotesRequest = Type.Object(
	{ noteIds: Type.Optional(NoteIds), all: Type.Optional(Type.Boolean()) },
	{ additionalProperties: false }
)
export type ApproveNotesRequest = Static<typeof ApproveNotesRequest>

/** `POST /api/rooms/:roomId/screening/reject` body. */
export const RejectNotesRequest = Type.Object({ noteIds: NoteIds }, { additionalProperties: false })
export type RejectNotesRequest = Static<typeof RejectNotesRequest>

/** Answer of approve and reject: what was done, and how many notes still wait. */
export const ScreeningDecision = Type.Object({
	/** Approve: the notes now on the board. Reject: the notes deleted. */
	noteIds: Type.Array(Type.String()),
	/** Approve: notes whose zone is gone from the board (deleted instead). */
	dropped: Type.Array(Type.String()),
	waiting: Type.Integer(),
})
export type ScreeningDecision = Static<typeof ScreeningDecision>

/** `PUT /api/rooms/:roomId/screening/words` body: the room's own words (replacing the earlier ones). */
export const ScreeningWordsChange = Type.Object(
	{
		words: Type.Array(Type.String({ maxLength: MAX_SCREENING_WORD * 4 }), { maxItems: MAX_SCREENING_WORDS * 2 }),
	},
	{ additionalProperties: false }
)
export type ScreeningWordsChange = Static<typeof ScreeningWordsChange>
