import type { FastifyPluginAsync } from 'fastify'
import type { ModeratedNote } from '@kompasbord/shared'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { requireFacilitator } from '../http/auth'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

/**
 * Moderation, facilitator only (`Authorization: Bearer <facilitatorKey>`):
 * `POST /api/rooms/:roomId/moderation/notes/:noteId/hide` takes a note off the board and keeps it,
 * `POST …/show` puts it back, `DELETE /api/rooms/:roomId/moderation/notes/:noteId` deletes a note (on the board
 * or hidden) for good, `GET /api/rooms/:roomId/moderation/hidden` lists the hidden notes.
 */
export const moderationRoutes = routePlugin(
	'kompasbord-moderation-routes',
	{ dependencies: ['kompasbord-session'], decorators: ['rooms'] },
	async (app) => {
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

		const api = typed(app)
		api.route({
			...contractRoute('listHidden'),
			handler: async (request, reply) => {
				reply.header('cache-control', 'no-store')
				return asFacilitator(request, request.params.roomId, async (room) => ({ notes: await moderation.list(room) }))
			},
		})

		/** The actions on one note: where, what they do, and the note's status after them. */
		const actions: {
			route: 'hideNote' | 'showNote' | 'deleteNoteForGood'
			act: (room: Room, noteId: string) => Promise<void>
			status: ModeratedNote['status']
		}[] = [
			{ route: 'hideNote', act: (room, id) => moderation.hide(room, id), status: 'hidden' },
			{ route: 'showNote', act: (room, id) => moderation.show(room, id), status: 'placed' },
			{ route: 'deleteNoteForGood', act: (room, id) => moderation.remove(room, id), status: 'deleted' },
		]
		for (const { route, act, status } of actions) {
			api.route({
				...contractRoute(route),
				handler: async (request) => {
					const { roomId, noteId } = request.params
					return asFacilitator(request, roomId, async (room) => {
						await act(room, noteId)
						return { noteId, status }
					})
				},
			})
		}
	}
)
