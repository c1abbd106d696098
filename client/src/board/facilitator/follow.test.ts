import { describe, expect, it } from 'vitest'
import { FACILITATOR_FIELD } from '@kompasbord/shared/session-awareness'
import { SummonTracker, boundsDiffer, facilitatorsIn, leaderOf } from './follow'

const view = { x: 0, y: 0, w: 100, h: 50 }
function state(viewportAt: number, seq: number | null, viewport: typeof view | null = view) {
	return {
		user: { name: 'F' },
		[FACILITATOR_FIELD]: { viewport, viewportAt, summon: seq === null ? null : { seq, bounds: view } },
	}
}

describe('follow mode', () => {
	it('finds trusted facilitator states and follows the one that moved last', () => {
		const states = new Map<number, unknown>([
			[1, state(10, null)],
			[2, { user: { name: 'participant' } }],
			[3, state(30, null)],
			[4, state(99, null, null)],
			[5, state(50, null)],
		])
		const facilitators = facilitatorsIn(states, 5)
		expect(facilitators.map((f) => f.clientId)).toEqual([1, 3, 4])
		expect(leaderOf(facilitators)?.clientId).toBe(3)
		expect(leaderOf([])).toBeNull()
		expect(
			leaderOf(
				facilitatorsIn(
					new Map([
						[7, state(1, null)],
						[6, state(1, null)],
					]),
					0
				)
			)?.clientId
		).toBe(6)
	})

	it('acts on a summon only when its seq changes after the facilitator was first seen', () => {
		const tracker = new SummonTracker()
		const at = (seq: number | null) => facilitatorsIn(new Map([[1, state(1, seq)]]), 0)
		expect(tracker.take(at(5))).toBeNull()
		expect(tracker.take(at(5))).toBeNull()
		expect(tracker.take(at(6))?.seq).toBe(6)
		expect(tracker.take(at(6))).toBeNull()
		expect(tracker.take(at(null))).toBeNull()
		expect(tracker.take(at(7))?.seq).toBe(7)
		// A facilitator seen for the first time without a summon, summoning later.
		expect(
			tracker.take(
				facilitatorsIn(
					new Map([
						[1, state(1, 7)],
						[2, state(1, null)],
					]),
					0
				)
			)
		).toBeNull()
		expect(
			tracker.take(
				facilitatorsIn(
					new Map([
						[1, state(1, 7)],
						[2, state(1, 8)],
					]),
					0
				)
			)?.seq
		).toBe(8)
	})

	it('compares bounds with a tolerance', () => {
		expect(boundsDiffer(view, { ...view, x: 0.2 })).toBe(false)
		expect(boundsDiffer(view, { ...view, w: 120 })).toBe(true)
		expect(boundsDiffer(null, view)).toBe(true)
		expect(boundsDiffer(null, null)).toBe(false)
	})
})
