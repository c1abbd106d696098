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

/**
 * Calls one route with the phone's timeout; with `token` (the participant token) as `Authorization: Bearer
 * <token>`, which is how the server knows who asks. Never throws.
 */
export async function call<N extends RouteName>(
	name: N,
	input: ApiInput<N>,
	token?: string | null
): Promise<ApiResult<RouteAnswer<N>>> {
	return (await callApi(name, input, { timeoutMs: REQUEST_TIMEOUT_MS, key: token ?? null })) as ApiResult<
		RouteAnswer<N>
	>
}

/** `GET /api/join/:code` → the room id. */
export const joinByCode = (joinCode: string) => call('joinByCode', { params: { joinCode } })
/**
 * `POST /api/join/:code` → a participant token of the room (the same one again when `token` is still valid); with
 * the room's passphrase when it has one (401 `passphrase_required` without, 403 `wrong_passphrase`).
 */
export const joinRoom = (joinCode: string, token?: string | null, passphrase?: string) =>
	call('joinRoom', { params: { joinCode }, body: passphrase ? { passphrase } : {} }, token)
/** `GET /api/rooms/:roomId`. */
export const getRoom = (roomId: string, token?: string | null) => call('getRoom', { params: { roomId } }, token)
/** `POST /api/rooms/:roomId/notes`. */
export const postNote = (roomId: string, note: NoteBody, token: string) =>
	call('postNote', { params: { roomId }, body: note }, token)
/** `GET /api/rooms/:roomId/notes`: the notes of the token's participant. */
export const listNotes = (roomId: string, token: string) => call('listNotes', { params: { roomId } }, token)
/** `PATCH /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const patchNote = (roomId: string, noteId: string, body: NotePatch, token: string) =>
	call('patchNote', { params: { roomId, noteId }, body }, token)
/** `DELETE /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const deleteNote = (roomId: string, noteId: string, token: string) =>
	call('deleteNote', { params: { roomId, noteId }, body: {} }, token)
/** `GET /api/rooms/:roomId/votes`: the ranked notes, with the token's participant's dots. */
export const listVotes = (roomId: string, token?: string | null) => call('listVotes', { params: { roomId } }, token)
/** `POST` (add) or `DELETE` (take back) one of the participant's dots on a note. */
export const changeVote = (roomId: string, noteId: string, token: string, add: boolean) =>
	add
		? call('castVote', { params: { roomId }, body: { noteId } }, token)
		: call('retractVote', { params: { roomId }, body: { noteId } }, token)

/** Whether an answer says the participant token is missing or not (or no longer) one of this room. */
export function isTokenRefusal(result: ApiResult<unknown>): boolean {
	return !result.ok && result.kind === 'http' && result.status === 401
}
