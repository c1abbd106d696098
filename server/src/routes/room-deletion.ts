import type { FastifyPluginAsync } from 'fastify'
import { CLOSE_ROOM_NOT_FOUND } from '@kompasbord/shared'
import { requireFacilitator } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'

/**
 * `DELETE /api/rooms/:roomId` (facilitator key): deletes the room and everything of it — its doc and updates,
 * note ledger, held and hidden notes, votes, session rows, retired client ids — in one transaction, closes its
 * websockets with 4404 (`CLOSE_ROOM_NOT_FOUND`) and leaves no copy of its content in the database file
 * (secure_delete, WAL truncated). Afterwards the room answers 404 everywhere. 204 on success; 401/403 without
 * the right key; 404 for an unknown room.
 */
export const roomDeletionRoutes = routePlugin(
	'kompasbord-room-deletion-route',
	{ decorators: ['rooms', 'store'] },
	async (app) => {
		typed(app).route({
			...contractRoute('deleteRoom'),
			handler: async (request, reply) => {
				const room = await app.store.getRoom(request.params.roomId)
				if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
				requireFacilitator(request, room)
				await app.rooms.remove(room.roomId, CLOSE_ROOM_NOT_FOUND, 'room deleted')
				request.log.info({ roomId: room.roomId }, 'room deleted by its facilitator')
				return reply.code(204).send(null)
			},
		})
	}
)
