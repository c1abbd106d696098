/**
 * Dutch-aware text normalisation for grouping sticky notes: lower case, accents off, punctuation out, a small
 * stop-word list, and a light stemmer (plural and diminutive endings, a few derivational suffixes, doubled
 * vowels and consonants made single) so that "ouders" and "ouder", "scholen" and "school", "meldingen" and
 * "melden" meet. Deliberately small: notes are short, and a wrong merge costs more than a missed one.
 *
 * @module
 */

/** Words that say nothing about a note's theme. */
export const DUTCH_STOP_WORDS: ReadonlySet<string> = new Set(
	`aan al alle alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens en er
	ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je kan kon kunnen
	maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook op over reeds te tegen
	toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen wie wil worden wordt zal ze zelf zich
	zij zijn zo zonder zou meer goed beter graag via elk elke ieder iedere wij jullie onze zodat welke waar`.split(/\s+/)
)

/**
 * Stems every note of these workshops shares (they are all about children and young people), so they say
 * nothing about a note's theme.
 */
export const WORKSHOP_STEMS: ReadonlySet<string> = new Set(['jong', 'jonger', 'kind', 'kinder', 'leerling'])

/** Lower case, accents and punctuation off, split into words. */
export function words(text: string): string[] {
	return text
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.split(/[^a-z0-9]+/)
		.filter((word) => word.length > 0)
}

const SUFFIXES = ['heden', 'heid', 'ingen', 'ing', 'tjes', 'tje', 'jes', 'je', 'ers', 'en', 'es', 'er', 's', 'e']

/**
 * A light Dutch stem: the longest of a few endings off (never below three letters), then doubled letters made
 * single ("scholen" → "schol", "school" → "schol"; "kinderen" → "kind"; "meldingen" → "meld").
 */
export function stem(word: string): string {
	let w = word
	for (const suffix of SUFFIXES) {
		if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
			w = w.slice(0, -suffix.length)
			break
		}
	}
	// "kinderen" → "kinder" → "kind": the plural -eren.
	if (w.length > 5 && w.endsWith('er') && word.endsWith('eren')) w = w.slice(0, -2)
	return w.replace(/([a-z])\1+/g, '$1')
}

/** The stems of a note's content words (stop words and one-letter words left out). */
export function contentStems(text: string): string[] {
	return words(text)
		.filter((word) => word.length > 1 && !DUTCH_STOP_WORDS.has(word) && !/^\d+$/.test(word))
		.map(stem)
		.filter((s) => !WORKSHOP_STEMS.has(s))
}
