/**
 * The list view's calls: the phone's own API module for notes (so a participant's identity is the phone's),
 * and the votes routes.
 */
import { changeVote, listVotes } from '../phone/api'

export { deleteNote, getRoom, listNotes, patchNote, postNote, type ApiResult } from '../phone/api'

/** `GET /api/rooms/:roomId/votes` with the participant's token: their dots and budget. */
export const myVotes = (roomId: string, token: string) => listVotes(roomId, token)
/** `POST /api/rooms/:roomId/votes`: one dot on a note. */
export const castVote = (roomId: string, noteId: string, token: string) => changeVote(roomId, noteId, token, true)
/** `DELETE /api/rooms/:roomId/votes`: one dot off a note. */
export const retractVote = (roomId: string, noteId: string, token: string) => changeVote(roomId, noteId, token, false)
