import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import { errorBody, type ErrorCode } from '../http/errors'

/** The subprotocol the server speaks (the y-websocket protocol); a client offers it beside its credential. */
export const WS_SUBPROTOCOL = 'kompasbord'

/** Which capability a websocket credential claims. */
export type WsCredentialKind = 'facilitator' | 'participant' | 'view'

/** Subprotocol prefixes that carry a credential: `kompasbord-<kind>.<secret>`. */
const CREDENTIAL_PREFIXES: ReadonlyArray<[string, WsCredentialKind]> = [
	['kompasbord-facilitator.', 'facilitator'],
	['kompasbord-participant.', 'participant'],
	['kompasbord-view.', 'view'],
]

/** A credential a websocket client sent, still to be checked against the room. */
export interface WsCredential {
	kind: WsCredentialKind
	secret: string
}

/** What a `GET /ws/:roomId` upgrade request asks for. */
export interface WsTarget {
	roomId: string
	/** The credential offered as a subprotocol; null when there is none (the upgrade is refused). */
	credential: WsCredential | null
}

/**
 * The credential among the offered subprotocols (`Sec-WebSocket-Protocol: kompasbord,
 * kompasbord-participant.<token>`): the facilitator key, a participant token or a view token. Credentials
 * travel in this header, not in the URL, so they never show up in an access log.
 */
export function credentialFrom(header: string | string[] | undefined): WsCredential | null {
	const offered = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',')
	for (const raw of offered) {
		const protocol = raw.trim()
		for (const [prefix, kind] of CREDENTIAL_PREFIXES) {
			if (protocol.startsWith(prefix) && protocol.length > prefix.length)
				return { kind, secret: protocol.slice(prefix.length) }
		}
	}
	return null
}

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
 * Reads the room id of an upgrade request's URL (`/ws/<roomId>`; a query is ignored) and the credential of its
 * subprotocols; an {@link UpgradeRefusal} for any other path. The URL is never resolved against a base, so
 * `//host/…` cannot pass for another origin.
 */
export function parseWsTarget(url: string, protocols?: string | string[]): WsTarget | UpgradeRefusal {
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
	return { roomId, credential: credentialFrom(protocols) }
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
