import { describe, expect, it } from 'vitest'
import { FailureLimiter, TokenBucketLimiter } from './rate-limit'

function manualClock(start = 1_000_000) {
	let t = start
	return { now: () => t, advance: (ms: number) => (t += ms) }
}

describe('TokenBucketLimiter', () => {
	it('allows a burst, refuses the next attempt with a retry time, and refills over time', () => {
		const clock = manualClock()
		const limiter = new TokenBucketLimiter({ capacity: 3, refillPerSecond: 0.5, now: clock.now })
		for (let i = 0; i < 3; i++) expect(limiter.take('p').allowed).toBe(true)
		const refused = limiter.take('p')
		expect(refused).toEqual({ allowed: false, retryAfterMs: 2000 })
		clock.advance(1000)
		expect(limiter.take('p')).toEqual({ allowed: false, retryAfterMs: 1000 })
		clock.advance(1000)
		expect(limiter.take('p').allowed).toBe(true)
		expect(limiter.take('p').allowed).toBe(false)
	})

	it('keeps keys apart', () => {
		const clock = manualClock()
		const limiter = new TokenBucketLimiter({ capacity: 1, refillPerSecond: 1, now: clock.now })
		expect(limiter.take('a').allowed).toBe(true)
		expect(limiter.take('a').allowed).toBe(false)
		expect(limiter.take('b').allowed).toBe(true)
	})

	it('never holds more than its capacity after a long pause', () => {
		const clock = manualClock()
		const limiter = new TokenBucketLimiter({ capacity: 2, refillPerSecond: 10, now: clock.now })
		limiter.take('p')
		clock.advance(3_600_000)
		expect(limiter.take('p').allowed).toBe(true)
		expect(limiter.take('p').allowed).toBe(true)
		expect(limiter.take('p').allowed).toBe(false)
	})
})

describe('FailureLimiter', () => {
	it('counts only failures: successes never block an address', () => {
		const clock = manualClock()
		const limiter = new FailureLimiter({ maxFailures: 2, windowMs: 60_000, now: clock.now })
		for (let i = 0; i < 100; i++) expect(limiter.check('1.2.3.4').allowed).toBe(true)
	})

	it('blocks after maxFailures within the window until the oldest failure leaves it', () => {
		const clock = manualClock()
		const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 60_000, now: clock.now })
		limiter.fail('ip')
		clock.advance(10_000)
		limiter.fail('ip')
		expect(limiter.check('ip').allowed).toBe(true)
		limiter.fail('ip')
		expect(limiter.check('ip')).toEqual({ allowed: false, retryAfterMs: 50_000 })
		expect(limiter.check('other').allowed).toBe(true)
		clock.advance(50_000)
		expect(limiter.check('ip').allowed).toBe(true)
		limiter.fail('ip')
		expect(limiter.check('ip').allowed).toBe(false)
	})
})
