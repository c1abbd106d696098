/** A room's metadata as stored; the board's content lives in its Y.Doc updates. */
export interface RoomRecord {
	roomId: string
	title: string
	templateId: string
	/** Result columns of the activity matrix (1–4); null for other templates. */
	columns: number | null
	joinCode: string
	/** SHA-256 (hex) of the facilitator key; the key itself is never stored. */
	facilitatorKeyHash: string
	/** Anonymous mode: no author names stored with notes. */
	anonymous: boolean
	createdAt: number
	/** Set when the facilitator closes the session; a closed room's join code no longer works. */
	closedAt: number | null
}

/** One persisted Yjs update of a room. */
export interface StoredUpdate {
	roomId: string
	update: Uint8Array
}

/** What {@link RoomStore.loadUpdates} returns: the updates in commit order and the last sequence number. */
export interface LoadedUpdates {
	updates: Uint8Array[]
	/** Sequence number of the last update (pass to {@link RoomStore.compact}); 0 when there is none. */
	lastSeq: number
}

/**
 * Where a phone note stands in the note ledger: `pending` while its record is being written into the doc,
 * `placed` once it is on the board, `held` while a private-writing phase keeps it back, `deleted` once removed
 * through the API.
 */
export type NoteStatus = 'pending' | 'placed' | 'held' | 'deleted'

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

/** What {@link RoomStore.updateNote} may change. */
export type NoteEntryPatch = Partial<Pick<NoteEntry, 'zoneId' | 'text' | 'color' | 'status' | 'updatedAt'>>

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
 * The persistence seam of the server. Every method that writes resolves only after the write is durable.
 * The default implementation is {@link SqliteRoomStore}.
 */
export interface RoomStore {
	/** Creates a room with its initial doc state (one update) in one transaction. Throws {@link JoinCodeTakenError}. */
	createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void>
	getRoom(roomId: string): Promise<RoomRecord | null>
	/** The open (not closed) room with this join code. */
	findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null>
	/** The most recently closed room that had this join code (to tell "closed" from "unknown"). */
	findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null>
	/** Changes a room's metadata. Throws {@link JoinCodeTakenError} when a new or reopened room's code is in use. */
	updateRoom(roomId: string, patch: Partial<Pick<RoomRecord, 'title' | 'closedAt' | 'joinCode'>>): Promise<void>
	loadUpdates(roomId: string): Promise<LoadedUpdates>
	/** Appends updates of one or more rooms in one transaction (group commit). */
	appendUpdates(batch: StoredUpdate[]): Promise<void>
	/** Replaces every update of the room up to and including `uptoSeq` by one snapshot update. */
	compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
	/**
	 * Replaces every stored update of the room by the snapshot of a doc rebuilt without history, and keeps the
	 * client ids of the old doc as retired (see server/src/rooms/doc-rebuild.ts); one transaction. Only for a
	 * room no one is using: an update of the old doc committed afterwards would mix the two.
	 */
	replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void>
	/** The client ids of the room's replaced docs (empty when it was never rebuilt). */
	listRetiredClients(roomId: string): Promise<number[]>
	/** Number of stored updates of a room (used to decide when to compact). */
	countUpdates(roomId: string): Promise<number>
	/** Adds a note to the ledger; false (and nothing written) when the room already has its `clientNoteId`. */
	insertNote(entry: NoteEntry): Promise<boolean>
	/** The ledger entry of a room's `clientNoteId`. */
	findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null>
	/** The ledger entry of a note id. */
	getNote(roomId: string, noteId: string): Promise<NoteEntry | null>
	updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void>
	/** A participant's notes in a room (deleted ones included), oldest first. */
	listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]>
	/** A room's notes with this ledger status (e.g. `held`), oldest first. */
	listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]>
	/**
	 * Adds one dot of a participant to a note, unless the participant has spent `budget` dots in the room
	 * already; the check and the write are one transaction. False (nothing written) when the budget is spent.
	 */
	addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean>
	/** Takes one of the participant's dots off a note; false when there was none. */
	removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean>
	/** The participant's dots in the room, by note. */
	listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]>
	/** Total dots per note id in the room (notes without dots left out). */
	countVotes(roomId: string): Promise<Map<string, number>>
	/** Removes every dot on these notes (they left the board). */
	deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void>
	/** Removes every dot of the room (a new voting round). */
	clearVotes(roomId: string): Promise<void>
	/** Keeps a hidden note (replacing an earlier entry of the same note). */
	hideNote(entry: HiddenNote): Promise<void>
	/** A room's hidden notes, oldest first. */
	listHiddenNotes(roomId: string): Promise<HiddenNote[]>
	getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null>
	/** Forgets a hidden note (it is back on the board); false when there was none. */
	removeHiddenNote(roomId: string, noteId: string): Promise<boolean>
	close(): Promise<void>
}

/** Thrown by {@link RoomStore.createRoom} when the join code is already used by an open room. */
export class JoinCodeTakenError extends Error {
	constructor(joinCode: string) {
		super(`join code ${joinCode} is taken`)
		this.name = 'JoinCodeTakenError'
	}
}
