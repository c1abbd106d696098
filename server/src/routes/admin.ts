import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { CLOSE_KEY_REPLACED, CLOSE_ROOM_NOT_FOUND, type AdminRoom } from '@kompasbord/shared'
import { requireOperatorToken } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import { phoneBaseUrl, requestOrigin } from '../http/public-url'
import { hashKey, newFacilitatorKey } from '../rooms/credentials'
import { withRoom } from './with-room'

/**
 * The operator's admin API behind `ADMIN_TOKEN` (`Authorization: Bearer <token>`); every route answers 404 when
 * `ADMIN_TOKEN` is not set and 401 without the right token. The page using it is `/admin` (client/admin.html).
 *
 * - `GET /api/admin/rooms`: every room with its template, dates, participants, connections, size and status;
 * - `POST /api/admin/rooms/:roomId/close`, `…/reopen`: the facilitator's **Sessie sluiten** / **heropenen**;
 * - `DELETE /api/admin/rooms/:roomId`: deletes the room as its facilitator can (see routes/room-deletion.ts);
 * - `POST /api/admin/rooms/:roomId/facilitator-key`: a new facilitator key and link for a facilitator who lost
 *   theirs; the old key stops working at once (its open boards are closed with 4403, `CLOSE_KEY_REPLACED`).
 */
export const adminRoutes = routePlugin(
	'kompasbord-admin-routes',
	{ dependencies: ['kompasbord-session'], decorators: ['config', 'rooms', 'store'] },
	async (app) => {
		app.addHook('onRequest', async (request: FastifyRequest, reply) => {
			requireOperatorToken(request, app.config.adminToken)
			reply.header('cache-control', 'no-store')
		})

		const api = typed(app)
		api.route({
			...contractRoute('adminListRooms'),
			handler: async () => {
				const summaries = await app.store.listRoomSummaries()
				const rooms: AdminRoom[] = summaries.map((s) => ({
					...s,
					status: s.closedAt === null ? 'open' : 'closed',
					connected: app.rooms.peek(s.roomId)?.peers.size ?? 0,
				}))
				return { rooms, retentionMs: app.config.retentionMs }
			},
		})

		for (const [name, phase] of [
			['adminCloseRoom', 'closed'],
			['adminReopenRoom', 'open'],
		] as const) {
			api.route({
				...contractRoute(name),
				handler: async (request) => {
					const { state } = await withRoom(app.rooms, request.params.roomId, (room) =>
						app.session.sessions.patch(room, { phase })
					)
					request.log.info({ roomId: request.params.roomId, phase }, 'admin changed a session')
					return { roomId: request.params.roomId, phase: state.phase }
				},
			})
		}

		api.route({
			...contractRoute('adminDeleteRoom'),
			handler: async (request, reply) => {
				const removed = await app.rooms.remove(request.params.roomId, CLOSE_ROOM_NOT_FOUND, 'room deleted')
				if (!removed) throw httpError(404, 'room_not_found', 'No room with this id')
				request.log.info({ roomId: request.params.roomId }, 'room deleted by the admin')
				return reply.code(204).send(null)
			},
		})

		api.route({
			...contractRoute('adminNewFacilitatorKey'),
			handler: async (request) => {
				const { roomId } = request.params
				if (!(await app.store.getRoom(roomId))) throw httpError(404, 'room_not_found', 'No room with this id')
				const facilitatorKey = newFacilitatorKey()
				const facilitatorKeyHash = hashKey(facilitatorKey)
				await app.store.setFacilitatorKeyHash(roomId, facilitatorKeyHash)
				const loaded = app.rooms.peek(roomId)
				if (loaded) {
					loaded.meta = { ...loaded.meta, facilitatorKeyHash }
					for (const peer of [...loaded.peers]) {
						if (peer.role === 'facilitator') peer.close?.(CLOSE_KEY_REPLACED, 'facilitator key replaced')
					}
				}
				request.log.info({ roomId }, 'admin made a new facilitator key')
				const origin = requestOrigin(request)
				return {
					roomId,
					facilitatorKey,
					links: {
						board: `${origin}/b/${roomId}`,
						facilitator: `${origin}/b/${roomId}#key=${facilitatorKey}`,
						join: `${phoneBaseUrl(app.config, request)}/j/${roomId}`,
						view: `${origin}/b/${roomId}?view=1`,
					},
				}
			},
		})
	}
)
