import { describe, expect, it } from 'vitest'
import { PARTICIPANT_ID_KEY, PARTICIPANT_ID_PATTERN, boardParticipantId, newParticipantId } from './participant-id'

function memory(initial: Record<string, string> = {}) {
	const map = new Map(Object.entries(initial))
	return { getItem: (k: string) => map.get(k) ?? null, setItem: (k: string, v: string) => void map.set(k, v), map }
}

describe('boardParticipantId', () => {
	it('reuses the id the phone page stored, and stores a new one otherwise', () => {
		expect(boardParticipantId(memory({ [PARTICIPANT_ID_KEY]: 'phone-id-1234' }))).toBe('phone-id-1234')
		const empty = memory()
		const made = boardParticipantId(empty)
		expect(made).toMatch(PARTICIPANT_ID_PATTERN)
		expect(empty.map.get(PARTICIPANT_ID_KEY)).toBe(made)
		expect(boardParticipantId(empty)).toBe(made)
	})

	it('replaces a stored value the server would refuse, and works without storage', () => {
		const bad = memory({ [PARTICIPANT_ID_KEY]: 'no spaces allowed' })
		expect(boardParticipantId(bad, () => 'fresh-id-5678')).toBe('fresh-id-5678')
		expect(boardParticipantId(null, () => 'fresh-id-9999')).toBe('fresh-id-9999')
		expect(newParticipantId()).toMatch(PARTICIPANT_ID_PATTERN)
	})
})
