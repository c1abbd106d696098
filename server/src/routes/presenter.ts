import type { FastifyPluginAsync } from 'fastify'
import { RECORDS_MAP, SESSION_MAP } from '@kompasbord/shared'
import { PRESENTER_KEY, readPresenterState, type PresenterState } from '@kompasbord/shared/presenter'
import { zoneFrames } from '@kompasbord/shared/zones'
import type { TLRecord } from '@tldraw/tlschema'
import { requireFacilitator } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import { withRoom } from './with-room'

/**
 * The presenter view ("Zone in beeld"): `PUT /api/rooms/:roomId/presenter` `{mode: 'off'|'overview'|'zone',
 * zoneId?}` (facilitator only: 401 without the key, 403 with a wrong one) writes the presenter state into the
 * doc's session map, where every board sees it; boards in follow mode show the same zone. A zone the board has
 * no frame for is refused with 400 `unknown_zone`. Answers 200 with the state written.
 */
export const presenterRoutes = routePlugin('kompasbord-presenter-route', { decorators: ['rooms'] }, async (app) => {
	typed(app).route({
		...contractRoute('setPresenter'),
		handler: async (request) => {
			const { mode, zoneId } = request.body
			return withRoom(app.rooms, request.params.roomId, async (room) => {
				requireFacilitator(request, room.meta)
				let state: PresenterState = { mode, zoneId: null }
				if (mode === 'zone') {
					if (!zoneId) throw httpError(400, 'zone_required', 'Mode zone needs a zoneId')
					const records = room.doc.getMap<TLRecord>(RECORDS_MAP).toJSON() as Record<string, TLRecord>
					if (!zoneFrames(records).has(zoneId)) throw httpError(400, 'unknown_zone', `This board has no zone ${zoneId}`)
					state = { mode, zoneId }
				}
				const current = readPresenterState(room.doc.getMap<unknown>(SESSION_MAP).get(PRESENTER_KEY))
				if (current.mode !== state.mode || current.zoneId !== state.zoneId) {
					await room.change((doc) => doc.getMap<unknown>(SESSION_MAP).set(PRESENTER_KEY, { ...state }))
				}
				return state
			})
		},
	})
})
