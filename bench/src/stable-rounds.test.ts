import { describe, expect, it } from 'vitest'
import type { ServerKind } from './servers'
import { describeRounds, MAX_RERUNS, roundSpread, runUntilStable, type DiscardedSet } from './stable-rounds'

describe('roundSpread', () => {
	it('is largest ÷ smallest, 1 for one round or equal rounds, Infinity from 0 to more', () => {
		expect(roundSpread([5.42, 21.7])).toBeCloseTo(4.0, 1)
		expect(roundSpread([3])).toBe(1)
		expect(roundSpread([0, 0])).toBe(1)
		expect(roundSpread([0, 500])).toBe(Number.POSITIVE_INFINITY)
		expect(roundSpread([4000, 5000, Number.NaN])).toBeCloseTo(1.25)
	})
})

describe('runUntilStable', () => {
	/** A run of A/B sets whose p99 per round comes from `sets` in turn. */
	function sets(...p99s: { ours: number[]; reference: number[] }[]) {
		let n = 0
		return async (): Promise<Record<ServerKind, { p99: number }[]>> => {
			const s = p99s[n++]
			return { ours: s.ours.map((p99) => ({ p99 })), reference: s.reference.map((p99) => ({ p99 })) }
		}
	}
	const figures = { p99: (r: { p99: number }) => r.p99 }

	it('reports the first set whose rounds agree within 2×, after discarding the ones that moved more', async () => {
		const discarded: DiscardedSet[] = []
		const result = await runUntilStable(
			sets({ ours: [5.42, 21.7], reference: [3.92, 6.67] }, { ours: [8.2, 9.9], reference: [4.5, 5.0] }),
			figures,
			(d) => discarded.push(d)
		)
		expect(result.stable).toBe(true)
		expect(result.results.ours.map((r) => r.p99)).toEqual([8.2, 9.9])
		expect(discarded).toHaveLength(1)
		expect(discarded[0].worst.kind).toBe('ours')
		expect(discarded[0].worst.spread).toBeCloseTo(4.0, 1)
		expect(describeRounds(discarded[0], (v) => `${v}`)).toBe('ours p99 5.42, 21.7 / reference p99 3.92, 6.67')
	})

	it('a set where only the reference moved is run again too', async () => {
		const result = await runUntilStable(
			sets({ ours: [4, 5], reference: [2, 9] }, { ours: [4, 5], reference: [3, 4] }),
			figures,
			() => undefined
		)
		expect(result.stable).toBe(true)
		expect(result.discarded[0].worst.kind).toBe('reference')
	})

	it('gives up after MAX_RERUNS reruns and says the last set is unstable', async () => {
		const moving = Array.from({ length: MAX_RERUNS + 1 }, () => ({ ours: [1, 10], reference: [1, 1] }))
		let calls = 0
		const run = sets(...moving)
		const result = await runUntilStable(
			() => {
				calls++
				return run()
			},
			figures,
			() => undefined
		)
		expect(calls).toBe(MAX_RERUNS + 1)
		expect(result.stable).toBe(false)
		expect(result.discarded).toHaveLength(MAX_RERUNS)
	})
})
