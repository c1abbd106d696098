import { describe, expect, it } from 'vitest'
import { FULL, MAX_FANOUT_WINDOW_MS, MIN_CHANGES_PER_FANOUT_WINDOW, fanoutWindowMs } from './config'

describe('S1 windows', () => {
	it('hold enough changes at the slow points for a p99 that is not the slowest change', () => {
		expect(fanoutWindowMs(1, 5)).toBe(60_000)
		expect(fanoutWindowMs(1, 30)).toBe(50_000)
		expect(fanoutWindowMs(10, 5)).toBe(30_000)
		expect(fanoutWindowMs(10, 30)).toBe(6_000)
		expect(fanoutWindowMs(50, 30)).toBe(6_000)
		for (const point of FULL.fanout) {
			const rate = point.rooms * point.clientsPerRoom
			const changes = (rate * point.durationMs) / 1000
			// 300 changes at least (the third slowest is a round's p99), and the minimum wherever a window of at most 60 s holds it.
			expect(changes).toBeGreaterThanOrEqual(300)
			expect(changes).toBeGreaterThanOrEqual(
				Math.min(MIN_CHANGES_PER_FANOUT_WINDOW, (rate * MAX_FANOUT_WINDOW_MS) / 1000)
			)
			expect(point.durationMs).toBeLessThanOrEqual(MAX_FANOUT_WINDOW_MS)
		}
	})
})
