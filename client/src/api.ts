/**
 * The board app's calls to the server's HTTP API, made with the contract's typed fetch helper
 * (`@kompasbord/shared/contract/api-client`): every route's parameters, body and answer are the contract's
 * types, and error answers become {@link ApiError}s carrying the contract's error code.
 */
import {
	ApiError,
	type ApiInput,
	type CallOptions,
	type ClientConfig,
	type CreateRoomRequest,
	type CreatedRoom,
	type JoinedRoom,
	type RoomInfo,
	type RouteAnswer,
	type RouteName,
	requestApi,
	type TemplateSummary,
} from '@kompasbord/shared'

export { ApiError }
export type { ClientConfig }

/** Calls one route; throws an {@link ApiError} unless it succeeds. */
export function api<N extends RouteName>(name: N, input: ApiInput<N>, options?: CallOptions): Promise<RouteAnswer<N>> {
	return requestApi(name, input, options)
}

/**
 * Turns a non-2xx response of a route the typed helper does not read (the export files) into an
 * {@link ApiError}, reading the contract's `{"error":{"code","message"}}` body when there is one.
 */
export async function errorFromResponse(response: Response, route?: RouteName): Promise<ApiError> {
	let code: ApiError['code'] = `http_${response.status}`
	let message = response.statusText || `HTTP ${response.status}`
	try {
		const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } }
		if (typeof body?.error?.code === 'string') code = body.error.code as ApiError['code']
		if (typeof body?.error?.message === 'string') message = body.error.message
	} catch {
		// Not JSON: keep the status text.
	}
	return new ApiError(response.status, code, message, route)
}

/** `GET /api/templates`. */
export function fetchTemplates(signal?: AbortSignal): Promise<TemplateSummary[]> {
	return api('templates', {}, { signal })
}

/** `POST /api/rooms`. */
export function createRoom(request: CreateRoomRequest): Promise<CreatedRoom> {
	return api('createRoom', { body: request })
}

/** `POST /api/join/:joinCode`: a participant token of the code's room. */
export function joinRoomByCode(joinCode: string, passphrase?: string): Promise<JoinedRoom> {
	return api('joinRoom', { params: { joinCode }, body: passphrase ? { passphrase } : {} })
}

/** `GET /api/rooms/:roomId`. */
export function fetchRoom(roomId: string, signal?: AbortSignal): Promise<RoomInfo> {
	return api('getRoom', { params: { roomId } }, { signal })
}

/** `GET /api/config`; a server without the route (or an error) yields no key and no public URL. */
export async function fetchClientConfig(signal?: AbortSignal): Promise<ClientConfig> {
	try {
		const config: Partial<ClientConfig> = await api('clientConfig', {}, { signal })
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
	await api('deleteRoom', { params: { roomId } }, { key: facilitatorKey })
}
