import { describe, expect, it } from 'vitest'
import { TokenBucket } from './token-bucket'

describe('TokenBucket', () => {
	it('gives the capacity at once, then refills at its rate, never above the capacity', () => {
		const bucket = new TokenBucket(3, 1)
		expect([bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0), bucket.take(1, 0)]).toEqual([
			true,
			true,
			true,
			false,
		])
		expect(bucket.take(1, 500)).toBe(false)
		expect(bucket.take(1, 1000)).toBe(true)
		expect(bucket.take(3, 100_000)).toBe(true)
		expect(bucket.take(1, 100_000)).toBe(false)
	})

	it('refuses more than it holds without taking any', () => {
		const bucket = new TokenBucket(10, 1)
		expect(bucket.take(11, 0)).toBe(false)
		expect(bucket.take(10, 0)).toBe(true)
	})
})
