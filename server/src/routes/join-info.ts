import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import { phoneBaseUrl } from '../http/public-url'

/**
 * `GET /api/rooms/:roomId/join-info` → `{ joinUrl, joinCode }`: what the board's join overlay shows. The URL
 * uses an address phones can reach (`PUBLIC_URL`, else a LAN address when the board runs on localhost). The
 * code is public in the room, so this needs no facilitator key.
 */
export const joinInfoRoutes = routePlugin(
	'kompasbord-join-info-route',
	{ decorators: ['config', 'store'] },
	async (app) => {
		typed(app).route({
			...contractRoute('joinInfo'),
			handler: async (request, reply) => {
				const room = await app.store.getRoom(request.params.roomId)
				if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
				reply.header('cache-control', 'no-store')
				const base = phoneBaseUrl(app.config, request)
				return {
					joinUrl: `${base}/j/${encodeURIComponent(room.roomId)}`,
					joinCode: room.joinCode,
					joinBaseUrl: `${base}/j`,
					closed: room.closedAt !== null,
				}
			},
		})
	}
)
