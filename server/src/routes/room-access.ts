import { MAX_JOIN_CODE_EXPIRY_MS, type RoomAccess } from '@kompasbord/shared'
import { requireFacilitator } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { hashPassphrase, normalizePassphrase, passphraseLengthOk } from '../rooms/passphrase'
import type { RoomRecord, RoomRecordPatch } from '../store/room-store'

/** Whether the room's join code has expired at `now`. */
export function joinCodeExpired(room: Pick<RoomRecord, 'joinCodeExpiresAt'>, now = Date.now()): boolean {
	return room.joinCodeExpiresAt !== null && now >= room.joinCodeExpiresAt
}

/** What the facilitator sees of a room's access settings: never the passphrase (nor its hash). */
export function roomAccessOf(room: Pick<RoomRecord, 'passphraseHash' | 'joinCodeExpiresAt'>): RoomAccess {
	return {
		passphrase: room.passphraseHash !== null,
		joinCodeExpiresAt: room.joinCodeExpiresAt,
		joinCodeExpired: joinCodeExpired(room),
	}
}

/**
 * `GET`/`PUT /api/rooms/:roomId/access` (facilitator key; 401 without, 403 wrong): who gets in. The passphrase is
 * hashed (scrypt, salted) before it is stored and never answered; the join code's expiry is epoch ms, at most a
 * year ahead (a moment in the past closes the door at once). Participants who joined before keep their tokens
 * whatever changes here: the passphrase and the expiry guard new participants only.
 */
export const roomAccessRoutes = routePlugin('kompasbord-room-access-routes', { decorators: ['store'] }, async (app) => {
	const api = typed(app)
	api.route({
		...contractRoute('getRoomAccess'),
		handler: async (request, reply) => {
			const room = await app.store.getRoom(request.params.roomId)
			if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
			requireFacilitator(request, room)
			reply.header('cache-control', 'no-store')
			return roomAccessOf(room)
		},
	})
	api.route({
		...contractRoute('setRoomAccess'),
		handler: async (request, reply) => {
			const room = await app.store.getRoom(request.params.roomId)
			if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
			requireFacilitator(request, room)
			const { passphrase, joinCodeExpiresAt } = request.body
			const patch: RoomRecordPatch = {}
			if (joinCodeExpiresAt !== undefined) {
				if (joinCodeExpiresAt !== null && joinCodeExpiresAt > Date.now() + MAX_JOIN_CODE_EXPIRY_MS) {
					throw httpError(400, 'bad_expiry', 'The join code may expire at most a year from now')
				}
				patch.joinCodeExpiresAt = joinCodeExpiresAt
			}
			if (passphrase !== undefined) {
				if (passphrase === null) patch.passphraseHash = null
				else {
					if (!passphraseLengthOk(normalizePassphrase(passphrase))) {
						throw httpError(400, 'bad_passphrase', 'A passphrase has 4 to 100 characters')
					}
					patch.passphraseHash = await hashPassphrase(passphrase)
				}
			}
			await app.store.updateRoom(room.roomId, patch)
			reply.header('cache-control', 'no-store')
			return roomAccessOf({ ...room, ...patch })
		},
	})
})
