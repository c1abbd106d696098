import { describe, expect, it } from 'vitest'
import {
	PARTICIPANT_TOKEN_PREFIX,
	boardParticipantToken,
	forgetBoardParticipantToken,
	newClientNoteId,
	saveBoardParticipantToken,
} from './participant-id'

function memory(initial: Record<string, string> = {}) {
	const map = new Map(Object.entries(initial))
	return {
		getItem: (k: string) => map.get(k) ?? null,
		setItem: (k: string, v: string) => void map.set(k, v),
		removeItem: (k: string) => void map.delete(k),
		map,
	}
}

const TOKEN = `p1.${'a'.repeat(22)}.lx2k3m4n.${'S'.repeat(43)}`

describe('boardParticipantToken', () => {
	it('reads the token the phone page stored for the room, and nothing for another room', () => {
		const storage = memory({ [`${PARTICIPANT_TOKEN_PREFIX}room-1`]: TOKEN })
		expect(boardParticipantToken(storage, 'room-1')).toBe(TOKEN)
		expect(boardParticipantToken(storage, 'room-2')).toBeNull()
	})

	it('ignores a stored value that is no token, works without storage, keeps and forgets tokens', () => {
		expect(boardParticipantToken(memory({ [`${PARTICIPANT_TOKEN_PREFIX}r`]: 'phone-id-1234' }), 'r')).toBeNull()
		expect(boardParticipantToken(null, 'r')).toBeNull()
		const storage = memory()
		saveBoardParticipantToken(storage, 'r', TOKEN)
		expect(boardParticipantToken(storage, 'r')).toBe(TOKEN)
		forgetBoardParticipantToken(storage, 'r')
		expect(boardParticipantToken(storage, 'r')).toBeNull()
		expect(newClientNoteId()).toMatch(/^[A-Za-z0-9_-]{22}$/)
	})
})
