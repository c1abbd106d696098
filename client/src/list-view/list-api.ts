/**
 * The list view's calls: the phone's own API module for notes (so a participant's identity is the phone's),
 * and the votes routes.
 */
import type { VoteAnswer, VotingList } from '@kompasbord/shared'
import { request } from '../phone/api'

export { deleteNote, getRoom, listNotes, patchNote, postNote, type ApiResult } from '../phone/api'

const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`

/** `GET /api/rooms/:roomId/votes?participantId=`: the participant's dots and budget. */
export const myVotes = (roomId: string, participantId: string) =>
	request<VotingList>('GET', `${room(roomId)}/votes?participantId=${encodeURIComponent(participantId)}`)
/** `POST /api/rooms/:roomId/votes`: one dot on a note. */
export const castVote = (roomId: string, noteId: string, participantId: string) =>
	request<VoteAnswer>('POST', `${room(roomId)}/votes`, { noteId, participantId })
/** `DELETE /api/rooms/:roomId/votes`: one dot off a note. */
export const retractVote = (roomId: string, noteId: string, participantId: string) =>
	request<VoteAnswer>('DELETE', `${room(roomId)}/votes`, { noteId, participantId })
