import { useCallback, useState } from 'react'
import { ApiError, joinRoomByCode } from '../api'
import { browserStorage, saveBoardParticipantToken } from './facilitator/participant-id'

/** What {@link useCodeJoin} gives the join screen. */
export interface CodeJoin {
	/** A join is under way. */
	joining: boolean
	/** The error code of the last attempt (the API's, or `other_room`); null when none. */
	error: string | null
	/** The code of the last attempt, kept while the passphrase is asked for. */
	code: string
	/** The room has a passphrase: the screen asks for it with the code. */
	needsPassphrase: boolean
	join(code: string, passphrase?: string): Promise<void>
}

/**
 * Joining a board's room with its code from a laptop (the board and the list view): `POST /api/join/:code`, with
 * the room's passphrase once the server asked for it (401 `passphrase_required`). The participant token is kept in
 * localStorage, where this browser's phone page finds it too, so the passphrase is asked once per browser.
 */
export function useCodeJoin(roomId: string, onJoined: (participantToken: string) => void): CodeJoin {
	const [joining, setJoining] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const [code, setCode] = useState('')
	const [needsPassphrase, setNeedsPassphrase] = useState(false)
	const join = useCallback(
		async (typed: string, passphrase?: string) => {
			setJoining(true)
			setError(null)
			setCode(typed)
			try {
				const joined = await joinRoomByCode(typed, passphrase)
				if (joined.roomId !== roomId) throw new Error('other_room')
				saveBoardParticipantToken(browserStorage(), roomId, joined.participantToken)
				onJoined(joined.participantToken)
			} catch (failure) {
				const reason =
					failure instanceof ApiError ? failure.code : failure instanceof Error ? failure.message : String(failure)
				if (reason === 'passphrase_required' || reason === 'wrong_passphrase') setNeedsPassphrase(true)
				setError(reason === 'passphrase_required' ? null : reason)
			} finally {
				setJoining(false)
			}
		},
		[roomId, onJoined]
	)
	return { joining, error, code, needsPassphrase, join }
}
