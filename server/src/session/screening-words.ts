import { MAX_SCREENING_WORD, MAX_SCREENING_WORDS } from '@kompasbord/shared'
import { httpError } from '../http/errors'
import { stem, words } from '../themes/dutch-text'

/**
 * The default list of words that flag a note in the screening queue for the facilitator's attention. A flag is a
 * highlight, never a verdict: the facilitator reads the note and decides. Kept small on purpose — a list that
 * flags half the notes teaches everyone to ignore it. The workshops are about children and young people, so
 * besides swearing, slurs and threats it flags the few words that may point at a child's safety (abuse, suicide),
 * which a facilitator wants to see before the room does. Names and other personal data are not looked for.
 *
 * Matching (see {@link flagsOf}): case and accents do not count, a word matches its plural and diminutive
 * forms (the themes' light stemmer), an entry ending in `*` matches every word starting with it (Dutch joins
 * words: "kutschool"), and an entry of several words matches them in a row.
 */
export const DEFAULT_SCREENING_WORDS: readonly string[] = [
	// Swearing and abuse
	'kut*',
	'klote*',
	'kanker*',
	'tering*',
	'tyfus*',
	'kolere*',
	'godver*',
	'godsamme',
	'shit',
	'fuck*',
	'lul',
	'klootzak',
	'hoer',
	'slet',
	'eikel',
	'debiel*',
	'mongool',
	'idioot',
	'sukkel',
	'achterlijk*',
	'flikker*',
	// Threats and violence
	'vermoord*',
	'doodmaken',
	'afmaken',
	'neersteken',
	'wapen*',
	// A child's safety
	'misbruik*',
	'mishandel*',
	'verkracht*',
	'zelfmoord*',
	'suïcide',
	'zelfbeschadiging',
]

/** One list entry ready to match: its words' stems (the last one a prefix when the entry ends in `*`). */
interface Pattern {
	entry: string
	parts: string[]
	prefix: boolean
}

function patternOf(entry: string): Pattern | null {
	const prefix = entry.trim().endsWith('*')
	const parts = words(entry)
	if (parts.length === 0) return null
	return {
		entry,
		// A prefix is matched as written (stemming "kut" would change nothing, "klote" would lose its e).
		parts: parts.map((part, i) => (prefix && i === parts.length - 1 ? part : stem(part))),
		prefix,
	}
}

/** The entries of `lists` found in `text`, each once, in list order. */
export function flagsOf(text: string, ...lists: (readonly string[])[]): string[] {
	const tokens = words(text)
	const stems = tokens.map(stem)
	const found: string[] = []
	const seen = new Set<string>()
	for (const list of lists) {
		for (const entry of list) {
			const pattern = patternOf(entry)
			if (!pattern) continue
			const key = pattern.parts.join(' ') + (pattern.prefix ? '*' : '')
			if (seen.has(key)) continue
			if (matches(pattern, tokens, stems)) {
				seen.add(key)
				found.push(entry)
			}
		}
	}
	return found
}

function matches(pattern: Pattern, tokens: string[], stems: string[]): boolean {
	const n = pattern.parts.length
	for (let start = 0; start + n <= tokens.length; start++) {
		let all = true
		for (let i = 0; i < n && all; i++) {
			const last = i === n - 1
			all =
				last && pattern.prefix ? tokens[start + i].startsWith(pattern.parts[i]) : stems[start + i] === pattern.parts[i]
		}
		if (all) return true
	}
	return false
}

/**
 * A facilitator's own word list as sent: each entry trimmed with inner spaces made single, empty ones dropped,
 * duplicates (by their normalised form) once. 400 `bad_word_list` for an entry longer than
 * {@link MAX_SCREENING_WORD} characters, one with no letter or digit, or more than {@link MAX_SCREENING_WORDS}.
 */
export function normalizeWordList(input: readonly string[]): string[] {
	const result: string[] = []
	const seen = new Set<string>()
	for (const raw of input) {
		const entry = raw
			.normalize('NFC')
			.replace(/[\u0000-\u001F\u007F]/g, ' ')
			.replace(/\s+/g, ' ')
			.trim()
		if (!entry) continue
		if ([...entry].length > MAX_SCREENING_WORD) {
			throw httpError(400, 'bad_word_list', `A word of the list is longer than ${MAX_SCREENING_WORD} characters`)
		}
		const pattern = patternOf(entry)
		if (!pattern) throw httpError(400, 'bad_word_list', `"${entry}" has no letter or digit`)
		const key = pattern.parts.join(' ') + (pattern.prefix ? '*' : '')
		if (seen.has(key)) continue
		seen.add(key)
		result.push(entry)
	}
	if (result.length > MAX_SCREENING_WORDS) {
		throw httpError(400, 'bad_word_list', `At most ${MAX_SCREENING_WORDS} words`)
	}
	return result
}
