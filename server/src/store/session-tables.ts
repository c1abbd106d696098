/** The dots one participant put on one note in a voting round. */
export interface VoteAllocation {
	noteId: string
	dots: number
}

/**
 * A note the facilitator hid: taken off the board (so no participant's browser can read it) and kept here
 * with the bindings that were attached to it, to be put back when the facilitator shows it again.
 */
export interface HiddenNote {
	roomId: string
	noteId: string
	/** The note's tldraw record first, then the binding records attached to it, as plain JSON. */
	records: unknown[]
	hiddenAt: number
}

/**
 * Dot votes, per participant (kept off the doc, which holds only counts, so votes stay anonymous). Writes resolve
 * once durable.
 */
export interface VoteStore {
	/**
	 * Adds one dot of a participant to a note, unless the participant has spent `budget` dots in the room
	 * already; the check and the write are one transaction. False (nothing written) when the budget is spent.
	 */
	addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean>
	/** Takes one of the participant's dots off a note; false when there was none. */
	removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean>
	/** The participant's dots in the room, by note (ordered by note id). */
	listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]>
	/** Every participant's dots in the room (copying a room), ordered by participant and note id. */
	listVoteAllocations(roomId: string): Promise<(VoteAllocation & { participantId: string })[]>
	/** Total dots per note id in the room (notes without dots left out). */
	countVotes(roomId: string): Promise<Map<string, number>>
	/** Removes every dot on these notes (they left the board). */
	deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void>
	/** Removes every dot of the room (a new voting round). */
	clearVotes(roomId: string): Promise<void>
}

/** Notes the facilitator hid (kept off the doc, so no participant's browser can read them). */
export interface HiddenNoteStore {
	/** Keeps a hidden note (replacing an earlier entry of the same note). */
	hideNote(entry: HiddenNote): Promise<void>
	/** A room's hidden notes, oldest first. */
	listHiddenNotes(roomId: string): Promise<HiddenNote[]>
	getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null>
	/** Forgets a hidden note (it is back on the board); false when there was none. */
	removeHiddenNote(roomId: string, noteId: string): Promise<boolean>
}

/** A room's own words that flag notes in the screening queue (next to the default list in the code). */
export interface ScreeningWordStore {
	/** The room's words, in the order they were set; empty when none were set. */
	getScreeningWords(roomId: string): Promise<string[]>
	/** Replaces the room's words (an empty list removes them). */
	setScreeningWords(roomId: string, words: readonly string[], at: number): Promise<void>
}

/** The facilitator toolkit's tables: votes, hidden notes and the screening word lists. */
export interface SessionTables extends VoteStore, HiddenNoteStore, ScreeningWordStore {}
