/**
 * The participant id of this browser: the same one the phone page keeps (`kompasbord.participantId` in
 * localStorage, see client/src/phone/identity.ts), so a person who writes on a laptop board and on the phone
 * page of the same browser is one participant — their held notes and their dots. The board passes it to the
 * websocket as `?pid=`, and to the notes and votes API. The key, the pattern and the id maker are the phone
 * page's own (client/src/phone/identity.ts imports types only, so the board takes nothing else of the phone
 * page with them).
 */
// biome-ignore lint/style/noRestrictedImports: identity.ts is types and constants only (see above)
import { PARTICIPANT_ID_KEY, PARTICIPANT_ID_PATTERN, randomId } from '../../phone/identity'

export { PARTICIPANT_ID_KEY, PARTICIPANT_ID_PATTERN }

/** Storage as far as the id needs it. */
export interface IdStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
}

/** A random url-safe id of 22 characters (128 bits): participant ids and client note ids. */
export const newParticipantId: () => string = randomId

/** The stored participant id, or a new one (stored right away when storage works). */
export function boardParticipantId(storage: IdStorage | null, make: () => string = newParticipantId): string {
	try {
		const known = storage?.getItem(PARTICIPANT_ID_KEY)
		if (known && PARTICIPANT_ID_PATTERN.test(known)) return known
	} catch {
		// Unreadable storage: a new id for this page.
	}
	const id = make()
	try {
		storage?.setItem(PARTICIPANT_ID_KEY, id)
	} catch {
		// Private mode: the id lasts for this page only.
	}
	return id
}

/** The browser's localStorage, or null where it is unavailable. */
export function browserStorage(): IdStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage
	} catch {
		return null
	}
}
