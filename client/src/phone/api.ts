/**
 * The phone page's HTTP client: the few public routes it uses, through the contract's typed fetch helper
 * (`@kompasbord/shared/contract/api-client`), with a timeout, and one result shape that tells "the server
 * answered" from "no connection". That module and the route names it needs have no dependency: the phone
 * imports the contract's types only, so no TypeBox reaches its bundle (scripts/check-phone-budget.mjs).
 */
import type { NoteBody, NotePatch } from '@kompasbord/shared'
import {
	type ApiHttpFailure,
	type ApiInput,
	type ApiNetworkFailure,
	type RouteAnswer,
	callApi,
} from '@kompasbord/shared/contract/api-client'
import type { RouteName } from '@kompasbord/shared/contract/route-lines'

/** What any call gives back: the answer's data, the server's error (`code` from the contract), or no answer. */
export type ApiResult<T> = { ok: true; status: number; data: T } | ApiHttpFailure | ApiNetworkFailure

/** How long a request may take before it counts as "no connection". */
export const REQUEST_TIMEOUT_MS = 10_000

/** Calls one route with the phone's timeout. Never throws. */
export async function call<N extends RouteName>(name: N, input: ApiInput<N>): Promise<ApiResult<RouteAnswer<N>>> {
	return (await callApi(name, input, { timeoutMs: REQUEST_TIMEOUT_MS })) as ApiResult<RouteAnswer<N>>
}

/** `GET /api/join/:code` → the room id. */
export const joinByCode = (joinCode: string) => call('joinByCode', { params: { joinCode } })
/** `GET /api/rooms/:roomId`. */
export const getRoom = (roomId: string) => call('getRoom', { params: { roomId } })
/** `POST /api/rooms/:roomId/notes`. */
export const postNote = (roomId: string, note: NoteBody) => call('postNote', { params: { roomId }, body: note })
/** `GET /api/rooms/:roomId/notes?participantId=`. */
export const listNotes = (roomId: string, participantId: string) =>
	call('listNotes', { params: { roomId }, query: { participantId } })
/** `PATCH /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const patchNote = (roomId: string, noteId: string, body: NotePatch) =>
	call('patchNote', { params: { roomId, noteId }, body })
/** `DELETE /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const deleteNote = (roomId: string, noteId: string, participantId: string) =>
	call('deleteNote', { params: { roomId, noteId }, body: { participantId } })
/** `GET /api/rooms/:roomId/votes?participantId=`: the ranked notes, with the participant's dots. */
export const listVotes = (roomId: string, participantId?: string) =>
	call('listVotes', { params: { roomId }, query: participantId ? { participantId } : {} })
/** `POST` (add) or `DELETE` (take back) one of the participant's dots on a note. */
export const changeVote = (roomId: string, noteId: string, participantId: string, add: boolean) =>
	add
		? call('castVote', { params: { roomId }, body: { noteId, participantId } })
		: call('retractVote', { params: { roomId }, body: { noteId, participantId } })
