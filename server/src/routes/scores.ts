import { requireFacilitator, requireParticipant } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { refuseRateLimited } from '../http/rate-limit'
import { withRoom } from './with-room'

/** Mark changes a participant may make in one burst, and regains per second. */
export const SCORE_BURST = 30
/** @see SCORE_BURST */
export const SCORES_PER_SECOND = 3

/**
 * Score rounds: `PUT /api/rooms/:roomId/score-round` `{action: 'start'|'close'}` (facilitator only: 401 without
 * the key, 403 with a wrong one; 400 `no_score_round` for a template without one, 409 when closing with no
 * round) writes the round into the session map; `PUT /api/rooms/:roomId/scores` `{zoneId, score}` sets the
 * participant's mark for a part while the round is open (the participant is the one the request's token names:
 * 401 without; 409 `no_score_round`, `score_round_closed` or `session_closed`; 400 `unknown_part`,
 * `score_out_of_range`), rate-limited per participant; `GET /api/rooms/:roomId/scores` answers the round and
 * the participant's own marks. Every board and phone sees the spread through the session map and the session
 * answer; who gave which mark stays on the server.
 */
export const scoreRoutes = routePlugin(
	'kompasbord-score-routes',
	{ dependencies: ['kompasbord-session'], decorators: ['rooms'] },
	async (app) => {
		const { scores } = app.session
		const limiter = app.rateLimits.factory.bucket('score', {
			capacity: SCORE_BURST,
			refillPerSecond: SCORES_PER_SECOND,
		})
		const api = typed(app)

		api.route({
			...contractRoute('setScoreRound'),
			handler: async (request) =>
				withRoom(app.rooms, request.params.roomId, async (room) => {
					requireFacilitator(request, room.meta)
					const scoreRound = request.body.action === 'start' ? await scores.start(room) : await scores.close(room)
					return { scoreRound }
				}),
		})

		api.route({
			...contractRoute('giveScore'),
			handler: async (request, reply) => {
				const { roomId } = request.params
				const { participantId } = requireParticipant(request, roomId)
				const decision = await limiter.take(`${roomId}\u0000${participantId}`)
				if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many marks in a short time; wait a moment')
				const { zoneId, score } = request.body
				return withRoom(app.rooms, roomId, (room) => scores.give(room, participantId, zoneId, score))
			},
		})

		api.route({
			...contractRoute('myScores'),
			handler: async (request, reply) => {
				reply.header('cache-control', 'no-store')
				const { roomId } = request.params
				const { participantId } = requireParticipant(request, roomId)
				return withRoom(app.rooms, roomId, (room) => scores.mine(room, participantId))
			},
		})
	}
)
