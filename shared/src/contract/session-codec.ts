/**
 * The session state in a room's doc: the one reader and writer of the session map (`SESSION_MAP` in
 * `../doc-layout`), for the server, the board and the tests. The map holds `phase`, `votesPerParticipant`,
 * `structureLocked` and `timer` (a {@link TimerState}); only the server writes it. A missing or malformed value
 * reads as its default, so a hostile or old doc can never break a reader. No dependency: it takes any map with
 * `get`/`set`/`has` (a `Y.Map` is one).
 *
 * @packageDocumentation
 */
import { DEFAULT_VOTES_PER_PARTICIPANT, SESSION_PHASES } from './limits'
import type { SessionPhase, SessionState, TimerState } from './schemas'

/** The part of a `Y.Map` the codec needs. */
export interface SessionMapLike {
	get(key: string): unknown
	set(key: string, value: unknown): unknown
	has(key: string): boolean
}

/** No timer set. */
export const NO_TIMER: TimerState = { durationSeconds: 0, endsAt: null, remainingSeconds: 0, running: false }

/** The state of a new room: open, three dots each, structure locked, no timer. */
export function defaultSessionState(): SessionState {
	return {
		phase: 'open',
		votesPerParticipant: DEFAULT_VOTES_PER_PARTICIPANT,
		structureLocked: true,
		timer: { ...NO_TIMER },
	}
}

/** Whether a value is a session phase. */
export function isSessionPhase(value: unknown): value is SessionPhase {
	return typeof value === 'string' && (SESSION_PHASES as readonly string[]).includes(value)
}

/** A timer as stored; {@link NO_TIMER} for anything malformed. */
export function readTimer(value: unknown): TimerState {
	if (!value || typeof value !== 'object') return { ...NO_TIMER }
	const t = value as Partial<Record<keyof TimerState, unknown>>
	const num = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0)
	return {
		durationSeconds: num(t.durationSeconds),
		endsAt: typeof t.endsAt === 'number' && Number.isFinite(t.endsAt) ? t.endsAt : null,
		remainingSeconds: num(t.remainingSeconds),
		running: t.running === true && typeof t.endsAt === 'number',
	}
}

/** The phase a session map holds (`open` when missing or malformed). */
export function readSessionPhase(map: Pick<SessionMapLike, 'get'>): SessionPhase {
	const phase = map.get('phase')
	return isSessionPhase(phase) ? phase : 'open'
}

/** Whether the template's structure is locked for participants (the default when unset). */
export function readStructureLocked(map: Pick<SessionMapLike, 'get'>): boolean {
	return map.get('structureLocked') !== false
}

/** The session state a session map holds (defaults for anything missing or malformed). */
export function readSessionState(map: Pick<SessionMapLike, 'get'>): SessionState {
	const votes = map.get('votesPerParticipant')
	return {
		phase: readSessionPhase(map),
		votesPerParticipant:
			typeof votes === 'number' && Number.isInteger(votes) && votes >= 0 ? votes : DEFAULT_VOTES_PER_PARTICIPANT,
		structureLocked: readStructureLocked(map),
		timer: readTimer(map.get('timer')),
	}
}

/** Writes the keys of `state` that differ from what the map holds (call inside a doc transaction). */
export function writeSessionState(map: SessionMapLike, state: SessionState): void {
	const current = readSessionState(map)
	if (map.get('phase') !== state.phase) map.set('phase', state.phase)
	if (map.get('votesPerParticipant') !== state.votesPerParticipant)
		map.set('votesPerParticipant', state.votesPerParticipant)
	if (map.get('structureLocked') !== state.structureLocked) map.set('structureLocked', state.structureLocked)
	if (!map.has('timer') || JSON.stringify(current.timer) !== JSON.stringify(state.timer))
		map.set('timer', { ...state.timer })
}
