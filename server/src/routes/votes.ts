import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { RECORDS_MAP, VOTES_MAP, type SessionPhase } from '@kompasbord/shared'
import { rankNotesByZone, type RankedNote } from '@kompasbord/shared/vote-ranking'
import { resolveZones } from '@kompasbord/templates'
import type { TLRecord } from '@tldraw/tlschema'
import { httpError } from '../http/errors'
import { TokenBucketLimiter, refuseRateLimited } from '../http/rate-limit'
import type { Room } from '../rooms/room'
import type { VoteSummary } from '../session'

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) })
type RoomParams = Static<typeof RoomParams>
const ParticipantId = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })

const VoteBody = Type.Object(
	{ noteId: Type.String({ minLength: 1, maxLength: 128 }), participantId: ParticipantId },
	{ additionalProperties: false }
)
type VoteBody = Static<typeof VoteBody>

const VotesQuery = Type.Object({ participantId: Type.Optional(ParticipantId) })
type VotesQuery = Static<typeof VotesQuery>

/** Vote changes a participant may make in one burst, and regains per second. */
export const VOTE_BURST = 20
/** @see VOTE_BURST */
export const VOTES_PER_SECOND = 2

/** One zone of the voting list: its label and its notes, ranked by votes. */
export interface VotingZone {
	zoneId: string | null
	label: { nl: string; en: string }
	notes: RankedNote[]
}

/** `GET /api/rooms/:roomId/votes` answer. */
export interface VotingList {
	phase: SessionPhase
	zones: VotingZone[]
	/** With `participantId`: that participant's dots. */
	votes?: VoteSummary
}

const NO_ZONE_LABEL = { nl: 'Overig', en: 'Other' }

/**
 * Dot voting: `POST /api/rooms/:roomId/votes` `{noteId, participantId}` puts one of the participant's dots on
 * a note (201), `DELETE` with the same body takes one off (200); both only during a voting round (else 409
 * `not_voting`), within the budget the facilitator set (else 409 `no_votes_left`), rate-limited per
 * participant. `GET /api/rooms/:roomId/votes?participantId=` lists the board's notes per zone ranked by votes
 * (the phone's voting list and the ranking), with that participant's dots.
 */
export const voteRoutes: FastifyPluginAsync = async (app) => {
	const { votes } = app.session
	const limiter = new TokenBucketLimiter({ capacity: VOTE_BURST, refillPerSecond: VOTES_PER_SECOND })

	const withRoom = async <T>(roomId: string, fn: (room: Room) => Promise<T>): Promise<T> => {
		const result = await app.rooms.use(roomId, async (room) => ({ value: await fn(room) }))
		if (!result) throw httpError(404, 'room_not_found', 'No room with this id')
		return result.value
	}

	const limit = (reply: FastifyReply, roomId: string, participantId: string) => {
		const decision = limiter.take(`${roomId}\u0000${participantId}`)
		if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many votes in a short time; wait a moment')
	}

	app.post<{ Params: RoomParams; Body: VoteBody }>(
		'/api/rooms/:roomId/votes',
		{ schema: { params: RoomParams, body: VoteBody } },
		async (request, reply) => {
			const { roomId } = request.params
			limit(reply, roomId, request.body.participantId)
			const result = await withRoom(roomId, (room) => votes.cast(room, request.body.participantId, request.body.noteId))
			reply.code(201)
			return result
		}
	)

	app.delete<{ Params: RoomParams; Body: VoteBody }>(
		'/api/rooms/:roomId/votes',
		{ schema: { params: RoomParams, body: VoteBody } },
		async (request, reply) => {
			const { roomId } = request.params
			limit(reply, roomId, request.body.participantId)
			return withRoom(roomId, (room) => votes.retract(room, request.body.participantId, request.body.noteId))
		}
	)

	app.get<{ Params: RoomParams; Querystring: VotesQuery }>(
		'/api/rooms/:roomId/votes',
		{ schema: { params: RoomParams, querystring: VotesQuery } },
		async (request, reply) => {
			reply.header('cache-control', 'no-store')
			return withRoom(request.params.roomId, async (room): Promise<VotingList> => {
				const zones = resolveZones(room.meta.templateId, { columns: room.meta.columns ?? undefined }) ?? []
				const labels = new Map(zones.map((z) => [z.id, z.label]))
				const records = new Map<string, TLRecord>()
				room.doc.getMap<TLRecord>(RECORDS_MAP).forEach((value, key) => records.set(key, value))
				const ranking = rankNotesByZone(records, room.doc.getMap<number>(VOTES_MAP).toJSON(), zones.map((z) => z.id))
				const list: VotingList = {
					phase: app.session.sessions.state(room).phase,
					zones: ranking.map((zone) => ({
						zoneId: zone.zoneId,
						label: (zone.zoneId !== null && labels.get(zone.zoneId)) || (zone.zoneId === null ? NO_ZONE_LABEL : { nl: zone.zoneId, en: zone.zoneId }),
						notes: zone.notes,
					})),
				}
				if (request.query.participantId) list.votes = await votes.summary(room, request.query.participantId)
				return list
			})
		}
	)
}
