/**
 * What the phone remembers about its user, in localStorage: a random participant id (which proves ownership
 * of their notes to the server), their first name, and their language.
 */
import type { KeyValueStorage } from './outbox'
import type { Lang } from './strings'

/** localStorage key of the participant id; a laptop board of the same browser reads it too. */
export const PARTICIPANT_ID_KEY = 'kompasbord.participantId'
/** What the server accepts as a participant id (or client note id). */
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
		return { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v) }
	}
}

/** The phone's participant id, made once and kept. */
export function participantId(storage: KeyValueStorage): string {
	const known = storage.getItem(PARTICIPANT_ID_KEY)
	if (known && PARTICIPANT_ID_PATTERN.test(known)) return known
	const id = randomId()
	storage.setItem(PARTICIPANT_ID_KEY, id)
	return id
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
