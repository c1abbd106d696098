import { describe, expect, it } from 'vitest'
import { formatMark, readScoreRound, scoreSpread } from './score-round'

/** Counts on a 1–10 scale from a list of marks. */
const countsOf = (marks: number[]) => Array.from({ length: 10 }, (_, i) => marks.filter((m) => m === i + 1).length)

describe('scoreSpread', () => {
	it('gives count, median, lowest and highest mark', () => {
		expect(scoreSpread(countsOf([7, 3, 9, 7, 5]), 1)).toEqual({ n: 5, median: 7, low: 3, high: 9 })
		expect(scoreSpread(countsOf([6, 7]), 1)).toEqual({ n: 2, median: 6.5, low: 6, high: 7 })
		expect(scoreSpread(countsOf([10]), 1)).toEqual({ n: 1, median: 10, low: 10, high: 10 })
		expect(scoreSpread(countsOf([1, 1, 1, 10]), 1)).toEqual({ n: 4, median: 1, low: 1, high: 10 })
		expect(scoreSpread(countsOf([]), 1)).toEqual({ n: 0, median: null, low: null, high: null })
		expect(scoreSpread([0, 2, 1], 0)).toEqual({ n: 3, median: 1, low: 1, high: 2 })
	})

	it('matches sorting the marks, for many random rounds', () => {
		for (let round = 0; round < 200; round++) {
			const marks = Array.from({ length: 1 + ((round * 7) % 23) }, (_, i) => 1 + ((i * 31 + round * 17) % 10))
			const sorted = [...marks].sort((a, b) => a - b)
			const mid = sorted.length / 2
			const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2
			expect(scoreSpread(countsOf(marks), 1)).toEqual({
				n: marks.length,
				median,
				low: sorted[0],
				high: sorted[sorted.length - 1],
			})
		}
	})

	it('writes a median the Dutch and the English way', () => {
		expect(formatMark(6.5, 'nl')).toBe('6,5')
		expect(formatMark(6.5, 'en')).toBe('6.5')
		expect(formatMark(7, 'nl')).toBe('7')
	})
})

describe('readScoreRound', () => {
	const round = {
		status: 'open',
		min: 1,
		max: 10,
		parts: [{ zoneId: 'relatie', counts: countsOf([4, 8]) }],
		startedAt: 5,
		closedAt: null,
	}

	it('reads a stored round', () => {
		expect(readScoreRound(round)).toEqual(round)
		expect(readScoreRound({ ...round, status: 'closed', closedAt: 9 })).toEqual({
			...round,
			status: 'closed',
			closedAt: 9,
		})
	})

	it('reads anything malformed as no round', () => {
		for (const bad of [
			null,
			'open',
			{ ...round, status: 'paused' },
			{ ...round, max: 1 },
			{ ...round, max: 40 },
			{ ...round, parts: [{ zoneId: 'relatie', counts: [1, 2] }] },
			{ ...round, parts: [{ zoneId: 'relatie', counts: countsOf([]).map(() => -1) }] },
			{ ...round, parts: [{ zoneId: 7, counts: countsOf([]) }] },
		]) {
			expect(readScoreRound(bad), JSON.stringify(bad)).toBeNull()
		}
	})
})
