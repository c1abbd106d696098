import type { FastifyPluginAsync } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import { requireFacilitator } from '../http/auth'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'

const RoomParams = Type.Object({ roomId: Type.String({ minLength: 1, maxLength: 64 }) })
type RoomParams = Static<typeof RoomParams>
const NoteParams = Type.Object({
	roomId: Type.String({ minLength: 1, maxLength: 64 }),
	noteId: Type.String({ minLength: 1, maxLength: 128 }),
})
type NoteParams = Static<typeof NoteParams>

/**
 * Moderation, facilitator only (`Authorization: Bearer <facilitatorKey>`):
 * `POST /api/rooms/:roomId/moderation/notes/:noteId/hide` takes a note off the board and keeps it,
 * `POST …/show` puts it back, `DELETE /api/rooms/:roomId/moderation/notes/:noteId` deletes a note (on the board
 * or hidden) for good, `GET /api/rooms/:roomId/moderation/hidden` lists the hidden notes.
 */
export const moderationRoutes: FastifyPluginAsync = async (app) => {
	const { moderation } = app.session

	const asFacilitator = async <T>(
		request: Parameters<typeof requireFacilitator>[0],
		roomId: string,
		fn: (room: Room) => Promise<T>
	): Promise<T> => {
		const result = await app.rooms.use(roomId, async (room) => {
			requireFacilitator(request, room.meta)
			return { value: await fn(room) }
		})
		if (!result) throw httpError(404, 'room_not_found', 'No room with this id')
		return result.value
	}

	app.get<{ Params: RoomParams }>(
		'/api/rooms/:roomId/moderation/hidden',
		{ schema: { params: RoomParams } },
		async (request, reply) => {
			reply.header('cache-control', 'no-store')
			return asFacilitator(request, request.params.roomId, async (room) => ({ notes: await moderation.list(room) }))
		}
	)

	app.post<{ Params: NoteParams }>(
		'/api/rooms/:roomId/moderation/notes/:noteId/hide',
		{ schema: { params: NoteParams } },
		async (request) => {
			const { roomId, noteId } = request.params
			return asFacilitator(request, roomId, async (room) => {
				await moderation.hide(room, noteId)
				return { noteId, status: 'hidden' }
			})
		}
	)

	app.post<{ Params: NoteParams }>(
		'/api/rooms/:roomId/moderation/notes/:noteId/show',
		{ schema: { params: NoteParams } },
		async (request) => {
			const { roomId, noteId } = request.params
			return asFacilitator(request, roomId, async (room) => {
				await moderation.show(room, noteId)
				return { noteId, status: 'placed' }
			})
		}
	)

	app.delete<{ Params: NoteParams }>(
		'/api/rooms/:roomId/moderation/notes/:noteId',
		{ schema: { params: NoteParams } },
		async (request) => {
			const { roomId, noteId } = request.params
			return asFacilitator(request, roomId, async (room) => {
				await moderation.remove(room, noteId)
				return { noteId, status: 'deleted' }
			})
		}
	)
}
