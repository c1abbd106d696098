import { describe, expect, it } from 'vitest'
import { formatDuration, retentionText } from './retention'

describe('retention texts', () => {
	it('names the largest whole unit', () => {
		expect(formatDuration(90 * 86_400_000, 'nl')).toBe('90 dagen')
		expect(formatDuration(86_400_000, 'en')).toBe('1 day')
		expect(formatDuration(36 * 3_600_000, 'nl')).toBe('36 uur')
		expect(formatDuration(30 * 60_000, 'en')).toBe('30 minutes')
		expect(formatDuration(45_000, 'nl')).toBe('45 seconden')
		expect(formatDuration(1500, 'en')).toBe('2 seconds')
	})

	it('says boards are kept, or for how long', () => {
		expect(retentionText(90 * 86_400_000, 'nl')).toBe(
			'Borden worden 90 dagen na het sluiten of na het laatste gebruik automatisch verwijderd.'
		)
		expect(retentionText(null, 'en')).toMatch(/kept until/)
	})
})
