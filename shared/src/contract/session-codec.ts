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
		screening: false,
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

/** Whether "Notities eerst bekijken" is on: participants' new notes wait for the facilitator (default off). */
export function readScreening(map: Pick<SessionMapLike, 'get'>): boolean {
	return map.get('screening') === true
}

/**
 * The facilitator's queue of notes waiting for review, as the session map shows it to every board and phone:
 * how many wait, and a number that grows on every change of the queue (a phone's note approved or rejected), so
 * a long poll wakes even when the count comes back to what it was.
 */
export interface ScreeningQueueState {
	waiting: number
	seq: number
}

/** The queue state a session map holds (`{waiting: 0, seq: 0}` when missing or malformed). */
export function readScreeningQueue(map: Pick<SessionMapLike, 'get'>): ScreeningQueueState {
	const value = map.get('screeningQueue') as Partial<Record<keyof ScreeningQueueState, unknown>> | undefined
	const count = (n: unknown) => (typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : 0)
	return value && typeof value === 'object'
		? { waiting: count(value.waiting), seq: count(value.seq) }
		: { waiting: 0, seq: 0 }
}

/** Writes the queue state: `waiting` notes now, one step further (call inside a doc transaction). */
export function writeScreeningQueue(map: SessionMapLike, waiting: number): void {
	map.set('screeningQueue', { waiting, seq: readScreeningQueue(map).seq + 1 })
}

/** The session state a session map holds (defaults for anything missing or malformed). */
export function readSessionState(map: Pick<SessionMapLike, 'get'>): SessionState {
	const votes = map.get('votesPerParticipant')
	return {
		phase: readSessionPhase(map),
		votesPerParticipant:
			typeof votes === 'number' && Number.isInteger(votes) && votes >= 0 ? votes : DEFAULT_VOTES_PER_PARTICIPANT,
		structureLocked: readStructureLocked(map),
		screening: readScreening(map),
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
	if (readScreening(map) !== state.screening) map.set('screening', state.screening)
	if (!map.has('timer') || JSON.stringify(current.timer) !== JSON.stringify(state.timer))
		map.set('timer', { ...state.timer })
}
