/**
 * The one typed fetch helper of the public HTTP API, for the board, the phone page and the tests. Routes are
 * called by name (`./route-lines`); the parameters, query, body and answer types come from the route table's
 * schemas (`./routes`, imported as types only), so a change to the contract that a caller does not follow
 * fails `tsc`. Nothing here pulls TypeBox into a bundle.
 *
 * @packageDocumentation
 */
import type { Static, TSchema } from '@sinclair/typebox'
import { ROUTE_LINES, type RouteName, routePath, splitRouteLine } from './route-lines'
import type { Routes } from './routes'
import type { ErrorCode } from './schemas'

type SchemaOf<N extends RouteName> = Routes[N]['schema']
type StaticOf<T> = T extends TSchema ? Static<T> : never
type Responses<N extends RouteName> = SchemaOf<N>['response']

/** The path parameters of a route (`undefined` when it has none). */
export type RouteParams<N extends RouteName> = SchemaOf<N> extends { params: infer P } ? StaticOf<P> : undefined
/** The query of a route (`undefined` when it takes none). */
export type RouteQuery<N extends RouteName> = SchemaOf<N> extends { querystring: infer Q } ? StaticOf<Q> : undefined
/** The JSON body of a route (`undefined` when it takes none). */
export type RouteBody<N extends RouteName> = SchemaOf<N> extends { body: infer B } ? StaticOf<B> : undefined
/** The success statuses of a route. */
export type SuccessStatus<N extends RouteName> = Extract<keyof Responses<N>, 200 | 201 | 204>
/** The answer of a route at `status` (by default: any success status). */
export type RouteAnswer<N extends RouteName, S extends keyof Responses<N> = SuccessStatus<N>> = StaticOf<
	Responses<N>[S]
>

/** What to send: the route's path parameters, query and body, each only where the route has them. */
export type ApiInput<N extends RouteName> = (RouteParams<N> extends undefined
	? { params?: undefined }
	: { params: RouteParams<N> }) &
	(RouteQuery<N> extends undefined ? { query?: undefined } : { query?: RouteQuery<N> }) &
	(RouteBody<N> extends undefined ? { body?: undefined } : { body: RouteBody<N> })

/** A success answer. */
export type ApiSuccess<N extends RouteName> = {
	[S in SuccessStatus<N>]: { ok: true; status: S; data: RouteAnswer<N, S> }
}[SuccessStatus<N>]

/** The server answered with an error: `code` from its JSON body (`http_<status>` when it sent none). */
export interface ApiHttpFailure {
	ok: false
	kind: 'http'
	status: number
	code: ErrorCode | `http_${number}`
	message: string
	/** From a `retry-after` header (429, 503), in seconds. */
	retryAfterSeconds: number | null
}

/** No answer: offline, timeout, server down. */
export interface ApiNetworkFailure {
	ok: false
	kind: 'network'
	message: string
}

/** What {@link callApi} gives back. */
export type ApiResult<N extends RouteName> = ApiSuccess<N> | ApiHttpFailure | ApiNetworkFailure

/** How to send a call. */
export interface CallOptions {
	/** The server's origin, e.g. `http://127.0.0.1:41234`; '' (the default) calls the page's own origin. */
	baseUrl?: string
	/** The room's facilitator key, sent as `Authorization: Bearer <key>`. */
	key?: string | null
	/** More request headers. */
	headers?: Record<string, string>
	signal?: AbortSignal
	/** Counts as "no connection" after this long; none by default. */
	timeoutMs?: number
}

/** The URL of a call: the route's path with its parameters filled in, and its query. */
export function apiUrl<N extends RouteName>(name: N, input: { params?: object; query?: object }, baseUrl = ''): string {
	const { url } = splitRouteLine(ROUTE_LINES[name])
	let path = routePath(url, input.params as Record<string, string> | undefined)
	if (input.query) {
		const search = new URLSearchParams()
		for (const [key, value] of Object.entries(input.query)) if (value !== undefined) search.set(key, String(value))
		const text = search.toString()
		if (text) path += `?${text}`
	}
	return `${baseUrl.replace(/\/+$/, '')}${path}`
}

/** The error code and message of an error answer's body. */
function errorOf(status: number, body: unknown, statusText: string): { code: ApiHttpFailure['code']; message: string } {
	const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error
	return {
		code: typeof error?.code === 'string' ? (error.code as ErrorCode) : `http_${status}`,
		message: typeof error?.message === 'string' ? error.message : statusText || `HTTP ${status}`,
	}
}

/** Calls one route of the API. Throws only when `options.signal` aborts; network trouble is `{ ok: false, kind: 'network' }`. */
export async function callApi<N extends RouteName>(
	name: N,
	input: ApiInput<N>,
	options: CallOptions = {}
): Promise<ApiResult<N>> {
	const { method } = splitRouteLine(ROUTE_LINES[name])
	const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
	const body = (input as { body?: unknown }).body
	if (body !== undefined) headers['content-type'] = 'application/json'
	if (options.key) headers.authorization = `Bearer ${options.key}`
	const controller = new AbortController()
	const onAbort = () => controller.abort()
	options.signal?.addEventListener('abort', onAbort)
	const timer = options.timeoutMs === undefined ? null : setTimeout(onAbort, options.timeoutMs)
	try {
		const response = await fetch(apiUrl(name, input, options.baseUrl), {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: controller.signal,
			cache: 'no-store',
		})
		const text = await response.text()
		let data: unknown = text
		if ((response.headers.get('content-type') ?? '').includes('json')) {
			try {
				data = text === '' ? null : JSON.parse(text)
			} catch {
				data = null
			}
		} else if (text === '') data = null
		if (response.ok) return { ok: true, status: response.status, data } as ApiSuccess<N>
		const retryAfter = Number(response.headers.get('retry-after'))
		return {
			ok: false,
			kind: 'http',
			status: response.status,
			...errorOf(response.status, data, response.statusText),
			retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
		}
	} catch (error) {
		if (options.signal?.aborted) throw error
		return { ok: false, kind: 'network', message: error instanceof Error ? error.message : String(error) }
	} finally {
		if (timer) clearTimeout(timer)
		options.signal?.removeEventListener('abort', onAbort)
	}
}

/** An error answer (or no answer: status 0, code `network`) of a call made with {@link requestApi}. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ApiHttpFailure['code'] | 'network',
		message: string,
		/** The route called, when known. */
		readonly route?: RouteName
	) {
		super(message)
		this.name = 'ApiError'
	}
}

/** Like {@link callApi}, but answers the data of a success and throws an {@link ApiError} otherwise. */
export async function requestApi<N extends RouteName>(
	name: N,
	input: ApiInput<N>,
	options?: CallOptions
): Promise<RouteAnswer<N>> {
	const result = await callApi(name, input, options)
	if (result.ok) return result.data as RouteAnswer<N>
	if (result.kind === 'network') throw new ApiError(0, 'network', result.message, name)
	throw new ApiError(result.status, result.code, result.message, name)
}
