/**
 * What the facilitator toolkit puts in y-websocket awareness states. The server lets only facilitator
 * connections carry {@link FACILITATOR_FIELD} and only itself carry {@link SERVER_FIELD}, so a board may trust
 * both: a participant cannot move everyone's view or fake a notice.
 *
 * @packageDocumentation
 */

/** Key of a facilitator's {@link FacilitatorPresence} in its awareness state. */
export const FACILITATOR_FIELD = 'kompasbordFacilitator'
/** The server's notices (`{ kompasbordServer: true, notice }`) are the contract's: `./contract/notices`. */
export { SERVER_FIELD, readServerNotice, type ServerNotice } from './contract/notices'

/** A rectangle in page coordinates. */
export interface PageBounds {
	x: number
	y: number
	w: number
	h: number
}

/** "Iedereen naar mij": boards move their camera to `bounds` when `seq` changes. */
export interface SummonRequest {
	/** Increases with every press; a board acts on a seq it has not seen yet. */
	seq: number
	bounds: PageBounds
}

/** A facilitator board's part of its awareness state. */
export interface FacilitatorPresence {
	/** The facilitator's viewport in page coordinates; boards in follow mode track it. */
	viewport: PageBounds | null
	/** Local time of the facilitator at its last viewport change: the most recently moving facilitator leads. */
	viewportAt: number
	summon: SummonRequest | null
}

function isBounds(value: unknown): value is PageBounds {
	if (!value || typeof value !== 'object') return false
	const b = value as Record<string, unknown>
	return (
		['x', 'y', 'w', 'h'].every((k) => typeof b[k] === 'number' && Number.isFinite(b[k])) &&
		(b.w as number) > 0 &&
		(b.h as number) > 0
	)
}

/** The facilitator presence in an awareness state, checked; null when there is none or it is malformed. */
export function readFacilitatorPresence(state: unknown): FacilitatorPresence | null {
	if (!state || typeof state !== 'object') return null
	const value = (state as Record<string, unknown>)[FACILITATOR_FIELD]
	if (!value || typeof value !== 'object') return null
	const p = value as Record<string, unknown>
	const summon = p.summon as Record<string, unknown> | null | undefined
	return {
		viewport: isBounds(p.viewport) ? p.viewport : null,
		viewportAt: typeof p.viewportAt === 'number' ? p.viewportAt : 0,
		summon:
			summon && typeof summon.seq === 'number' && isBounds(summon.bounds)
				? { seq: summon.seq, bounds: summon.bounds }
				: null,
	}
}
