import { describe, expect, it } from 'vitest'
import {
	DICTIONARIES,
	LANGUAGE_STORAGE_KEY,
	getLanguage,
	isLanguage,
	readLanguage,
	setLanguage,
	subscribeLanguage,
	translate,
	type KeyValueStorage,
} from './i18n'

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
	const data = new Map(Object.entries(initial))
	return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) }
}

describe('i18n', () => {
	it('has every Dutch message in English too, and no empty ones', () => {
		expect(Object.keys(DICTIONARIES.en).sort()).toEqual(Object.keys(DICTIONARIES.nl).sort())
		for (const language of ['nl', 'en'] as const) {
			for (const [key, text] of Object.entries(DICTIONARIES[language])) expect(text, `${language} ${key}`).not.toBe('')
		}
	})

	it('fills placeholders and leaves unknown ones visible', () => {
		expect(translate('nl', 'connection.offline.many', { n: 3 })).toBe('Offline — 3 wijzigingen niet verzonden')
		expect(translate('en', 'connection.offline.many', { n: 3 })).toBe('Offline — 3 changes not sent')
		expect(translate('nl', 'home.bouwsteen', {})).toBe('Bouwsteen {n}')
		expect(translate('nl', 'connection.connected')).toBe('Verbonden')
	})

	it('is Dutch unless English was chosen, and remembers the choice', () => {
		expect(readLanguage(memoryStorage())).toBe('nl')
		expect(readLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'fr' }))).toBe('nl')
		expect(readLanguage(memoryStorage({ [LANGUAGE_STORAGE_KEY]: 'en' }))).toBe('en')
		expect(isLanguage('en')).toBe(true)
		expect(isLanguage('de')).toBe(false)

		const storage = memoryStorage()
		const seen: string[] = []
		const unsubscribe = subscribeLanguage(() => seen.push(getLanguage()))
		const before = getLanguage()
		setLanguage(before === 'nl' ? 'en' : 'nl', storage)
		setLanguage(before, storage)
		unsubscribe()
		expect(seen).toEqual([before === 'nl' ? 'en' : 'nl', before])
		expect(storage.data.get(LANGUAGE_STORAGE_KEY)).toBe(before)
	})
})
