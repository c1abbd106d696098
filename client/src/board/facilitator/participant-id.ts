/**
 * The participant token of this browser for a room: the same one the phone page keeps
 * (`kompasbord.participantToken.<roomId>` in localStorage, see client/src/phone/identity.ts), so a person who
 * writes on a laptop board and on the phone page of the same browser is one participant — their held notes
 * and their dots. The server issued it (`POST /api/join/:joinCode`); the board offers it to the websocket as
 * its `kompasbord-participant.<token>` subprotocol and sends it to the notes and votes API as
 * `Authorization: Bearer <token>`. The key, the pattern and the id maker are the phone page's own
 * (client/src/phone/identity.ts imports types only, so the board takes nothing else of the phone page with them).
 */
// biome-ignore lint/style/noRestrictedImports: identity.ts is types and constants only (see above)
import { PARTICIPANT_TOKEN_PATTERN, PARTICIPANT_TOKEN_PREFIX, randomId } from '../../phone/identity'

export { PARTICIPANT_TOKEN_PATTERN, PARTICIPANT_TOKEN_PREFIX }

/** Storage as far as the token needs it. */
export interface IdStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
	removeItem?(key: string): void
}

/** A random url-safe id of 22 characters (128 bits): client note ids. */
export const newClientNoteId: () => string = randomId

/** The stored participant token of a room, or null when this browser has not joined it. */
export function boardParticipantToken(storage: IdStorage | null, roomId: string): string | null {
	try {
		const known = storage?.getItem(PARTICIPANT_TOKEN_PREFIX + roomId)
		return known && PARTICIPANT_TOKEN_PATTERN.test(known) ? known : null
	} catch {
		return null
	}
}

/** Keeps a participant token the server issued (for the board and the phone page of this browser). */
export function saveBoardParticipantToken(storage: IdStorage | null, roomId: string, token: string): void {
	try {
		storage?.setItem(PARTICIPANT_TOKEN_PREFIX + roomId, token)
	} catch {
		// Private mode: the token lasts for this page only.
	}
}

/** Forgets a token the server refused, so the board asks for the join code again. */
export function forgetBoardParticipantToken(storage: IdStorage | null, roomId: string): void {
	try {
		storage?.removeItem?.(PARTICIPANT_TOKEN_PREFIX + roomId)
	} catch {
		// Nothing stored.
	}
}

/** The browser's localStorage, or null where it is unavailable. */
export function browserStorage(): IdStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage
	} catch {
		return null
	}
}
