import type { ErrorCode } from '../http/errors'

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

/** An upgrade request that cannot be answered with a websocket: the HTTP status and JSON error to send. */
export class UpgradeRefusal {
	constructor(
		readonly statusCode: number,
		readonly code: ErrorCode,
		readonly message: string
	) {}
}
