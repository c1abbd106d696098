/**
 * Where a phone note stands in the note ledger: `pending` while its record is being written into the doc,
 * `placed` once it is on the board, `held` while a private-writing phase keeps it back, `awaiting_review` while it
 * waits in the facilitator's screening queue, `deleted` once removed through the API. (A note the facilitator
 * rejects in the queue leaves the ledger altogether: {@link NoteLedger.deleteNote}.)
 */
export type NoteStatus = 'pending' | 'placed' | 'held' | 'awaiting_review' | 'deleted'

/**
 * One note a participant sent over HTTP, as the note ledger keeps it: who owns it (for edits and deletes), its
 * `clientNoteId` (for idempotent retries) and its content (to place it again after a crash, or on reveal).
 * The board's truth stays the doc; the ledger is the phone's side of it.
 */
export interface NoteEntry {
	roomId: string
	/** The tldraw shape id of the note (`shape:…`). */
	noteId: string
	clientNoteId: string
	participantId: string
	zoneId: string
	text: string
	/** A tldraw colour name. */
	color: string
	/** The author's first name; always null in an anonymous room. */
	authorName: string | null
	status: NoteStatus
	createdAt: number
	updatedAt: number
}

/** What {@link NoteLedger.updateNote} may change. */
export type NoteEntryPatch = Partial<Pick<NoteEntry, 'zoneId' | 'text' | 'color' | 'status' | 'updatedAt'>>

/** The note ledger: the notes participants sent over HTTP (see {@link NoteEntry}). Writes resolve once durable. */
export interface NoteLedger {
	/** Adds a note to the ledger; false (and nothing written) when the room already has its `clientNoteId`. */
	insertNote(entry: NoteEntry): Promise<boolean>
	/** The ledger entry of a room's `clientNoteId`. */
	findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null>
	/** The ledger entry of a note id. */
	getNote(roomId: string, noteId: string): Promise<NoteEntry | null>
	/** Changes only the fields in `patch`; nothing when the note is not in the ledger. */
	updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void>
	/** A participant's notes in a room (deleted ones included), oldest first. */
	listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]>
	/** A room's notes with this ledger status (e.g. `held`), oldest first. */
	listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]>
	/**
	 * Removes a note's entry for good — its text and author gone from the database, not marked (a rejected note
	 * of the screening queue); false when there was none.
	 */
	deleteNote(roomId: string, noteId: string): Promise<boolean>
}
