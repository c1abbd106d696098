/**
 * Small typed client for the public HTTP contract (docs/API.md; the types are the contract's, from
 * `@kompasbord/shared/contract`). Each helper expects the documented success status and throws an
 * {@link ApiError} otherwise; `request()` returns any status, for tests of error answers.
 */
import type {
	CreatedRoom,
	ErrorBody,
	Health,
	JoinAnswer,
	JoinedRoom,
	LocalizedText,
	NoteBody,
	NoteView,
	PostedNote,
	RoomInfo,
	SessionAnswer,
	SessionChange,
	TemplateSummary,
	VoteAnswer,
	VoteBody,
} from '@kompasbord/shared'

/** Localised string as the API returns it. */
export type Localized = LocalizedText
/** `POST /api/rooms/:roomId/notes` body (the contract's `NoteBody`). */
export type NoteInput = NoteBody
/** `PATCH /api/rooms/:roomId/session` body (the contract's `SessionChange`). */
export type SessionPatch = SessionChange
export type { CreatedRoom, ErrorBody, JoinedRoom, PostedNote, RoomInfo, TemplateSummary }

/** Export formats of `GET /api/rooms/:roomId/export.<format>`. */
export type ExportFormat = 'json' | 'md' | 'csv' | 'docx'

/** Any answer, as {@link ApiClient.request} returns it. */
export interface ApiResponse<T = unknown> {
	status: number
	headers: Headers
	/** Parsed JSON when the answer is JSON, else the text. */
	body: T
}

/** Thrown when an answer has another status than the helper expected. */
export class ApiError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: unknown
	) {
		super(`${method} ${path} answered ${status}: ${typeof body === 'string' ? body : JSON.stringify(body)}`)
		this.name = 'ApiError'
	}
}

/** Options of {@link ApiClient.request}. */
export interface RequestOptions {
	/** JSON body. */
	body?: unknown
	/** Sent as `Authorization: Bearer <key>`. */
	facilitatorKey?: string
	/** Sent as `Authorization: Bearer <token>` (a participant token, or any other bearer token). */
	token?: string
	headers?: Record<string, string>
}

/** The helpers returned by {@link api}. */
export interface ApiClient {
	/** Any request; never throws on a status. */
	request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>
	health(): Promise<Health>
	templates(): Promise<TemplateSummary[]>
	/** `POST /api/rooms` with `{ templateId, ...body }`; expects 201. */
	createRoom(templateId: string, body?: { title?: string; [key: string]: unknown }): Promise<CreatedRoom>
	getRoom(roomId: string): Promise<RoomInfo>
	join(joinCode: string): Promise<JoinAnswer>
	/** `POST /api/join/:joinCode`: a new participant of the room (201), or the same one again with `token` (200). */
	joinRoom(joinCode: string, token?: string): Promise<JoinedRoom>
	/** Expects 201 (new note) or 200 (same `clientNoteId` again); `participantToken` says who posts. */
	postNote(roomId: string, note: NoteInput, participantToken: string): Promise<PostedNote>
	/** `auth`: the note's participant's token or the facilitator key. */
	patchNote(roomId: string, noteId: string, body: Record<string, unknown>, auth: string): Promise<NoteView>
	/** `auth`: the note's participant's token or the facilitator key. */
	deleteNote(roomId: string, noteId: string, body: Record<string, unknown> | undefined, auth: string): Promise<unknown>
	patchSession(roomId: string, facilitatorKey: string, patch: SessionPatch): Promise<SessionAnswer>
	vote(roomId: string, body: VoteBody, participantToken: string): Promise<VoteAnswer>
	unvote(roomId: string, body: VoteBody, participantToken: string): Promise<VoteAnswer>
	/** The raw export answer (JSON, Markdown, CSV or a .docx body); expects 200. */
	exportRoom(roomId: string, facilitatorKey: string, format: ExportFormat): Promise<Response>
}

/**
 * Typed fetch helpers for one server.
 * @param baseUrl - e.g. `http://127.0.0.1:41234`
 */
export function api(baseUrl: string): ApiClient {
	const root = baseUrl.replace(/\/+$/, '')

	const send = async (method: string, path: string, options: RequestOptions = {}): Promise<Response> => {
		const headers: Record<string, string> = { ...options.headers }
		if (options.body !== undefined) headers['content-type'] = 'application/json'
		const bearer = options.token ?? options.facilitatorKey
		if (bearer) headers.authorization = `Bearer ${bearer}`
		return fetch(`${root}${path}`, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
		})
	}

	const request = async <T>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>> => {
		const response = await send(method, path, options)
		const text = await response.text()
		const isJson = (response.headers.get('content-type') ?? '').includes('json')
		let body: unknown = text
		if (isJson && text !== '') body = JSON.parse(text)
		return { status: response.status, headers: response.headers, body: body as T }
	}

	const expect = async <T>(statuses: number[], method: string, path: string, options?: RequestOptions): Promise<T> => {
		const answer = await request<T>(method, path, options)
		if (!statuses.includes(answer.status)) throw new ApiError(method, path, answer.status, answer.body)
		return answer.body
	}

	const room = (roomId: string) => `/api/rooms/${encodeURIComponent(roomId)}`

	return {
		request,
		health: () => expect([200], 'GET', '/api/health'),
		templates: () => expect([200], 'GET', '/api/templates'),
		createRoom: (templateId, body = {}) => expect([201], 'POST', '/api/rooms', { body: { templateId, ...body } }),
		getRoom: (roomId) => expect([200], 'GET', room(roomId)),
		join: (joinCode) => expect([200], 'GET', `/api/join/${encodeURIComponent(joinCode)}`),
		joinRoom: (joinCode, token) => expect([200, 201], 'POST', `/api/join/${encodeURIComponent(joinCode)}`, { token }),
		postNote: (roomId, note, participantToken) =>
			expect([200, 201], 'POST', `${room(roomId)}/notes`, { body: note, token: participantToken }),
		patchNote: (roomId, noteId, body, auth) =>
			expect([200], 'PATCH', `${room(roomId)}/notes/${encodeURIComponent(noteId)}`, { body, token: auth }),
		deleteNote: (roomId, noteId, body, auth) =>
			expect([200, 204], 'DELETE', `${room(roomId)}/notes/${encodeURIComponent(noteId)}`, { body, token: auth }),
		patchSession: (roomId, facilitatorKey, patch) =>
			expect([200], 'PATCH', `${room(roomId)}/session`, { body: patch, facilitatorKey }),
		vote: (roomId, body, participantToken) =>
			expect([200, 201], 'POST', `${room(roomId)}/votes`, { body, token: participantToken }),
		unvote: (roomId, body, participantToken) =>
			expect([200, 204], 'DELETE', `${room(roomId)}/votes`, { body, token: participantToken }),
		exportRoom: async (roomId, facilitatorKey, format) => {
			const path = `${room(roomId)}/export.${format}`
			const response = await send('GET', path, { facilitatorKey })
			if (response.status !== 200) throw new ApiError('GET', path, response.status, await response.text())
			return response
		},
	}
}
