import { describe, expect, it } from 'vitest'
import {
	JOIN_CODE_ALPHABET,
	hashKey,
	newFacilitatorKey,
	newJoinCode,
	newRoomId,
	normalizeJoinCode,
	verifyKey,
} from './credentials'

describe('credentials', () => {
	it('makes room ids of at least 21 characters and facilitator keys of at least 32', () => {
		expect(newRoomId().length).toBeGreaterThanOrEqual(21)
		expect(newFacilitatorKey().length).toBeGreaterThanOrEqual(32)
		expect(newFacilitatorKey()).not.toBe(newFacilitatorKey())
	})

	it('makes join codes of 6 characters without look-alikes', () => {
		for (let i = 0; i < 500; i++) {
			const code = newJoinCode()
			expect(code).toMatch(/^[A-Z2-9]{6}$/)
			expect(code).not.toMatch(/[01OIL]/)
			for (const ch of code) expect(JOIN_CODE_ALPHABET).toContain(ch)
		}
	})

	it('normalises typed codes and refuses impossible ones', () => {
		expect(normalizeJoinCode(' abc-def ')).toBe('ABCDEF')
		expect(normalizeJoinCode('ABC12D')).toBeNull()
		expect(normalizeJoinCode('ABCDE')).toBeNull()
	})

	it('verifies keys against their hash only', () => {
		const key = newFacilitatorKey()
		const hash = hashKey(key)
		expect(hash).not.toContain(key)
		expect(verifyKey(key, hash)).toBe(true)
		expect(verifyKey(`${key}x`, hash)).toBe(false)
		expect(verifyKey(undefined, hash)).toBe(false)
	})
})
