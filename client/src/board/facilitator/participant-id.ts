/**
 * The participant id of this browser: the same one the phone page keeps (`kompasbord.participantId` in
 * localStorage, see client/src/phone/identity.ts), so a person who writes on a laptop board and on the phone
 * page of the same browser is one participant — their held notes and their dots. The board passes it to the
 * websocket as `?pid=`, and to the notes and votes API.
 */

/** localStorage key, shared with the phone page. */
export const PARTICIPANT_ID_KEY = 'kompasbord.participantId'
/** What the server accepts as a participant id. */
export const PARTICIPANT_ID_PATTERN = /^[A-Za-z0-9_-]{8,100}$/

/** Storage as far as the id needs it. */
export interface IdStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
}

/** A random url-safe id of 22 characters (128 bits). */
export function newParticipantId(): string {
	const bytes = new Uint8Array(16)
	crypto.getRandomValues(bytes)
	let binary = ''
	for (const b of bytes) binary += String.fromCharCode(b)
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

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
