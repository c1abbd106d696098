/**
 * The phone page's HTTP client: the few public routes it uses, with a timeout, and one result shape that tells
 * "the server answered" from "no connection". The answers' types are the contract's, from `@kompasbord/shared`
 * (types only: nothing of shared's code reaches the phone bundle through this module).
 */
import type {
	DeletedNote,
	JoinAnswer,
	NoteBody,
	NoteList,
	NotePatch,
	NoteView,
	PostedNote,
	RoomInfo,
} from '@kompasbord/shared'

/** What any call gives back. */
export type ApiResult<T> =
	| { ok: true; status: number; data: T }
	/** The server answered with an error (`code` from its JSON body). */
	| { ok: false; kind: 'http'; status: number; code: string; message: string; retryAfterSeconds: number | null }
	/** No answer: offline, timeout, server down. */
	| { ok: false; kind: 'network'; message: string }

/** How long a request may take before it counts as "no connection". */
export const REQUEST_TIMEOUT_MS = 10_000

/** Sends one JSON request. Never throws. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
	const controller = new AbortController()
	const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS)
	try {
		const response = await fetch(path, {
			method,
			headers:
				body === undefined
					? { accept: 'application/json' }
					: { 'content-type': 'application/json', accept: 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: controller.signal,
			cache: 'no-store',
		})
		let json: unknown = null
		try {
			json = await response.json()
		} catch {
			json = null
		}
		if (response.ok) return { ok: true, status: response.status, data: json as T }
		const error = (json as { error?: { code?: string; message?: string } } | null)?.error
		const retryAfter = Number(response.headers.get('retry-after'))
		return {
			ok: false,
			kind: 'http',
			status: response.status,
			code: error?.code ?? `http_${response.status}`,
			message: error?.message ?? response.statusText,
			retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
		}
	} catch (error) {
		return { ok: false, kind: 'network', message: error instanceof Error ? error.message : String(error) }
	} finally {
		clearTimeout(timer)
	}
}

const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`

/** `GET /api/join/:code` → the room id. */
export const joinByCode = (code: string) => request<JoinAnswer>('GET', `/api/join/${encodeURIComponent(code)}`)
/** `GET /api/rooms/:roomId`. */
export const getRoom = (roomId: string) => request<RoomInfo>('GET', room(roomId))
/** `POST /api/rooms/:roomId/notes`. */
export const postNote = (roomId: string, note: NoteBody) => request<PostedNote>('POST', `${room(roomId)}/notes`, note)
/** `GET /api/rooms/:roomId/notes?participantId=`. */
export const listNotes = (roomId: string, participantId: string) =>
	request<NoteList>('GET', `${room(roomId)}/notes?participantId=${encodeURIComponent(participantId)}`)
/** `PATCH /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const patchNote = (roomId: string, noteId: string, body: NotePatch) =>
	request<NoteView>('PATCH', `${room(roomId)}/notes/${encodeURIComponent(noteId)}`, body)
/** `DELETE /api/rooms/:roomId/notes/:noteId` as the note's participant. */
export const deleteNote = (roomId: string, noteId: string, participantId: string) =>
	request<DeletedNote>('DELETE', `${room(roomId)}/notes/${encodeURIComponent(noteId)}`, { participantId })
