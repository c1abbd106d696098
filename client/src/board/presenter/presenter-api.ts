/** The presenter view's call to the server: `PUT /api/rooms/:roomId/presenter` (facilitator only). */
import type { PresenterChange, PresenterState } from '@kompasbord/shared/presenter'
import { api } from '../../api'

/** Shows a zone, the overview, or nothing on every following board. */
export function setPresenter(roomId: string, facilitatorKey: string, change: PresenterChange): Promise<PresenterState> {
	return api('setPresenter', { params: { roomId }, body: change }, { key: facilitatorKey })
}
