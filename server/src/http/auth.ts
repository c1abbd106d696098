import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { verifyKey } from '../rooms/credentials'
import type { ParticipantIdentity, ParticipantTokens } from '../rooms/participant-tokens'
import type { RoomRecord } from '../store/room-store'
import { httpError } from './errors'

declare module 'fastify' {
	interface FastifyInstance {
		/** Signs and checks participant and view tokens (server/src/rooms/participant-tokens.ts). */
		participantTokens: ParticipantTokens
	}
}

/** The token of an `Authorization: Bearer <token>` header; null when there is none. */
export function bearerToken(request: FastifyRequest): string | null {
	const header = request.headers.authorization
	if (!header) return null
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
	return match ? match[1] : null
}

/** Whether the request carries the room's facilitator key (`Authorization: Bearer <facilitatorKey>`). */
export function isFacilitator(request: FastifyRequest, room: Pick<RoomRecord, 'facilitatorKeyHash'>): boolean {
	return verifyKey(bearerToken(request), room.facilitatorKeyHash)
}

/**
 * Throws unless the request carries the room's facilitator key: 401 `unauthorized` without a key, 403
 * `forbidden` with a wrong one.
 */
export function requireFacilitator(request: FastifyRequest, room: Pick<RoomRecord, 'facilitatorKeyHash'>): void {
	const token = bearerToken(request)
	if (!token) throw httpError(401, 'unauthorized', 'This needs the facilitator key (Authorization: Bearer <key>)')
	if (!verifyKey(token, room.facilitatorKeyHash)) throw httpError(403, 'forbidden', 'Wrong facilitator key')
}

/** Whether two secrets are equal, in time that does not depend on where they differ. */
export function tokensMatch(given: string, expected: string): boolean {
	const a = createHash('sha256').update(given).digest()
	const b = createHash('sha256').update(expected).digest()
	return timingSafeEqual(a, b)
}

/**
 * Guards an operator route (metrics, admin) with a token from the environment (`METRICS_TOKEN`,
 * `ADMIN_TOKEN`): without a configured token the route does not exist (404 `not_found`); without the right
 * `Authorization: Bearer <token>` it answers 401 `unauthorized`.
 */
export function requireOperatorToken(request: FastifyRequest, expected: string | null): void {
	if (!expected) throw httpError(404, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`)
	const token = bearerToken(request)
	if (!token || !tokensMatch(token, expected)) {
		throw httpError(401, 'unauthorized', 'This needs the operator token (Authorization: Bearer <token>)')
	}
}

/**
 * The participant the request's token names (`Authorization: Bearer <participantToken>`, issued by
 * `POST /api/join/:joinCode` for this room); null when the request carries no valid participant token.
 */
export function participantOf(request: FastifyRequest, roomId: string): ParticipantIdentity | null {
	return request.server.participantTokens.verify(roomId, bearerToken(request))
}

/**
 * The participant the request's token names; 401 `participant_token_required` without a bearer token and
 * 401 `bad_participant_token` with one that is not a participant token of this room.
 */
export function requireParticipant(request: FastifyRequest, roomId: string): ParticipantIdentity {
	const token = bearerToken(request)
	if (!token) {
		throw httpError(
			401,
			'participant_token_required',
			'Join the room first (POST /api/join/:joinCode) and send Authorization: Bearer <participantToken>'
		)
	}
	const identity = request.server.participantTokens.verify(roomId, token)
	if (!identity)
		throw httpError(401, 'bad_participant_token', 'This is not a participant token of this room; join again')
	return identity
}

/** Whether a presented secret (null: none) equals the configured one, in constant time. */
export function sameSecret(presented: string | null, expected: string): boolean {
	return presented !== null && tokensMatch(presented, expected)
}
