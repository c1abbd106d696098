import { describe, expect, it } from 'vitest'
import { atom } from 'tldraw'
import type { KeyValueStorage } from '../i18n'
import { USER_COLORS, USER_STORAGE_KEY, cleanName, createTldrawUser, loadLocalUser, randomId } from './local-user'

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Record<string, string> } {
	const data = { ...initial }
	return {
		data,
		getItem: (key) => (key in data ? data[key] : null),
		setItem: (key, value) => {
			data[key] = value
		},
	}
}

describe('local user', () => {
	it('creates a user with a random id and palette colour once, then remembers it', () => {
		const storage = memoryStorage()
		const first = loadLocalUser(storage, () => 0.5)
		expect(first.name).toBeNull()
		expect(first.color).toBe(USER_COLORS[Math.floor(0.5 * USER_COLORS.length)])
		expect(first.id).toMatch(/^[0-9a-f]{16}$/)
		expect(JSON.parse(storage.data[USER_STORAGE_KEY])).toEqual(first)
		expect(loadLocalUser(storage, () => 0.1)).toEqual(first)
	})

	it('replaces a stored value that is not a user', () => {
		const storage = memoryStorage({ [USER_STORAGE_KEY]: '{"id":"x","color":"red"}' })
		const user = loadLocalUser(storage)
		expect(user.id).not.toBe('x')
		expect(USER_COLORS).toContain(user.color)
		expect(loadLocalUser(memoryStorage({ [USER_STORAGE_KEY]: 'not json' })).name).toBeNull()
	})

	it('cleans names', () => {
		expect(cleanName('  Anna   de  Vries ')).toBe('Anna de Vries')
		expect(cleanName('   ')).toBeNull()
		expect(cleanName('x'.repeat(100))).toHaveLength(40)
		expect(randomId()).not.toBe(randomId())
	})
})

describe('createTldrawUser', () => {
	const setup = () => {
		const storage = memoryStorage()
		const initial = loadLocalUser(storage)
		const $defaultName = atom('default', 'Deelnemer')
		const $locale = atom('locale', 'nl')
		const localeChanges: string[] = []
		const user = createTldrawUser(initial, {
			storage,
			$defaultName,
			$locale,
			onLocaleChange: (l) => localeChanges.push(l),
		})
		return { storage, initial, user, $defaultName, $locale, localeChanges }
	}

	it('shows the default name until the user gives one, and follows the app language', () => {
		const { user, initial, $defaultName, $locale } = setup()
		expect(user.currentUser.userPreferences.get()).toMatchObject({
			id: initial.id,
			name: 'Deelnemer',
			locale: 'nl',
			color: initial.color,
		})
		expect(user.$userRecord.get()).toMatchObject({ id: `user:${initial.id}`, name: 'Deelnemer', typeName: 'user' })
		$defaultName.set('Participant')
		$locale.set('en')
		expect(user.currentUser.userPreferences.get()).toMatchObject({ name: 'Participant', locale: 'en' })
	})

	it('saves a name set in the app or in tldraw, but not the default repeated by other preference updates', () => {
		const { user, storage } = setup()
		const prefs = user.currentUser.userPreferences.get()
		user.currentUser.setUserPreferences({ ...prefs, isSnapMode: true })
		expect(user.$user.get().name).toBeNull()
		expect(user.currentUser.userPreferences.get().isSnapMode).toBe(true)

		user.currentUser.setUserPreferences({ ...user.currentUser.userPreferences.get(), name: ' Sam ' })
		expect(user.$user.get().name).toBe('Sam')
		expect(JSON.parse(storage.data[USER_STORAGE_KEY]).name).toBe('Sam')
		expect(user.$userRecord.get().name).toBe('Sam')

		user.setName('Noor')
		user.setColor('#123456')
		expect(JSON.parse(storage.data[USER_STORAGE_KEY])).toMatchObject({ name: 'Noor', color: '#123456' })
	})
	it("passes a language picked in tldraw's menu on to the app", () => {
		const { user, localeChanges } = setup()
		user.currentUser.setUserPreferences({ ...user.currentUser.userPreferences.get(), isSnapMode: true })
		expect(localeChanges).toEqual([])
		user.currentUser.setUserPreferences({ ...user.currentUser.userPreferences.get(), locale: 'en' })
		expect(localeChanges).toEqual(['en'])
	})
})
