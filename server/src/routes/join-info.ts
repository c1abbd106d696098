import type { JoinInfo } from '@kompasbord/shared'
import { bearerToken, isFacilitator, participantOf } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { phoneBaseUrl, requestOrigin } from '../http/public-url'

/**
 * `GET /api/rooms/:roomId/join-info` → `{ joinUrl, joinCode, joinBaseUrl, closed, passphrase, joinCodeExpiresAt }`: what the board's join
 * overlay shows, for the facilitator (who also gets `viewUrl`, the view link with its token) and the room's
 * participants (`Authorization: Bearer <facilitatorKey or participantToken>`; 401 without). The URL uses an
 * address phones can reach (`PUBLIC_URL`, else a LAN address when the board runs on localhost) and carries
 * the join code, as the QR code does.
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
				const facilitator = isFacilitator(request, room)
				if (!facilitator && !participantOf(request, room.roomId)) {
					if (bearerToken(request)) {
						throw httpError(403, 'forbidden', 'Neither the facilitator key nor a participant token of this room')
					}
					throw httpError(
						401,
						'unauthorized',
						'This needs the facilitator key or a participant token (Authorization: Bearer <token>)'
					)
				}
				reply.header('cache-control', 'no-store')
				const base = phoneBaseUrl(app.config, request)
				const info: JoinInfo = {
					joinUrl: `${base}/j/${room.joinCode}`,
					joinCode: room.joinCode,
					joinBaseUrl: `${base}/j`,
					closed: room.closedAt !== null,
					passphrase: room.passphraseHash !== null,
					joinCodeExpiresAt: room.joinCodeExpiresAt,
				}
				if (facilitator) {
					const viewToken = app.participantTokens.viewToken(room.roomId, room.facilitatorKeyHash)
					info.viewUrl = `${requestOrigin(request)}/b/${encodeURIComponent(room.roomId)}#view=${viewToken}`
				}
				return info
			},
		})
	}
)
