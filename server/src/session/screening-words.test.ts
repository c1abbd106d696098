import { describe, expect, it } from 'vitest'
import { HttpError } from '../http/errors'
import { DEFAULT_SCREENING_WORDS, flagsOf, normalizeWordList } from './screening-words'

describe('screening words', () => {
	it('match whole words regardless of case and accents, with their plural and diminutive forms', () => {
		expect(flagsOf('Dat is echt een IDIOOT plan', ['idioot'])).toEqual(['idioot'])
		expect(flagsOf('Wat een sukkels', ['sukkel'])).toEqual(['sukkel'])
		expect(flagsOf('Praten over suicide op school', DEFAULT_SCREENING_WORDS)).toEqual(['suïcide'])
		expect(flagsOf('Een idiote regel', ['idioot'])).toEqual(['idioot'])
		// A plain entry does not match inside another word ("lul" is not in "lullig"), a starred one does.
		expect(flagsOf('Wat lullig', ['lul'])).toEqual([])
		expect(flagsOf('Die kutschool', ['kut*'])).toEqual(['kut*'])
	})

	it('match phrases word after word, each entry once, in list order', () => {
		expect(flagsOf('Geen hangplek bij de kerk', ['bij de kerk', 'hangplek'])).toEqual(['bij de kerk', 'hangplek'])
		expect(flagsOf('De kerk bij', ['bij de kerk'])).toEqual([])
		expect(flagsOf('Klote klote klote', ['klote*'], ['KLOTE*'])).toEqual(['klote*'])
	})

	it('leave ordinary workshop notes unflagged by the default list', () => {
		const notes = [
			'Jongeren willen een eigen plek om te chillen',
			'Ouders betrekken bij de school',
			'Signalen van pesten niet negeren',
			'Meer sport en bewegen na school',
			'Hoera, eindelijk een jongerenraad',
			'Kinderen moeten veilig naar school kunnen fietsen',
		]
		for (const note of notes) expect(flagsOf(note, DEFAULT_SCREENING_WORDS), note).toEqual([])
		expect(flagsOf('Ik word thuis mishandeld', DEFAULT_SCREENING_WORDS)).toEqual(['mishandel*'])
	})

	it('normalise a facilitator’s list and refuse what cannot be a word', () => {
		expect(normalizeWordList(['  Bushalte ', 'bushalte', 'BUSHALTES', 'café', 'cafe', '', 'twee  woorden'])).toEqual([
			'Bushalte',
			'café',
			'twee woorden',
		])
		expect(() => normalizeWordList(['...'])).toThrow(HttpError)
		expect(() => normalizeWordList(['x'.repeat(41)])).toThrow(HttpError)
		expect(() => normalizeWordList(Array.from({ length: 201 }, (_, i) => `w${i}`))).toThrow(HttpError)
		expect(normalizeWordList(Array.from({ length: 200 }, (_, i) => `w${i}`))).toHaveLength(200)
	})
})
