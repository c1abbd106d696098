import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { errorBody, type ErrorCode } from '../http/errors'

/** What a `GET /ws/:roomId` upgrade request asks for. */
export interface WsTarget {
	roomId: string
	/** `?key=`: the facilitator key, to be checked against the room's. */
	key: string | null
	/** `?view=1` (or `true`): a read-only connection. */
	view: boolean
	/** `?pid=`: the participant id a board shares with the phone, when it has the API's shape; null otherwise. */
	participantId: string | null
}

/** A participant id as the notes and votes API accept it. */
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{8,100}$/

/** The y-websocket endpoint: one path segment after `/ws/`. */
const WS_PATH = /^\/ws\/([^/]+)$/

/** An upgrade request that cannot be answered with a websocket: the HTTP status and JSON error to send. */
export class UpgradeRefusal {
	constructor(
		readonly statusCode: number,
		readonly code: ErrorCode,
		readonly message: string
	) {}
}

/**
 * Reads the room id and the query of an upgrade request's URL (`/ws/<roomId>?key=…&view=1&pid=…`); an
 * {@link UpgradeRefusal} for any other path. The query is parsed after the first `?` only: the URL is never
 * resolved against a base, so `//host/…` cannot pass for another origin.
 */
export function parseWsTarget(url: string): WsTarget | UpgradeRefusal {
	const queryAt = url.indexOf('?')
	const path = queryAt < 0 ? url : url.slice(0, queryAt)
	const match = WS_PATH.exec(path)
	if (!match) return new UpgradeRefusal(404, 'not_found', `No websocket endpoint at ${path}`)
	let roomId: string
	try {
		roomId = decodeURIComponent(match[1])
	} catch {
		return new UpgradeRefusal(400, 'bad_request', 'The room id is not valid URL encoding')
	}
	const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1))
	const view = query.get('view')
	const pid = query.get('pid')
	return {
		roomId,
		key: query.get('key'),
		view: view === '1' || view === 'true',
		participantId: pid !== null && PARTICIPANT_ID.test(pid) ? pid : null,
	}
}

/**
 * Answers an upgrade request with an HTTP error (`{"error":{"code","message"}}`, as every REST error) and
 * closes the socket once the answer is written.
 */
export function refuseUpgrade(socket: Duplex, refusal: UpgradeRefusal): void {
	if (!socket.writable) {
		socket.destroy()
		return
	}
	const body = JSON.stringify(errorBody(refusal.code, refusal.message))
	socket.once('finish', () => socket.destroy())
	socket.end(
		`HTTP/1.1 ${refusal.statusCode} ${STATUS_CODES[refusal.statusCode] ?? 'Error'}\r\n` +
			'Connection: close\r\n' +
			'Content-Type: application/json; charset=utf-8\r\n' +
			`Content-Length: ${Buffer.byteLength(body)}\r\n` +
			'\r\n' +
			body
	)
}
