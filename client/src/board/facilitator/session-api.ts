/**
 * The board's calls to the facilitator toolkit's HTTP API (server/src/routes/session.ts, votes.ts,
 * moderation.ts, and the notes routes for private writing). Errors become {@link ApiError}s with the
 * server's code, which the panels explain.
 */
import type {
	DeletedNote,
	HiddenNoteList,
	ModeratedNote,
	NoteBody,
	NoteList,
	PostedNote,
	SessionAnswer,
	SessionChange,
	VoteAnswer,
	VotingList,
} from '@kompasbord/shared'
import { ApiError, errorFromResponse } from '../../api'

const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`

async function call<T>(
	method: string,
	path: string,
	options: { body?: unknown; key?: string | null } = {}
): Promise<T> {
	const headers: Record<string, string> = { accept: 'application/json' }
	if (options.body !== undefined) headers['content-type'] = 'application/json'
	if (options.key) headers.authorization = `Bearer ${options.key}`
	let response: Response
	try {
		response = await fetch(path, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			cache: 'no-store',
		})
	} catch (error) {
		throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error))
	}
	if (!response.ok) throw await errorFromResponse(response)
	return (await response.json()) as T
}

/** The session state; with the facilitator key also who is connected and how many notes are held or hidden. */
export const getSession = (roomId: string, key?: string | null) =>
	call<SessionAnswer>('GET', `${room(roomId)}/session`, { key })
/** Changes the session (facilitator). */
export const patchSession = (roomId: string, key: string, change: SessionChange) =>
	call<SessionAnswer>('PATCH', `${room(roomId)}/session`, { body: change, key })
/** Puts one of the participant's dots on a note. */
export const castVote = (roomId: string, noteId: string, participantId: string) =>
	call<VoteAnswer>('POST', `${room(roomId)}/votes`, { body: { noteId, participantId } })
/** Takes one of the participant's dots off a note. */
export const retractVote = (roomId: string, noteId: string, participantId: string) =>
	call<VoteAnswer>('DELETE', `${room(roomId)}/votes`, { body: { noteId, participantId } })
/** The participant's dots. */
export const myVotes = (roomId: string, participantId: string) =>
	call<VotingList>('GET', `${room(roomId)}/votes?participantId=${encodeURIComponent(participantId)}`)
/** Hides a note (facilitator). */
export const hideNote = (roomId: string, noteId: string, key: string) =>
	call<ModeratedNote>('POST', `${room(roomId)}/moderation/notes/${encodeURIComponent(noteId)}/hide`, { key })
/** Shows a hidden note again (facilitator). */
export const showNote = (roomId: string, noteId: string, key: string) =>
	call<ModeratedNote>('POST', `${room(roomId)}/moderation/notes/${encodeURIComponent(noteId)}/show`, { key })
/** Deletes a note for good, on the board or hidden (facilitator). */
export const deleteNoteForGood = (roomId: string, noteId: string, key: string) =>
	call<ModeratedNote>('DELETE', `${room(roomId)}/moderation/notes/${encodeURIComponent(noteId)}`, { key })
/** The hidden notes (facilitator). */
export const listHidden = (roomId: string, key: string) =>
	call<HiddenNoteList>('GET', `${room(roomId)}/moderation/hidden`, { key })
/** Posts a note as a participant (held during private writing). */
export const postOwnNote = (roomId: string, body: NoteBody) =>
	call<PostedNote>('POST', `${room(roomId)}/notes`, { body })
/** The participant's own notes, held ones included. */
export const listOwnNotes = (roomId: string, participantId: string) =>
	call<NoteList>('GET', `${room(roomId)}/notes?participantId=${encodeURIComponent(participantId)}`)
/** Deletes one of the participant's own notes. */
export const deleteOwnNote = (roomId: string, noteId: string, participantId: string) =>
	call<DeletedNote>('DELETE', `${room(roomId)}/notes/${encodeURIComponent(noteId)}`, { body: { participantId } })
