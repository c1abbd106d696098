import { describe, expect, it } from 'vitest'
import { FULL, MIN_CHANGES_PER_FANOUT_WINDOW, fanoutWindowMs } from './config'

describe('S1 windows', () => {
	it('hold enough changes at the slow points for a p99 that is not the slowest change', () => {
		expect(fanoutWindowMs(1, 5)).toBe(60_000)
		expect(fanoutWindowMs(1, 30)).toBe(15_000)
		expect(fanoutWindowMs(10, 5)).toBe(6_000)
		expect(fanoutWindowMs(50, 30)).toBe(6_000)
		for (const point of FULL.fanout) {
			const changes = (point.rooms * point.clientsPerRoom * point.durationMs) / 1000
			expect(changes).toBeGreaterThanOrEqual(MIN_CHANGES_PER_FANOUT_WINDOW)
		}
	})
})
