import type { FastifyPluginAsync } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { JoinInfo } from '@kompasbord/shared'
import { httpError } from '../http/errors'
import { phoneBaseUrl } from '../http/public-url'

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) })

/**
 * `GET /api/rooms/:roomId/join-info` → `{ joinUrl, joinCode }`: what the board's join overlay shows. The URL
 * uses an address phones can reach (`PUBLIC_URL`, else a LAN address when the board runs on localhost). The
 * code is public in the room, so this needs no facilitator key.
 */
export const joinInfoRoutes: FastifyPluginAsync = async (app) => {
	app.get<{ Params: Static<typeof RoomParams> }>(
		'/api/rooms/:roomId/join-info',
		{ schema: { params: RoomParams } },
		async (request, reply): Promise<JoinInfo> => {
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
		}
	)
}
