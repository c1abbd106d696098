/**
 * What the phone remembers about its user, in localStorage: per room the participant token the server issued
 * when they joined (it says who they are: their notes, their dots), their first name, and their language.
 */
import type { KeyValueStorage } from './outbox'
import type { Lang } from './strings'

/** localStorage key prefix of a room's participant token; a laptop board of the same browser reads it too. */
export const PARTICIPANT_TOKEN_PREFIX = 'kompasbord.participantToken.'
/** What a participant token the server issues looks like (`p1.<participantId>.<issuedAt>.<signature>`). */
export const PARTICIPANT_TOKEN_PATTERN = /^p1\.[A-Za-z0-9_-]{22}\.[0-9a-z]{1,12}\.[A-Za-z0-9_-]{43}$/
/** What the server accepts as a client note id. */
export const PARTICIPANT_ID_PATTERN = /^[A-Za-z0-9_-]{8,100}$/
const NAME_KEY = 'kompasbord.name'
const LANG_KEY = 'kompasbord.lang'

/** A random url-safe id of 22 characters (128 bits), from the browser's crypto. */
export function randomId(): string {
	const bytes = new Uint8Array(16)
	crypto.getRandomValues(bytes)
	let binary = ''
	for (const b of bytes) binary += String.fromCharCode(b)
	return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** localStorage when it works (not in some private modes), else a memory map for this page. */
export function safeStorage(): KeyValueStorage {
	try {
		const probe = '__kompasbord_probe__'
		localStorage.setItem(probe, '1')
		localStorage.removeItem(probe)
		return localStorage
	} catch {
		const map = new Map<string, string>()
		return {
			getItem: (k) => map.get(k) ?? null,
			setItem: (k, v) => void map.set(k, v),
			removeItem: (k) => void map.delete(k),
		}
	}
}

/** The participant token this browser holds for a room, or null before it joined. */
export function participantToken(storage: KeyValueStorage, roomId: string): string | null {
	try {
		const known = storage.getItem(PARTICIPANT_TOKEN_PREFIX + roomId)
		return known && PARTICIPANT_TOKEN_PATTERN.test(known) ? known : null
	} catch {
		return null
	}
}

/** Keeps the participant token the server issued for a room. */
export function saveParticipantToken(storage: KeyValueStorage, roomId: string, token: string): void {
	try {
		storage.setItem(PARTICIPANT_TOKEN_PREFIX + roomId, token)
	} catch {
		// Private mode: the token lasts for this page only.
	}
}

/** Forgets a room's token the server no longer accepts (the next join issues a new one). */
export function forgetParticipantToken(storage: KeyValueStorage, roomId: string): void {
	try {
		storage.removeItem?.(PARTICIPANT_TOKEN_PREFIX + roomId)
	} catch {
		// Nothing stored.
	}
}

/** The first name the user typed last time ('' when none). */
export function savedName(storage: KeyValueStorage): string {
	return storage.getItem(NAME_KEY) ?? ''
}

/** Remembers the first name. */
export function saveName(storage: KeyValueStorage, name: string): void {
	storage.setItem(NAME_KEY, name)
}

/** The language chosen before, else Dutch unless the browser prefers English. */
export function savedLang(storage: KeyValueStorage, browserLanguages: readonly string[] = []): Lang {
	const saved = storage.getItem(LANG_KEY)
	if (saved === 'nl' || saved === 'en') return saved
	return browserLanguages[0]?.toLowerCase().startsWith('en') ? 'en' : 'nl'
}

/** Remembers the language. */
export function saveLang(storage: KeyValueStorage, lang: Lang): void {
	storage.setItem(LANG_KEY, lang)
}
