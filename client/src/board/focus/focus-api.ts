/** Focus's call to the server: `PUT /api/rooms/:roomId/focus` (facilitator only). */
import type { FocusAnswer, FocusChange } from '@kompasbord/shared'
import { api } from '../../api'

/** Puts a note or theme on every screen, steps to the next or previous one, or leaves focus. */
export function setFocus(roomId: string, facilitatorKey: string, change: FocusChange): Promise<FocusAnswer> {
	return api('setFocus', { params: { roomId }, body: change }, { key: facilitatorKey })
}
