import { PARTICIPANT_THEMES_KEY, SESSION_MAP, readParticipantThemes } from '@kompasbord/shared'
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { bearerToken, isFacilitator, participantOf, requireFacilitator } from '../http/auth'
import { contractRoute, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import { ThemeService } from '../themes/theme-service'
import { withRoom } from './with-room'

/**
 * Themes: `POST /api/rooms/:roomId/themes/suggestions` ("Groepen voorstellen" for a zone; facilitator),
 * `POST /api/rooms/:roomId/themes` (group notes under a label) and `DELETE /api/rooms/:roomId/themes/:themeId`
 * (ungroup) — the facilitator (`Authorization: Bearer <facilitatorKey>`), and a participant (their token) while the
 * facilitator lets participants group (`PUT /api/rooms/:roomId/themes/participants`, written into the session map;
 * 403 `themes_not_allowed` otherwise).
 */
export const themeRoutes: FastifyPluginAsync = async (app) => {
	const themes = new ThemeService()
	const asFacilitator = <T>(request: FastifyRequest, roomId: string, fn: (room: Room) => Promise<T> | T): Promise<T> =>
		withRoom(app.rooms, roomId, async (room) => {
			requireFacilitator(request, room.meta)
			return fn(room)
		})
	/** The facilitator, or a participant of the room while participants may group: 401 / 403 otherwise. */
	const asGrouper = <T>(request: FastifyRequest, roomId: string, fn: (room: Room) => Promise<T> | T): Promise<T> =>
		withRoom(app.rooms, roomId, async (room) => {
			if (isFacilitator(request, room.meta)) return fn(room)
			if (!bearerToken(request)) {
				throw httpError(401, 'unauthorized', 'This needs the facilitator key or a participant token')
			}
			if (!participantOf(request, roomId)) {
				throw httpError(403, 'forbidden', 'Neither the facilitator key nor a participant token of this room')
			}
			if (!readParticipantThemes(room.doc.getMap(SESSION_MAP))) {
				throw httpError(403, 'themes_not_allowed', 'Only the facilitator groups notes into themes now')
			}
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
			const themeId = await asGrouper(request, request.params.roomId, (room) =>
				themes.create(room, zoneId, label.trim() || label, noteIds)
			)
			reply.code(201)
			return { themeId }
		},
	})
	api.route({
		...contractRoute('deleteTheme'),
		handler: async (request, reply) => {
			await asGrouper(request, request.params.roomId, async (room) => {
				await themes.remove(room, request.params.themeId)
				// Dots given to the theme itself go back to their participants.
				await app.session.votes.forgetNotes(room, [request.params.themeId])
			})
			reply.code(204)
			return null
		},
	})
	api.route({
		...contractRoute('setThemePermission'),
		handler: (request) =>
			asFacilitator(request, request.params.roomId, async (room) => {
				const allowed = request.body.allowed
				await room.change((doc) => {
					const session = doc.getMap(SESSION_MAP)
					if (readParticipantThemes(session) !== allowed) session.set(PARTICIPANT_THEMES_KEY, allowed)
				})
				return { allowed }
			}),
	})
}
