import { describe, expect, it } from 'vitest'
import { parseDuration } from './duration'

describe('parseDuration', () => {
	it('reads one number and one unit', () => {
		expect(parseDuration('90d', 'X')).toBe(90 * 86_400_000)
		expect(parseDuration('12h', 'X')).toBe(12 * 3_600_000)
		expect(parseDuration('30m', 'X')).toBe(1_800_000)
		expect(parseDuration(' 45s ', 'X')).toBe(45_000)
		expect(parseDuration('1.5s', 'X')).toBe(1500)
		expect(parseDuration('250ms', 'X')).toBe(250)
		expect(parseDuration('2w', 'X')).toBe(14 * 86_400_000)
		expect(parseDuration('0', 'X')).toBe(0)
	})

	it('refuses anything else, naming the variable', () => {
		for (const bad of ['', '90', 'd', '-1d', '1y', '1d2h', 'forever']) {
			expect(() => parseDuration(bad, 'RETENTION')).toThrow(/RETENTION/)
		}
	})
})
