import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { RECORDS_MAP, VOTES_MAP, type VoteAnswer, type VotingList } from '@kompasbord/shared'
import { rankNotesByZone } from '@kompasbord/shared/vote-ranking'
import { resolveZones } from '@kompasbord/templates'
import type { TLRecord } from '@tldraw/tlschema'
import { TokenBucketLimiter, refuseRateLimited } from '../http/rate-limit'
import { withRoom } from './with-room'

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) })
type RoomParams = Static<typeof RoomParams>
const ParticipantId = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' })

const VoteBody = Type.Object(
	{ noteId: Type.String({ minLength: 1, maxLength: 128 }), participantId: ParticipantId },
	{ additionalProperties: false }
)
type VoteBody = Static<typeof VoteBody>
/** `POST` / `DELETE /api/rooms/:roomId/votes`. */
type VoteRoute = { Params: RoomParams; Body: VoteBody }

const VotesQuery = Type.Object({ participantId: Type.Optional(ParticipantId) })
type VotesQuery = Static<typeof VotesQuery>

/** Vote changes a participant may make in one burst, and regains per second. */
export const VOTE_BURST = 20
/** @see VOTE_BURST */
export const VOTES_PER_SECOND = 2

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

	/** The handler of a dot change (`cast` or `retract`), rate-limited per participant, answering `status`. */
	const changeVote =
		(change: 'cast' | 'retract', status: number) =>
		async (request: FastifyRequest<VoteRoute>, reply: FastifyReply): Promise<VoteAnswer> => {
			const { roomId } = request.params
			const { participantId, noteId } = request.body
			const decision = limiter.take(`${roomId}\u0000${participantId}`)
			if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many votes in a short time; wait a moment')
			const answer = await withRoom(app.rooms, roomId, (room) => votes[change](room, participantId, noteId))
			reply.code(status)
			return answer
		}
	const voteSchema = { schema: { params: RoomParams, body: VoteBody } }
	app.post<VoteRoute>('/api/rooms/:roomId/votes', voteSchema, changeVote('cast', 201))
	app.delete<VoteRoute>('/api/rooms/:roomId/votes', voteSchema, changeVote('retract', 200))

	app.get<{ Params: RoomParams; Querystring: VotesQuery }>(
		'/api/rooms/:roomId/votes',
		{ schema: { params: RoomParams, querystring: VotesQuery } },
		async (request, reply) => {
			reply.header('cache-control', 'no-store')
			return withRoom(app.rooms, request.params.roomId, async (room): Promise<VotingList> => {
				const zones = resolveZones(room.meta.templateId, { columns: room.meta.columns ?? undefined }) ?? []
				const labels = new Map(zones.map((z) => [z.id, z.label]))
				const records = new Map<string, TLRecord>()
				room.doc.getMap<TLRecord>(RECORDS_MAP).forEach((value, key) => records.set(key, value))
				const ranking = rankNotesByZone(
					records,
					room.doc.getMap<number>(VOTES_MAP).toJSON(),
					zones.map((z) => z.id)
				)
				const list: VotingList = {
					phase: app.session.sessions.state(room).phase,
					zones: ranking.map((zone) => ({
						zoneId: zone.zoneId,
						label:
							(zone.zoneId !== null && labels.get(zone.zoneId)) ||
							(zone.zoneId === null ? NO_ZONE_LABEL : { nl: zone.zoneId, en: zone.zoneId }),
						notes: zone.notes,
					})),
				}
				if (request.query.participantId) list.votes = await votes.summary(room, request.query.participantId)
				return list
			})
		}
	)
}
