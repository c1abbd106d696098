import { RECORDS_MAP, SESSION_MAP, VOTES_MAP, type FocusView } from '@kompasbord/shared'
import { FOCUS_KEY, focusView, readFocusTarget, steppedFocus } from '@kompasbord/shared/focus'
import type { TLRecord } from '@tldraw/tlschema'
import { requireFacilitator } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

/** What the room's focus shows now, read from its doc; null when focus is off or its shape is gone. */
export function roomFocus(room: Room): FocusView | null {
	const target = readFocusTarget(room.doc.getMap<unknown>(SESSION_MAP).get(FOCUS_KEY))
	if (!target) return null
	const { records, votes } = boardOf(room)
	return focusView(records, votes, target)
}

/** The room's records and votes as plain values (for the shared focus helpers). */
function boardOf(room: Room): { records: Map<string, TLRecord>; votes: Record<string, unknown> } {
	return {
		records: new Map(room.doc.getMap<TLRecord>(RECORDS_MAP).entries()),
		votes: room.doc.getMap<unknown>(VOTES_MAP).toJSON(),
	}
}

/**
 * Focus: `PUT /api/rooms/:roomId/focus` `{mode: 'show'|'next'|'previous'|'off', targetId?}` (facilitator only:
 * 401 without the key, 403 with a wrong one) puts one note or theme on every screen, steps through its zone, or
 * leaves focus. The focused shape's id goes into the doc's session map, where every board sees it; phones get
 * its text and dots in the session answer. A `targetId` that is not on the board (or is hidden) is 404
 * `note_not_found`; a shape that is neither a note nor a theme 400 `not_focusable`; stepping with no focus 400
 * `no_focus`. Answers 200 with what is in focus now.
 */
export const focusRoutes = routePlugin('kompasbord-focus-route', { decorators: ['rooms'] }, async (app) => {
	typed(app).route({
		...contractRoute('setFocus'),
		handler: async (request) => {
			const { mode, targetId } = request.body
			return withRoom(app.rooms, request.params.roomId, async (room) => {
				requireFacilitator(request, room.meta)
				const session = room.doc.getMap<unknown>(SESSION_MAP)
				const { records, votes } = boardOf(room)
				const current = readFocusTarget(session.get(FOCUS_KEY))
				let next: string | null = null
				if (mode === 'show') {
					if (!targetId) throw httpError(400, 'target_required', 'Mode show needs a targetId')
					const shape = records.get(targetId)
					if (!shape || (shape.meta as { hidden?: unknown } | undefined)?.hidden === true) {
						throw httpError(404, 'note_not_found', `This board has no note or theme ${targetId}`)
					}
					if (!focusView(records, votes, targetId)) {
						throw httpError(400, 'not_focusable', 'Only a note or a theme can be put in focus')
					}
					next = targetId
				} else if (mode === 'next' || mode === 'previous') {
					if (!current || !focusView(records, votes, current)) {
						throw httpError(400, 'no_focus', 'Nothing is in focus to step from')
					}
					next = steppedFocus(records, votes, current, mode === 'next' ? 1 : -1)
				}
				if (next !== current) {
					await room.change((doc) => {
						const map = doc.getMap<unknown>(SESSION_MAP)
						if (next) map.set(FOCUS_KEY, { targetId: next })
						else map.delete(FOCUS_KEY)
					})
				}
				return { focus: roomFocus(room) }
			})
		},
	})
})
