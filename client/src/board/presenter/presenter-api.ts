/** The presenter view's call to the server: `PUT /api/rooms/:roomId/presenter` (facilitator only). */
import type { PresenterChange, PresenterState } from '@kompasbord/shared/presenter'
import { ApiError, errorFromResponse } from '../../api'

/** Shows a zone, the overview, or nothing on every following board. */
export async function setPresenter(
	roomId: string,
	facilitatorKey: string,
	change: PresenterChange
): Promise<PresenterState> {
	let response: Response
	try {
		response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/presenter`, {
			method: 'PUT',
			headers: {
				accept: 'application/json',
				'content-type': 'application/json',
				authorization: `Bearer ${facilitatorKey}`,
			},
			body: JSON.stringify(change),
			cache: 'no-store',
		})
	} catch (error) {
		throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error))
	}
	if (!response.ok) throw await errorFromResponse(response)
	return (await response.json()) as PresenterState
}
