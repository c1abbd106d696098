/**
 * Where a note carried forward in a traject came from (`meta.carriedFromRoom`, `carriedFromTitle`, written by
 * the server when it carried the note), and a link back to that board when this browser can open it as its
 * facilitator: the board's facilitator link among the boards this browser made (home page or traject page).
 */
import type { RecentBoard } from '../home/recent-boards'
import { sameOriginPath } from '../home/recent-boards'

/** The earlier board a carried note came from. */
export interface CarriedOrigin {
	roomId: string
	/** That board's title when the note was carried. */
	title: string
	/** Its facilitator link (a same-origin path), when this browser has it; else null. */
	link: string | null
}

/** The origin of a note with this `meta`, or null for a note that was not carried. */
export function carriedOrigin(meta: unknown, recent: readonly RecentBoard[], origin: string): CarriedOrigin | null {
	if (!meta || typeof meta !== 'object') return null
	const m = meta as { carriedFromRoom?: unknown; carriedFromTitle?: unknown }
	if (typeof m.carriedFromRoom !== 'string' || m.carriedFromRoom === '') return null
	const roomId = m.carriedFromRoom
	const known = recent.find((board) => board.roomId === roomId)
	const title =
		typeof m.carriedFromTitle === 'string' && m.carriedFromTitle.trim() ? m.carriedFromTitle : (known?.title ?? '')
	return { roomId, title, link: known ? sameOriginPath(known.links.facilitator, origin) : null }
}
