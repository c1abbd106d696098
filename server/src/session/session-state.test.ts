import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { SESSION_MAP, type SessionState } from '@kompasbord/shared'
import { HttpError } from '../http/errors'
import { defaultSessionState } from '../rooms/initial-doc'
import { applySessionPatch, readSessionState, sessionTag, writeSessionState } from './session-state'

const base: SessionState = defaultSessionState()

function codeOf(fn: () => unknown): string | undefined {
	try {
		fn()
	} catch (error) {
		return error instanceof HttpError ? `${error.statusCode} ${error.code}` : String(error)
	}
	return undefined
}

describe('applySessionPatch', () => {
	it('sets and starts a timer with timerSeconds, pauses, resumes and stops it on the server clock', () => {
		let { state } = applySessionPatch(base, { timerSeconds: 300 }, 1_000)
		expect(state.timer).toEqual({ durationSeconds: 300, endsAt: 301_000, remainingSeconds: 300, running: true })
		;({ state } = applySessionPatch(state, { timer: 'pause' }, 61_000))
		expect(state.timer).toEqual({ durationSeconds: 300, endsAt: null, remainingSeconds: 240, running: false })
		;({ state } = applySessionPatch(state, { timer: 'start' }, 100_000))
		expect(state.timer).toEqual({ durationSeconds: 300, endsAt: 340_000, remainingSeconds: 240, running: true })
		;({ state } = applySessionPatch(state, { timer: 'start' }, 110_000))
		expect(state.timer.endsAt).toBe(340_000)
		;({ state } = applySessionPatch(state, { timer: 'stop' }, 120_000))
		expect(state.timer).toEqual({ durationSeconds: 300, endsAt: null, remainingSeconds: 300, running: false })
		;({ state } = applySessionPatch(state, { timerSeconds: 60, timer: 'pause' }, 0))
		expect(state.timer).toEqual({ durationSeconds: 60, endsAt: null, remainingSeconds: 60, running: false })
		;({ state } = applySessionPatch(state, { timerSeconds: null }, 0))
		expect(state.timer.durationSeconds).toBe(0)
		expect(codeOf(() => applySessionPatch(state, { timer: 'start' }, 0))).toBe('409 no_timer')
	})

	it('restarts an expired timer from its full length', () => {
		const { state } = applySessionPatch(base, { timerSeconds: 10 }, 0)
		const again = applySessionPatch(state, { timer: 'start' }, 20_000).state
		expect(again.timer.endsAt).toBe(30_000)
	})

	it('reveals when private writing ends, closes and reopens', () => {
		const priv = applySessionPatch(base, { phase: 'private' }, 0)
		expect(priv.effects).toEqual({ reveal: false, close: false, reopen: false, resetVotes: false })
		const open = applySessionPatch(priv.state, { phase: 'voting' }, 0)
		expect(open.effects.reveal).toBe(true)
		expect(applySessionPatch(priv.state, { phase: 'private' }, 0).effects.reveal).toBe(false)
		expect(applySessionPatch(priv.state, { reveal: true }, 0).effects.reveal).toBe(true)
		const running = applySessionPatch(priv.state, { timerSeconds: 60 }, 0).state
		const closed = applySessionPatch(running, { phase: 'closed' }, 15_000)
		expect(closed.effects).toMatchObject({ reveal: true, close: true, reopen: false })
		expect(closed.state.timer).toMatchObject({ running: false, remainingSeconds: 45 })
		const reopened = applySessionPatch(closed.state, { phase: 'open' }, 0)
		expect(reopened.effects).toMatchObject({ close: false, reopen: true })
	})

	it('refuses bad values with clear codes', () => {
		expect(codeOf(() => applySessionPatch(base, { votesPerParticipant: 0 }, 0))).toBe('400 bad_votes_per_participant')
		expect(codeOf(() => applySessionPatch(base, { votesPerParticipant: 2.5 }, 0))).toBe('400 bad_votes_per_participant')
		expect(codeOf(() => applySessionPatch(base, { timerSeconds: -1 }, 0))).toBe('400 bad_timer_seconds')
		expect(codeOf(() => applySessionPatch(base, { phase: 'party' as never }, 0))).toBe('400 bad_phase')
		expect(applySessionPatch(base, { votesPerParticipant: 5, structureLocked: false }, 0).state).toMatchObject({
			votesPerParticipant: 5,
			structureLocked: false,
		})
	})

	it('switches screening on and off without revealing anything, and a different screening is a different tag', () => {
		const on = applySessionPatch(base, { screening: true }, 0)
		expect(on.state.screening).toBe(true)
		expect(on.effects).toMatchObject({ reveal: false, close: false })
		expect(sessionTag(on.state)).not.toBe(sessionTag(base))
		expect(applySessionPatch(on.state, { screening: false }, 0).state.screening).toBe(false)
	})
})

describe('session state in the doc', () => {
	it('round-trips through the session map, writing only what changed', () => {
		const doc = new Y.Doc()
		expect(readSessionState(doc)).toEqual(base)
		doc.transact(() => writeSessionState(doc, base))
		let updates = 0
		doc.on('update', () => updates++)
		doc.transact(() => writeSessionState(doc, base))
		expect(updates).toBe(0)
		const next = applySessionPatch(base, { phase: 'voting', timerSeconds: 90 }, 5)
		doc.transact(() => writeSessionState(doc, next.state))
		expect(updates).toBe(1)
		expect(readSessionState(doc)).toEqual(next.state)
		expect(sessionTag(readSessionState(doc))).toBe(sessionTag(next.state))
		expect(sessionTag(base)).not.toBe(sessionTag(next.state))
	})

	it('reads malformed values as defaults', () => {
		const doc = new Y.Doc()
		const map = doc.getMap(SESSION_MAP)
		map.set('phase', 'weird')
		map.set('timer', { running: true, endsAt: 'soon' })
		map.set('votesPerParticipant', -2)
		expect(readSessionState(doc)).toEqual(base)
	})
})
