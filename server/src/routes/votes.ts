import type { FastifyReply, FastifyRequest } from 'fastify'
import {
	RECORDS_MAP,
	VOTES_MAP,
	type RouteBody,
	type RouteParams,
	type VoteAnswer,
	type VotingList,
} from '@kompasbord/shared'
import { rankNotesByZone } from '@kompasbord/shared/vote-ranking'
import { resolveZones } from '@kompasbord/templates'
import type { TLRecord } from '@tldraw/tlschema'
import { participantOf, requireParticipant } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { refuseRateLimited } from '../http/rate-limit'
import { withRoom } from './with-room'

/** `POST` / `DELETE /api/rooms/:roomId/votes`. */
type VoteRoute = { Params: RouteParams<'castVote'>; Body: RouteBody<'castVote'> }

/** Vote changes a participant may make in one burst, and regains per second. */
export const VOTE_BURST = 20
/** @see VOTE_BURST */
export const VOTES_PER_SECOND = 2

const NO_ZONE_LABEL = { nl: 'Overig', en: 'Other' }

/**
 * Dot voting: `POST /api/rooms/:roomId/votes` `{noteId}` puts one of the participant's dots on a note (201),
 * `DELETE` with the same body takes one off (200); both only during a voting round (else 409 `not_voting`),
 * within the budget the facilitator set (else 409 `no_votes_left`), rate-limited per participant. The
 * participant is the one the request's token names (`Authorization: Bearer <participantToken>`, 401 without):
 * an id a client makes up votes nothing. `GET /api/rooms/:roomId/votes` lists the board's notes per zone
 * ranked by votes (the phone's voting list and the ranking), with a participant token also that
 * participant's dots.
 */
export const voteRoutes = routePlugin(
	'kompasbord-vote-routes',
	{ dependencies: ['kompasbord-session'], decorators: ['rooms'] },
	async (app) => {
		const { votes } = app.session
		const limiter = app.rateLimits.factory.bucket('vote', { capacity: VOTE_BURST, refillPerSecond: VOTES_PER_SECOND })

		/** The handler of a dot change (`cast` or `retract`), rate-limited per participant, answering `status`. */
		const changeVote =
			(change: 'cast' | 'retract', status: number) =>
			async (request: FastifyRequest<VoteRoute>, reply: FastifyReply): Promise<VoteAnswer> => {
				const { roomId } = request.params
				const { noteId } = request.body
				const { participantId } = requireParticipant(request, roomId)
				const decision = await limiter.take(`${roomId}\u0000${participantId}`)
				if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many votes in a short time; wait a moment')
				const answer = await withRoom(app.rooms, roomId, (room) => votes[change](room, participantId, noteId))
				reply.code(status)
				return answer
			}
		const api = typed(app)
		api.route({ ...contractRoute('castVote'), handler: changeVote('cast', 201) })
		api.route({ ...contractRoute('retractVote'), handler: changeVote('retract', 200) })

		api.route({
			...contractRoute('listVotes'),
			handler: async (request, reply) => {
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
							...(zone.themes ? { themes: zone.themes } : {}),
						})),
					}
					const participant = participantOf(request, room.id)
					if (participant) list.votes = await votes.summary(room, participant.participantId)
					return list
				})
			},
		})
	}
)
