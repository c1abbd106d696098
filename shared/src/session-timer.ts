/**
 * The session timer's arithmetic, shared by the server (which changes the timer) and every screen that shows
 * it (boards and phones). The timer runs on the server's clock: screens pass the server's "now", which they
 * get from their own clock plus a measured offset ({@link estimateClockOffset}).
 *
 * @packageDocumentation
 */
import type { TimerState } from './doc-layout'

export { NO_TIMER } from './contract/session-codec'

/** Milliseconds left on the timer at server time `serverNow` (never negative). */
export function timerRemainingMs(timer: TimerState, serverNow: number): number {
	if (timer.running && timer.endsAt !== null) return Math.max(0, timer.endsAt - serverNow)
	return Math.max(0, timer.remainingSeconds * 1000)
}

/**
 * Whole seconds a screen shows at server time `serverNow`: rounded up, so "0:00" appears exactly when the
 * timer runs out and every screen whose clock is corrected flips the digit at the same moment.
 */
export function timerDisplaySeconds(timer: TimerState, serverNow: number): number {
	return Math.ceil(timerRemainingMs(timer, serverNow) / 1000)
}

/** Whether a running timer has reached zero. */
export function timerExpired(timer: TimerState, serverNow: number): boolean {
	return timer.running && timer.endsAt !== null && timer.endsAt <= serverNow
}

/**
 * Milliseconds until the displayed second changes next (at least 1), so a screen can tick exactly on the
 * server's second boundaries of this timer instead of drifting with its own interval.
 */
export function msUntilNextTick(timer: TimerState, serverNow: number): number {
	const remaining = timerRemainingMs(timer, serverNow)
	if (!timer.running || remaining <= 0) return 1000
	const intoSecond = remaining % 1000
	return intoSecond === 0 ? 1000 : Math.max(1, Math.ceil(intoSecond))
}

/** `m:ss` (or `h:mm:ss` from an hour on) for a number of seconds. */
export function formatTimer(seconds: number): string {
	const s = Math.max(0, Math.floor(seconds))
	const h = Math.floor(s / 3600)
	const m = Math.floor((s % 3600) / 60)
	const ss = String(s % 60).padStart(2, '0')
	return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

/** One round trip to the server: the local clock before and after, and the server's time in its answer. */
export interface ClockSample {
	sentAt: number
	receivedAt: number
	serverNow: number
}

/**
 * The offset to add to the local clock to get the server's (`serverNow ≈ Date.now() + offset`), from round
 * trips (NTP's rule): the sample with the shortest round trip wins, assuming the server read its clock halfway.
 * 0 without samples.
 */
export function estimateClockOffset(samples: readonly ClockSample[]): number {
	let best: ClockSample | undefined
	for (const sample of samples) {
		if (sample.receivedAt < sample.sentAt) continue
		if (!best || sample.receivedAt - sample.sentAt < best.receivedAt - best.sentAt) best = sample
	}
	if (!best) return 0
	return best.serverNow - (best.sentAt + best.receivedAt) / 2
}
