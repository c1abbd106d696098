/**
 * The board app's view of the server's public HTTP contract (see DESIGN.md): typed fetch helpers that turn
 * the server's JSON errors into {@link ApiError}. The bodies and answers are the contract's types from
 * `@kompasbord/shared`.
 */
import type { CreateRoomRequest, CreatedRoom, RoomInfo, TemplateSummary } from '@kompasbord/shared'

/** Answer of `GET /api/config`. */
export interface ClientConfig {
	tldrawLicenseKey: string | null
	publicUrl: string | null
	/** How long a closed or unused board is kept (`RETENTION`, ms); null: kept for ever. */
	retentionMs: number | null
}

/** An HTTP error from the API, with the server's error code when it sent one. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super(message)
		this.name = 'ApiError'
	}
}

/**
 * Turns a non-2xx response into an {@link ApiError}, reading the contract's `{"error":{"code","message"}}` body
 * when there is one.
 */
export async function errorFromResponse(response: Response): Promise<ApiError> {
	let code = `http_${response.status}`
	let message = response.statusText || `HTTP ${response.status}`
	try {
		const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
		if (typeof body?.error?.code === 'string') code = body.error.code
		if (typeof body?.error?.message === 'string') message = body.error.message
	} catch {
		// Not JSON: keep the status text.
	}
	return new ApiError(response.status, code, message)
}

async function requestJson<T>(path: string, init?: RequestInit): Promise<T> {
	const response = await fetch(path, {
		...init,
		headers: {
			accept: 'application/json',
			...(init?.body ? { 'content-type': 'application/json' } : {}),
			...init?.headers,
		},
	})
	if (!response.ok) throw await errorFromResponse(response)
	return (await response.json()) as T
}

/** `GET /api/templates`. */
export function fetchTemplates(signal?: AbortSignal): Promise<TemplateSummary[]> {
	return requestJson<TemplateSummary[]>('/api/templates', { signal })
}

/** `POST /api/rooms`. */
export function createRoom(request: CreateRoomRequest): Promise<CreatedRoom> {
	return requestJson<CreatedRoom>('/api/rooms', { method: 'POST', body: JSON.stringify(request) })
}

/** `GET /api/rooms/:roomId`. */
export function fetchRoom(roomId: string, signal?: AbortSignal): Promise<RoomInfo> {
	return requestJson<RoomInfo>(`/api/rooms/${encodeURIComponent(roomId)}`, { signal })
}

/** `GET /api/config`; a server without the route (or an error) yields no key and no public URL. */
export async function fetchClientConfig(signal?: AbortSignal): Promise<ClientConfig> {
	try {
		const config = await requestJson<Partial<ClientConfig>>('/api/config', { signal })
		return {
			tldrawLicenseKey:
				typeof config.tldrawLicenseKey === 'string' && config.tldrawLicenseKey ? config.tldrawLicenseKey : null,
			publicUrl: typeof config.publicUrl === 'string' && config.publicUrl ? config.publicUrl : null,
			retentionMs: typeof config.retentionMs === 'number' && config.retentionMs > 0 ? config.retentionMs : null,
		}
	} catch (error) {
		if (signal?.aborted) throw error
		return { tldrawLicenseKey: null, publicUrl: null, retentionMs: null }
	}
}

/** `DELETE /api/rooms/:roomId` with the facilitator key: deletes the board and everything in it. */
export async function deleteRoom(roomId: string, facilitatorKey: string): Promise<void> {
	const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}`, {
		method: 'DELETE',
		headers: { authorization: `Bearer ${facilitatorKey}` },
	})
	if (!response.ok) throw await errorFromResponse(response)
}
