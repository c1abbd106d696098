/**
 * The list view's calls: the phone's own API module for notes (so a participant's identity is the phone's),
 * and the votes routes.
 */
import { changeVote, listVotes } from '../phone/api'

export { deleteNote, getRoom, listNotes, patchNote, postNote, type ApiResult } from '../phone/api'

/** `GET /api/rooms/:roomId/votes?participantId=`: the participant's dots and budget. */
export const myVotes = (roomId: string, participantId: string) => listVotes(roomId, participantId)
/** `POST /api/rooms/:roomId/votes`: one dot on a note. */
export const castVote = (roomId: string, noteId: string, participantId: string) =>
	changeVote(roomId, noteId, participantId, true)
/** `DELETE /api/rooms/:roomId/votes`: one dot off a note. */
export const retractVote = (roomId: string, noteId: string, participantId: string) =>
	changeVote(roomId, noteId, participantId, false)
