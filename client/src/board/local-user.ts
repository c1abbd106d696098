import {
	atom,
	computed,
	createTLCurrentUser,
	createUserId,
	UserRecordType,
	type Atom,
	type Signal,
	type TLCurrentUser,
	type TLUser,
	type TLUserPreferences,
} from 'tldraw'
import type { KeyValueStorage } from '../i18n'

/** Who this browser is on every board: a stable id, the name they gave (null until asked) and a colour. */
export interface LocalUser {
	id: string
	name: string | null
	color: string
}

/** localStorage key of the {@link LocalUser}. */
export const USER_STORAGE_KEY = 'kompasbord:user'

/** Cursor colours: distinct, readable on white, and not the zone colours' pastel tints. */
export const USER_COLORS: readonly string[] = [
	'#d62828',
	'#1d4e89',
	'#2a9d8f',
	'#e76f51',
	'#7b2cbf',
	'#0077b6',
	'#c9184a',
	'#588157',
	'#bc6c25',
	'#3a0ca3',
	'#6a994e',
	'#9d0208',
]

/** Longest name kept; longer input is cut. */
export const MAX_NAME_LENGTH = 40

/** A random id of 16 hex digits; works on plain http, where `crypto.randomUUID` is unavailable. */
export function randomId(): string {
	const bytes = new Uint8Array(8)
	crypto.getRandomValues(bytes)
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A name as typed, trimmed and cut to {@link MAX_NAME_LENGTH}; null when nothing is left. */
export function cleanName(name: string | null | undefined): string | null {
	const trimmed = (name ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH)
	return trimmed ? trimmed : null
}

function isLocalUser(value: unknown): value is LocalUser {
	if (!value || typeof value !== 'object') return false
	const v = value as Record<string, unknown>
	return (
		typeof v.id === 'string' &&
		/^[\w-]{4,64}$/.test(v.id) &&
		(v.name === null || typeof v.name === 'string') &&
		typeof v.color === 'string' &&
		/^#[0-9a-f]{6}$/i.test(v.color)
	)
}

/**
 * The remembered user, or a new one (random id and colour, no name yet) that is stored right away so every
 * tab and every later visit of this browser is the same person.
 */
export function loadLocalUser(storage: KeyValueStorage | null, random: () => number = Math.random): LocalUser {
	try {
		const stored = storage?.getItem(USER_STORAGE_KEY)
		if (stored) {
			const parsed: unknown = JSON.parse(stored)
			if (isLocalUser(parsed)) return { ...parsed, name: cleanName(parsed.name) }
		}
	} catch {
		// Unreadable: start over.
	}
	const user: LocalUser = {
		id: randomId(),
		name: null,
		color: USER_COLORS[Math.floor(random() * USER_COLORS.length) % USER_COLORS.length],
	}
	saveLocalUser(storage, user)
	return user
}

/** Remembers the user; silently does nothing when storage is unavailable. */
export function saveLocalUser(storage: KeyValueStorage | null, user: LocalUser): void {
	try {
		storage?.setItem(USER_STORAGE_KEY, JSON.stringify(user))
	} catch {
		// Private mode or full storage: the name lasts for this page only.
	}
}

/** The user as tldraw sees them: current-user preferences for the editor and a `user` record for attribution. */
export interface TldrawUser {
	/** The source of truth; update through {@link TldrawUser.setName} / {@link TldrawUser.setColor}. */
	readonly $user: Atom<LocalUser>
	/** For `<Tldraw user>`: name, colour and locale; edits in tldraw's people menu are saved. */
	readonly currentUser: TLCurrentUser
	/** For `createTLStore({ users: { currentUser } })` and presence: the `user:` record of this person. */
	readonly $userRecord: Signal<TLUser>
	setName(name: string | null): void
	setColor(color: string): void
}

/**
 * Binds a {@link LocalUser} to tldraw. `defaultName` is shown while the user gave no name ("Deelnemer");
 * `$locale` is the app language, which tldraw's preferences follow.
 */
export function createTldrawUser(
	initial: LocalUser,
	options: {
		storage: KeyValueStorage | null
		$defaultName: Signal<string>
		$locale: Signal<string>
		/** Called when the user picks another language in tldraw's own menu. */
		onLocaleChange?: (locale: string) => void
	}
): TldrawUser {
	const { storage, $defaultName, $locale, onLocaleChange } = options
	const $user = atom<LocalUser>('kompasbord local user', initial)
	// tldraw's own preferences (snap mode, dark mode, …) live for the page only.
	const $extraPrefs = atom<Partial<TLUserPreferences>>('kompasbord user prefs', {})

	const update = (patch: Partial<LocalUser>) => {
		const next = { ...$user.get(), ...patch }
		$user.set(next)
		saveLocalUser(storage, next)
	}

	const userPreferences = computed<TLUserPreferences>('kompasbord user preferences', () => {
		const user = $user.get()
		return {
			...$extraPrefs.get(),
			id: user.id,
			name: user.name ?? $defaultName.get(),
			color: user.color,
			locale: $locale.get(),
		}
	})

	const currentUser = createTLCurrentUser({
		userPreferences,
		setUserPreferences: (prefs) => {
			const { id: _id, name, color, locale, ...rest } = prefs
			$extraPrefs.set(rest)
			if (typeof locale === 'string' && locale !== $locale.get()) onLocaleChange?.(locale)
			const user = $user.get()
			// Every preference update repeats the shown name; the default shown for a user without a name is
			// not a name they chose.
			const shownDefault = user.name === null && name === $defaultName.get()
			const nextName = name === undefined || shownDefault ? user.name : cleanName(name)
			const nextColor = typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color) ? color : user.color
			if (nextName !== user.name || nextColor !== user.color) update({ name: nextName, color: nextColor })
		},
	})

	const $userRecord = computed<TLUser>('kompasbord user record', () => {
		const user = $user.get()
		return UserRecordType.create({
			id: createUserId(user.id),
			name: user.name ?? $defaultName.get(),
			color: user.color,
		})
	})

	return {
		$user,
		currentUser,
		$userRecord,
		setName: (name) => update({ name: cleanName(name) }),
		setColor: (color) => update({ color }),
	}
}
