import { describe, expect, it } from 'vitest'
import {
	NO_TIMER,
	estimateClockOffset,
	formatTimer,
	msUntilNextTick,
	timerDisplaySeconds,
	timerExpired,
	timerRemainingMs,
} from './session-timer'

const running = { durationSeconds: 300, endsAt: 100_000, remainingSeconds: 300, running: true }

describe('session timer', () => {
	it('counts down from endsAt while running and shows whole seconds rounded up', () => {
		expect(timerRemainingMs(running, 40_000)).toBe(60_000)
		expect(timerDisplaySeconds(running, 40_000)).toBe(60)
		expect(timerDisplaySeconds(running, 40_001)).toBe(60)
		expect(timerDisplaySeconds(running, 40_999)).toBe(60)
		expect(timerDisplaySeconds(running, 41_000)).toBe(59)
		expect(timerDisplaySeconds(running, 99_999)).toBe(1)
		expect(timerDisplaySeconds(running, 100_000)).toBe(0)
		expect(timerRemainingMs(running, 200_000)).toBe(0)
		expect(timerExpired(running, 100_000)).toBe(true)
		expect(timerExpired(running, 99_999)).toBe(false)
	})

	it('shows the stored remaining seconds while paused or stopped', () => {
		const paused = { durationSeconds: 300, endsAt: null, remainingSeconds: 42.5, running: false }
		expect(timerDisplaySeconds(paused, 0)).toBe(43)
		expect(timerDisplaySeconds(paused, 1e12)).toBe(43)
		expect(timerDisplaySeconds(NO_TIMER, 5)).toBe(0)
		expect(timerExpired(paused, 1e12)).toBe(false)
	})

	it('ticks on the timer own second boundaries', () => {
		expect(msUntilNextTick(running, 40_000)).toBe(1000)
		expect(msUntilNextTick(running, 40_250)).toBe(750)
		expect(msUntilNextTick(running, 40_999)).toBe(1)
		expect(msUntilNextTick(NO_TIMER, 40_250)).toBe(1000)
	})

	it('formats minutes and hours', () => {
		expect(formatTimer(0)).toBe('0:00')
		expect(formatTimer(65)).toBe('1:05')
		expect(formatTimer(600)).toBe('10:00')
		expect(formatTimer(3725)).toBe('1:02:05')
		expect(formatTimer(-3)).toBe('0:00')
	})

	it('estimates the clock offset from the round trip with the least delay', () => {
		expect(estimateClockOffset([])).toBe(0)
		// Local clock 5 s behind the server; the fast sample wins over the slow, skewed one.
		const offset = estimateClockOffset([
			{ sentAt: 1000, receivedAt: 1900, serverNow: 6100 },
			{ sentAt: 2000, receivedAt: 2020, serverNow: 7010 },
		])
		expect(offset).toBe(5000)
		expect(estimateClockOffset([{ sentAt: 10, receivedAt: 5, serverNow: 100 }])).toBe(0)
	})
})
