/**
 * The board's calls to the facilitator toolkit's HTTP API (server/src/routes/session.ts, votes.ts,
 * moderation.ts, and the notes routes for private writing), through the contract's typed fetch helper. Errors
 * become {@link ApiError}s with the server's code, which the panels explain.
 */
import type { ApproveNotesRequest, NoteBody, SessionChange } from '@kompasbord/shared'
import { api } from '../../api'

/** The session state; with the facilitator key also who is connected and how many notes are held or hidden. */
export const getSession = (roomId: string, key?: string | null) => api('getSession', { params: { roomId } }, { key })
/** Changes the session (facilitator). */
export const patchSession = (roomId: string, key: string, change: SessionChange) =>
	api('patchSession', { params: { roomId }, body: change }, { key })
/** Puts one of the participant's dots on a note (the participant token says whose). */
export const castVote = (roomId: string, noteId: string, participantToken: string) =>
	api('castVote', { params: { roomId }, body: { noteId } }, { key: participantToken })
/** Takes one of the participant's dots off a note. */
export const retractVote = (roomId: string, noteId: string, participantToken: string) =>
	api('retractVote', { params: { roomId }, body: { noteId } }, { key: participantToken })
/** The participant's dots. */
export const myVotes = (roomId: string, participantToken: string) =>
	api('listVotes', { params: { roomId } }, { key: participantToken })
/** Hides a note (facilitator). */
export const hideNote = (roomId: string, noteId: string, key: string) =>
	api('hideNote', { params: { roomId, noteId } }, { key })
/** Shows a hidden note again (facilitator). */
export const showNote = (roomId: string, noteId: string, key: string) =>
	api('showNote', { params: { roomId, noteId } }, { key })
/** Deletes a note for good, on the board or hidden (facilitator). */
export const deleteNoteForGood = (roomId: string, noteId: string, key: string) =>
	api('deleteNoteForGood', { params: { roomId, noteId } }, { key })
/** The hidden notes (facilitator). */
export const listHidden = (roomId: string, key: string) => api('listHidden', { params: { roomId } }, { key })
/** Posts a note as a participant (held during private writing). */
export const postOwnNote = (roomId: string, body: NoteBody, participantToken: string) =>
	api('postNote', { params: { roomId }, body }, { key: participantToken })
/** The participant's own notes, held ones included. */
export const listOwnNotes = (roomId: string, participantToken: string) =>
	api('listNotes', { params: { roomId } }, { key: participantToken })
/** Deletes one of the participant's own notes. */
export const deleteOwnNote = (roomId: string, noteId: string, participantToken: string) =>
	api('deleteNote', { params: { roomId, noteId }, body: {} }, { key: participantToken })
/** Starts or closes the score round (facilitator). */
export const setScoreRound = (roomId: string, key: string, action: 'start' | 'close') =>
	api('setScoreRound', { params: { roomId }, body: { action } }, { key })
/** The screening queue with its flags and the word lists (facilitator). */
export const getScreeningQueue = (roomId: string, key: string) => api('screeningQueue', { params: { roomId } }, { key })
/** Approves waiting notes, or all (facilitator): each is placed in its zone. */
export const approveNotes = (roomId: string, body: ApproveNotesRequest, key: string) =>
	api('approveNotes', { params: { roomId }, body }, { key })
/** Rejects waiting notes (facilitator): they are deleted from the server. */
export const rejectNotes = (roomId: string, noteIds: string[], key: string) =>
	api('rejectNotes', { params: { roomId }, body: { noteIds } }, { key })
/** Replaces the room's own screening words (facilitator). */
export const setScreeningWords = (roomId: string, words: string[], key: string) =>
	api('setScreeningWords', { params: { roomId }, body: { words } }, { key })
