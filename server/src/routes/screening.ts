import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireFacilitator } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { refuseRateLimited } from '../http/rate-limit'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

/**
 * The screening queue, facilitator only (`Authorization: Bearer <facilitatorKey>`): `GET
 * /api/rooms/:roomId/screening` lists the notes waiting for review with their word-list flags and the word lists,
 * `POST …/screening/approve` (`{noteIds}` or `{all: true}`) places them, `POST …/screening/reject` (`{noteIds}`)
 * deletes them from the server, `PUT …/screening/words` replaces the room's own words. The changes are
 * rate-limited per room like note posts (after the key is checked, so no one else can use up the facilitator's
 * budget). Screening itself is switched with `PATCH /api/rooms/:roomId/session` (`screening`).
 */
export const screeningRoutes = routePlugin(
	'kompasbord-screening-routes',
	{ dependencies: ['kompasbord-session', 'kompasbord-rate-limits'], decorators: ['rooms'] },
	async (app) => {
		const { screening } = app.session

		const asFacilitator = <T>(
			request: FastifyRequest,
			reply: FastifyReply | null,
			roomId: string,
			fn: (room: Room) => Promise<T>
		): Promise<T> =>
			withRoom(app.rooms, roomId, async (room) => {
				requireFacilitator(request, room.meta)
				if (reply) {
					const decision = await app.rateLimits.notePosts.take(`screening\u0000${roomId}`)
					if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many changes in a short time; wait a moment')
				}
				return fn(room)
			})

		const api = typed(app)
		api.route({
			...contractRoute('screeningQueue'),
			handler: async (request, reply) => {
				reply.header('cache-control', 'no-store')
				return asFacilitator(request, null, request.params.roomId, (room) => screening.queue(room))
			},
		})

		api.route({
			...contractRoute('approveNotes'),
			handler: async (request, reply) => {
				const { noteIds, all } = request.body
				if (all === true && noteIds) throw httpError(400, 'bad_request', 'Send noteIds or all, not both')
				if (all !== true && !noteIds) throw httpError(400, 'bad_request', 'Send noteIds or all: true')
				return asFacilitator(request, reply, request.params.roomId, (room) =>
					screening.approve(room, all === true ? 'all' : { noteIds: noteIds ?? [] })
				)
			},
		})

		api.route({
			...contractRoute('rejectNotes'),
			handler: async (request, reply) =>
				asFacilitator(request, reply, request.params.roomId, (room) => screening.reject(room, request.body.noteIds)),
		})

		api.route({
			...contractRoute('setScreeningWords'),
			handler: async (request, reply) =>
				asFacilitator(request, reply, request.params.roomId, (room) => screening.setWords(room, request.body.words)),
		})
	}
)
