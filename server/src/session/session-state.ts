import type * as Y from 'yjs'
import {
	MAX_TIMER_SECONDS,
	MAX_VOTES_PER_PARTICIPANT,
	SESSION_MAP,
	SESSION_PHASES,
	isSessionPhase,
	readSessionState as readSessionMap,
	writeSessionState as writeSessionMap,
	type SessionChange,
	type SessionState,
	type TimerAction,
	type TimerState,
} from '@kompasbord/shared'
import { timerExpired, timerRemainingMs } from '@kompasbord/shared/session-timer'
import { httpError } from '../http/errors'

export {
	DEFAULT_VOTES_PER_PARTICIPANT,
	MAX_TIMER_SECONDS,
	MAX_VOTES_PER_PARTICIPANT,
	SESSION_PHASES,
} from '@kompasbord/shared'
export type { TimerAction }

/**
 * A change of the session state as `PATCH /api/rooms/:roomId/session` takes it (the contract's `SessionChange`).
 * Every field is optional.
 *
 * - `phase`: `open`, `private`, `voting` or `closed`. Leaving `private` reveals the held notes; `closed` makes
 *   the board read-only and the join code stop working; leaving `closed` reopens the room.
 * - `timerSeconds`: sets the timer to this many seconds and starts it (unless `timer` says otherwise);
 *   0 or null clears it.
 * - `timer`: `start` (or resume), `pause`, `stop` (back to the full length, not running).
 * - `votesPerParticipant`: the dots each participant may spend (1–50).
 * - `structureLocked`: whether participants may change the template's structure.
 * - `screening`: "Notities eerst bekijken" on or off; turning it off leaves waiting notes in the queue.
 * - `resetVotes`: throws away every dot of the room (a new voting round).
 * - `reveal`: places the held notes now, staying in the current phase.
 */
export type SessionPatch = SessionChange

/** What a patch asks of the server beyond the new state. */
export interface SessionEffects {
	/** Place every held note (private writing ended, or `reveal`). */
	reveal: boolean
	/** The session was closed: record `closedAt`, so the join code stops working. */
	close: boolean
	/** The session was reopened: clear `closedAt`. */
	reopen: boolean
	/** Throw away the room's dots. */
	resetVotes: boolean
}

/** The session state a doc holds (the contract's codec; defaults for anything missing or malformed). */
export function readSessionState(doc: Y.Doc): SessionState {
	return readSessionMap(doc.getMap<unknown>(SESSION_MAP))
}

/** Writes the keys of `state` that differ from what the doc holds (call inside a transaction). */
export function writeSessionState(doc: Y.Doc, state: SessionState): void {
	writeSessionMap(doc.getMap<unknown>(SESSION_MAP), state)
}

function setTimer(seconds: number): TimerState {
	return { durationSeconds: seconds, endsAt: null, remainingSeconds: seconds, running: false }
}

function startTimer(timer: TimerState, now: number): TimerState {
	if (timer.running && !timerExpired(timer, now)) return timer
	const fromPause = !timer.running && timer.remainingSeconds > 0
	const seconds = fromPause ? timer.remainingSeconds : timer.durationSeconds
	if (seconds <= 0) throw httpError(409, 'no_timer', 'Set the timer first (timerSeconds)')
	return { ...timer, endsAt: now + Math.round(seconds * 1000), remainingSeconds: seconds, running: true }
}

function pauseTimer(timer: TimerState, now: number): TimerState {
	if (!timer.running) return timer
	const remaining = timerRemainingMs(timer, now) / 1000
	return { ...timer, endsAt: null, remainingSeconds: remaining, running: false }
}

function stopTimer(timer: TimerState): TimerState {
	return setTimer(timer.durationSeconds)
}

/**
 * Applies a patch to a session state at server time `now`: the new state and what else has to happen.
 * Throws 400/409 {@link HttpError}s for patches that cannot apply.
 */
export function applySessionPatch(
	state: SessionState,
	patch: SessionPatch,
	now: number
): { state: SessionState; effects: SessionEffects } {
	const next: SessionState = { ...state, timer: { ...state.timer } }
	const effects: SessionEffects = { reveal: false, close: false, reopen: false, resetVotes: patch.resetVotes === true }
	if (patch.phase !== undefined) {
		if (!isSessionPhase(patch.phase))
			throw httpError(400, 'bad_phase', `phase must be one of ${SESSION_PHASES.join(', ')}`)
		if (state.phase === 'private' && patch.phase !== 'private') effects.reveal = true
		if (patch.phase === 'closed' && state.phase !== 'closed') effects.close = true
		if (state.phase === 'closed' && patch.phase !== 'closed') effects.reopen = true
		next.phase = patch.phase
	}
	if (patch.reveal) effects.reveal = true
	if (patch.votesPerParticipant !== undefined) {
		const n = patch.votesPerParticipant
		if (!Number.isInteger(n) || n < 1 || n > MAX_VOTES_PER_PARTICIPANT) {
			throw httpError(
				400,
				'bad_votes_per_participant',
				`votesPerParticipant must be a whole number from 1 to ${MAX_VOTES_PER_PARTICIPANT}`
			)
		}
		next.votesPerParticipant = n
	}
	if (patch.structureLocked !== undefined) next.structureLocked = patch.structureLocked
	if (patch.screening !== undefined) next.screening = patch.screening
	if (patch.timerSeconds !== undefined) {
		const s = patch.timerSeconds ?? 0
		if (!Number.isFinite(s) || s < 0 || s > MAX_TIMER_SECONDS) {
			throw httpError(400, 'bad_timer_seconds', `timerSeconds must be from 0 to ${MAX_TIMER_SECONDS}`)
		}
		next.timer = setTimer(Math.round(s))
		if (s > 0 && patch.timer === undefined) next.timer = startTimer(next.timer, now)
	}
	switch (patch.timer) {
		case undefined:
			break
		case 'start':
			next.timer = startTimer(next.timer, now)
			break
		case 'pause':
			next.timer = pauseTimer(next.timer, now)
			break
		case 'stop':
			next.timer = stopTimer(next.timer)
			break
		default:
			throw httpError(400, 'bad_timer_action', 'timer must be start, pause or stop')
	}
	// A closed session's clock stands still.
	if (effects.close) next.timer = pauseTimer(next.timer, now)
	return { state: next, effects }
}

/** A short tag of a session state: equal states, equal tags (for long polling). */
export function sessionTag(state: SessionState): string {
	const text = JSON.stringify([
		state.phase,
		state.votesPerParticipant,
		state.structureLocked,
		state.screening,
		state.timer,
	])
	let h1 = 0x811c9dc5
	let h2 = 0x01000193
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i)
		h1 = Math.imul(h1 ^ c, 0x01000193)
		h2 = Math.imul(h2 ^ c, 0x5bd1e995)
	}
	return (h1 >>> 0).toString(36) + (h2 >>> 0).toString(36)
}
