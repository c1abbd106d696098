/**
 * Types of the public HTTP contract (DESIGN.md, "Public contract"): the bodies clients send and the answers the
 * server gives on the room, join, note, session, vote and moderation routes. The server's route handlers are
 * typed with them, the board and the phone page read the answers through them.
 *
 * Types only: importing them (`import type`) adds nothing to a bundle. The server still validates every body
 * with its own TypeBox schema at the edge; these describe what passes.
 *
 * @packageDocumentation
 */
import type { SessionPhase, SessionState } from './doc-layout'
import type { LocalizedText } from './template-schema'
import type { RankedNote } from './vote-ranking'

// Rooms and joining

/** The links of a new room (`POST /api/rooms` answer). */
export interface RoomLinks {
	/** The participant board. */
	board: string
	/** The facilitator's board: the board link with the facilitator key in its hash. */
	facilitator: string
	/** The phone page of the room. */
	join: string
	/** The read-only board. */
	view: string
}

/** `POST /api/rooms` body. */
export interface CreateRoomRequest {
	templateId: string
	title?: string
	/** Result columns of the activity matrix (1–4). */
	columns?: number
	/** Whether notes are kept without their author's name (default true). */
	anonymous?: boolean
	/** Language the template's texts are written in on the board. */
	locale?: 'nl' | 'en'
}

/** `POST /api/rooms` answer (201). */
export interface CreatedRoom {
	roomId: string
	joinCode: string
	facilitatorKey: string
	links: RoomLinks
}

/** A zone as `GET /api/rooms/:roomId` lists it. */
export interface RoomZone {
	id: string
	label: LocalizedText
}

/** `GET /api/rooms/:roomId` answer. */
export interface RoomInfo {
	roomId: string
	title: string
	templateId: string
	/** `closed` once the room is closed, else the session phase in the room's doc. */
	phase: SessionPhase
	joinCode: string
	/** Whether notes are kept without their author's name. */
	anonymous?: boolean
	/** The board's zones in worksheet order. */
	zones: RoomZone[]
}

/** `GET /api/join/:joinCode` answer. */
export interface JoinAnswer {
	roomId: string
}

/** `GET /api/rooms/:roomId/join-info` answer: what the board's join overlay shows. */
export interface JoinInfo {
	/** The room's phone link, on an address phones can reach. */
	joinUrl: string
	joinCode: string
	/** `<base>/j`: where to type the code by hand. */
	joinBaseUrl: string
	/** Whether the room is closed (its code no longer works). */
	closed: boolean
}

// Notes

/** Where a participant's note is: on the board, or held back by the server during private writing. */
export type PublicNoteStatus = 'placed' | 'held'

/** `POST /api/rooms/:roomId/notes` body. */
export interface NoteBody {
	zoneId: string
	text: string
	participantId: string
	/** The phone's own id of the note: sending it again adds nothing and answers the same `noteId`. */
	clientNoteId: string
	color?: string
	authorName?: string
}

/** `POST /api/rooms/:roomId/notes` answer (201 new, 200 a known `clientNoteId`). */
export interface PostedNote {
	noteId: string
	status: PublicNoteStatus
}

/** `PATCH /api/rooms/:roomId/notes/:noteId` body; absent fields stay as they are. */
export interface NotePatch {
	/** The note's participant; the facilitator sends the key instead. */
	participantId?: string
	text?: string
	color?: string
	zoneId?: string
}

/** `DELETE /api/rooms/:roomId/notes/:noteId` answer. */
export interface DeletedNote {
	noteId: string
	status: 'deleted'
}

/**
 * A note as its participant sees it (`GET /api/rooms/:roomId/notes?participantId=`, and the `PATCH` answer):
 * its current content on the board, or the held note's.
 */
export interface NoteView {
	noteId: string
	clientNoteId: string
	zoneId: string
	text: string
	color: string
	status: PublicNoteStatus
	createdAt: number
	updatedAt: number
}

/** `GET /api/rooms/:roomId/notes?participantId=` answer: that participant's notes, oldest first. */
export interface NoteList {
	notes: NoteView[]
}

// Session

/** Who is connected to a room now (in the facilitator's session answer). */
export interface ConnectedCounts {
	/** Distinct participants: participant boards plus phones (a participant on both counts once). */
	participants: number
	/** Participant boards (websocket connections with participant rights). */
	boards: number
	/** Phones that polled the session state recently. */
	phones: number
	viewers: number
	facilitators: number
}

/** `GET` / `PATCH /api/rooms/:roomId/session` answer: the session state and the server's clock. */
export interface SessionAnswer extends SessionState {
	roomId: string
	/** The server's clock (epoch ms) when it answered: clients correct their clock by it. */
	serverNow: number
	/** Changes whenever the state does; send it back as `tag` to long-poll. */
	tag: string
	/** Facilitator only: who is connected. */
	connected?: ConnectedCounts
	/** Facilitator only: notes waiting for the reveal, and notes hidden by moderation. */
	heldNotes?: number
	hiddenNotes?: number
	/** Facilitator only: the join code (a reopened session may have a new one). */
	joinCode?: string
	/** PATCH only: held notes this change placed on the board. */
	revealed?: number
}

/** `PATCH /api/rooms/:roomId/session` body (facilitator only); absent fields stay as they are. */
export interface SessionChange {
	phase?: SessionPhase
	/** The timer's length; null or 0 removes the timer. */
	timerSeconds?: number | null
	timer?: 'start' | 'pause' | 'stop'
	votesPerParticipant?: number
	structureLocked?: boolean
	/** Throws away every dot (a new voting round). */
	resetVotes?: boolean
	/** Places the notes held during private writing. */
	reveal?: boolean
}

// Votes

/** A participant's dots in a room. */
export interface VoteSummary {
	/** Dots per participant in this round (the facilitator's `votesPerParticipant`). */
	budget: number
	used: number
	remaining: number
	/** The participant's dots by note id. */
	mine: Record<string, number>
}

/** `POST` / `DELETE /api/rooms/:roomId/votes` answer: the note's dots and the participant's budget. */
export interface VoteAnswer extends VoteSummary {
	noteId: string
	/** All dots on the note now. */
	votes: number
}

/** One zone of the voting list: its label and its notes, ranked by votes. */
export interface VotingZone {
	/** Null for the notes that are in no zone. */
	zoneId: string | null
	label: LocalizedText
	notes: RankedNote[]
}

/** `GET /api/rooms/:roomId/votes?participantId=` answer. */
export interface VotingList {
	phase: SessionPhase
	zones: VotingZone[]
	/** With `participantId`: that participant's dots. */
	votes?: VoteSummary
}

// Moderation

/** A hidden note as the facilitator's panel lists it. */
export interface HiddenNoteView {
	noteId: string
	text: string
	color: string
	zoneId: string | null
	hiddenAt: number
}

/** `GET /api/rooms/:roomId/moderation/hidden` answer: the room's hidden notes, oldest first. */
export interface HiddenNoteList {
	notes: HiddenNoteView[]
}

/** The answer of the moderation actions on one note (`…/hide`, `…/show`, `DELETE`). */
export interface ModeratedNote {
	noteId: string
	status: 'hidden' | 'placed' | 'deleted'
}
