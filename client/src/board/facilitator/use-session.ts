import { useEffect, useState, useSyncExternalStore } from 'react'
import type * as Y from 'yjs'
import {
	SESSION_MAP,
	VOTES_MAP,
	readParticipantThemes,
	readScreeningQueue,
	readSessionState,
	type ScreeningQueueState,
	type SessionPhase,
	type SessionState,
	type TimerState,
} from '@kompasbord/shared'
import { NO_TIMER, msUntilNextTick, timerDisplaySeconds } from '@kompasbord/shared/session-timer'
import { readScoreRound, SCORE_ROUND_KEY, type ScoreRoundView } from '@kompasbord/shared/score-round'
import type { ServerClock } from './server-clock'

/** The session state in a doc's session map, defaults for anything missing (the contract's codec; the server writes it). */
export function readDocSession(doc: Y.Doc): SessionState {
	return readSessionState(doc.getMap<unknown>(SESSION_MAP))
}

function useMapSnapshot<T>(doc: Y.Doc, mapName: string, read: () => T): T {
	const [cache] = useState(() => ({ value: read(), version: 0, seen: -1 }))
	return useSyncExternalStore(
		(notify) => {
			const map = doc.getMap(mapName)
			const onChange = () => {
				cache.version++
				notify()
			}
			map.observe(onChange)
			return () => map.unobserve(onChange)
		},
		() => {
			if (cache.seen !== cache.version) {
				cache.value = read()
				cache.seen = cache.version
			}
			return cache.value
		}
	)
}

/** The live session state of the board's doc. */
export function useSessionState(doc: Y.Doc): SessionState {
	return useMapSnapshot(doc, SESSION_MAP, () => readDocSession(doc))
}

/** Whether the facilitator lets participants group notes into themes (the session map, written by the server). */
export function useParticipantThemes(doc: Y.Doc): boolean {
	return useMapSnapshot(doc, SESSION_MAP, () => readParticipantThemes(doc.getMap<unknown>(SESSION_MAP)))
}

/** The live screening queue state (how many notes wait, and its change counter) of the board's doc. */
export function useScreeningQueue(doc: Y.Doc): ScreeningQueueState {
	return useMapSnapshot(doc, SESSION_MAP, () => readScreeningQueue(doc.getMap<unknown>(SESSION_MAP)))
}

/** The live vote counts (note id → dots) of the board's doc. */
export function useVoteCounts(doc: Y.Doc): Record<string, number> {
	return useMapSnapshot(doc, VOTES_MAP, () => doc.getMap<number>(VOTES_MAP).toJSON() as Record<string, number>)
}

/**
 * The timer's seconds to show, on the server's clock, re-rendered exactly when the shown second changes
 * (every screen whose clock is corrected flips at the same moment).
 */
export function useTimerSeconds(timer: TimerState, clock: ServerClock): number {
	const [seconds, setSeconds] = useState(() => timerDisplaySeconds(timer, clock.now()))
	useEffect(() => {
		let handle: ReturnType<typeof setTimeout> | null = null
		const tick = () => {
			const now = clock.now()
			setSeconds(timerDisplaySeconds(timer, now))
			if (timer.running) handle = setTimeout(tick, msUntilNextTick(timer, now) + 2)
		}
		tick()
		return () => {
			if (handle) clearTimeout(handle)
		}
	}, [timer, clock])
	return seconds
}

/** The live score round of the board's doc (null when none was started); the server writes it. */
export function useScoreRound(doc: Y.Doc): ScoreRoundView | null {
	return useMapSnapshot(doc, SESSION_MAP, () => readScoreRound(doc.getMap<unknown>(SESSION_MAP).get(SCORE_ROUND_KEY)))
}
