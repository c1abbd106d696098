import type { FastifyPluginAsync } from 'fastify'
import { Type, type Static } from '@sinclair/typebox'
import type { HiddenNoteList, ModeratedNote } from '@kompasbord/shared'
import { requireFacilitator } from '../http/auth'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

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

	/** Runs `fn` on the loaded room for the facilitator only (401/403 otherwise; 404 for an unknown room). */
	const asFacilitator = <T>(
		request: Parameters<typeof requireFacilitator>[0],
		roomId: string,
		fn: (room: Room) => Promise<T>
	): Promise<T> =>
		withRoom(app.rooms, roomId, (room) => {
			requireFacilitator(request, room.meta)
			return fn(room)
		})

	app.get<{ Params: RoomParams }>(
		'/api/rooms/:roomId/moderation/hidden',
		{ schema: { params: RoomParams } },
		async (request, reply): Promise<HiddenNoteList> => {
			reply.header('cache-control', 'no-store')
			return asFacilitator(request, request.params.roomId, async (room) => ({ notes: await moderation.list(room) }))
		}
	)

	/** The actions on one note: where, what they do, and the note's status after them. */
	const actions: {
		method: 'POST' | 'DELETE'
		url: string
		act: (room: Room, noteId: string) => Promise<void>
		status: ModeratedNote['status']
	}[] = [
		{
			method: 'POST',
			url: '/api/rooms/:roomId/moderation/notes/:noteId/hide',
			act: (room, id) => moderation.hide(room, id),
			status: 'hidden',
		},
		{
			method: 'POST',
			url: '/api/rooms/:roomId/moderation/notes/:noteId/show',
			act: (room, id) => moderation.show(room, id),
			status: 'placed',
		},
		{
			method: 'DELETE',
			url: '/api/rooms/:roomId/moderation/notes/:noteId',
			act: (room, id) => moderation.remove(room, id),
			status: 'deleted',
		},
	]
	for (const { method, url, act, status } of actions) {
		app.route<{ Params: NoteParams }>({
			method,
			url,
			schema: { params: NoteParams },
			handler: async (request): Promise<ModeratedNote> => {
				const { roomId, noteId } = request.params
				return asFacilitator(request, roomId, async (room) => {
					await act(room, noteId)
					return { noteId, status }
				})
			},
		})
	}
}
