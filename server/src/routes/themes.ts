import type { FastifyPluginAsync } from 'fastify'
import { requireFacilitator } from '../http/auth'
import { contractRoute, typed } from '../http/contract-route'
import type { Room } from '../rooms/room'
import { ThemeService } from '../themes/theme-service'
import { withRoom } from './with-room'

/**
 * Themes, facilitator only (`Authorization: Bearer <facilitatorKey>`): `POST /api/rooms/:roomId/themes/suggestions`
 * ("Groepen voorstellen" for a zone), `POST /api/rooms/:roomId/themes` (group notes under a label),
 * `DELETE /api/rooms/:roomId/themes/:themeId` (ungroup).
 */
export const themeRoutes: FastifyPluginAsync = async (app) => {
	const themes = new ThemeService()
	const asFacilitator = <T>(
		request: Parameters<typeof requireFacilitator>[0],
		roomId: string,
		fn: (room: Room) => Promise<T> | T
	): Promise<T> =>
		withRoom(app.rooms, roomId, async (room) => {
			requireFacilitator(request, room.meta)
			return fn(room)
		})

	const api = typed(app)
	api.route({
		...contractRoute('suggestThemes'),
		handler: (request) =>
			asFacilitator(request, request.params.roomId, (room) => ({
				proposals: themes.suggest(room, request.body.zoneId, request.body.threshold),
			})),
	})
	api.route({
		...contractRoute('createTheme'),
		handler: async (request, reply) => {
			const { zoneId, label, noteIds } = request.body
			const themeId = await asFacilitator(request, request.params.roomId, (room) =>
				themes.create(room, zoneId, label.trim() || label, noteIds)
			)
			reply.code(201)
			return { themeId }
		},
	})
	api.route({
		...contractRoute('deleteTheme'),
		handler: async (request, reply) => {
			await asFacilitator(request, request.params.roomId, (room) => themes.remove(room, request.params.themeId))
			reply.code(204)
			return null
		},
	})
}
