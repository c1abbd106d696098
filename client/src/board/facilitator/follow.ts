import {
	readFacilitatorPresence,
	type FacilitatorPresence,
	type PageBounds,
	type SummonRequest,
} from '@kompasbord/shared/session-awareness'

/**
 * "Iedereen naar mij" and follow mode over awareness. A facilitator board publishes its viewport (and, on the
 * button, a summon) in its awareness state; the server lets only facilitator connections carry that field, so
 * boards can trust it. These are the pure parts: finding the facilitators, the one to follow, and the summons
 * not acted upon yet.
 */

/** A facilitator as a board sees it in awareness. */
export interface FacilitatorView {
	clientId: number
	presence: FacilitatorPresence
}

/** The facilitators among awareness states, this board's own state left out. */
export function facilitatorsIn(states: ReadonlyMap<number, unknown>, localClientId: number): FacilitatorView[] {
	const found: FacilitatorView[] = []
	for (const [clientId, state] of states) {
		if (clientId === localClientId) continue
		const presence = readFacilitatorPresence(state)
		if (presence) found.push({ clientId, presence })
	}
	return found
}

/**
 * The facilitator to follow: of those showing a viewport, the one that moved last (a projector tab that
 * stands still does not win over the laptop the facilitator works on); ties go to the lowest client id.
 */
export function leaderOf(facilitators: readonly FacilitatorView[]): FacilitatorView | null {
	let leader: FacilitatorView | null = null
	for (const f of facilitators) {
		if (!f.presence.viewport) continue
		if (
			!leader ||
			f.presence.viewportAt > leader.presence.viewportAt ||
			(f.presence.viewportAt === leader.presence.viewportAt && f.clientId < leader.clientId)
		) {
			leader = f
		}
	}
	return leader
}

/**
 * Remembers which summons a board has seen, per facilitator client. A summon present when a facilitator is
 * first seen (the board just opened) is old news and is not acted upon; a new `seq` afterwards is.
 */
export class SummonTracker {
	private readonly seen = new Map<number, number | null>()

	/** The newest summon among `facilitators` this board has not acted upon, if any; marks all as seen. */
	take(facilitators: readonly FacilitatorView[]): SummonRequest | null {
		let fresh: SummonRequest | null = null
		for (const { clientId, presence } of facilitators) {
			const seq = presence.summon?.seq ?? null
			const known = this.seen.has(clientId)
			const last = this.seen.get(clientId)
			this.seen.set(clientId, seq)
			if (!known || seq === null || seq === last || !presence.summon) continue
			if (!fresh || presence.summon.seq > fresh.seq) fresh = presence.summon
		}
		return fresh
	}
}

/** Whether two bounds differ by more than `tolerance` page units on any side (to skip no-op camera moves). */
export function boundsDiffer(a: PageBounds | null, b: PageBounds | null, tolerance = 0.5): boolean {
	if (!a || !b) return a !== b
	return (
		Math.abs(a.x - b.x) > tolerance ||
		Math.abs(a.y - b.y) > tolerance ||
		Math.abs(a.w - b.w) > tolerance ||
		Math.abs(a.h - b.h) > tolerance
	)
}
