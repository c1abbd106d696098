import { describe, expect, it } from 'vitest'
import { contentStems, stem } from './dutch-text'
import { adjustedRandIndex, DEFAULT_THEME_THRESHOLD, suggestThemes } from './suggest-themes'

/**
 * Notes as a Do's board of a workshop on sexual boundary-crossing behaviour gets them from phones, written the
 * way people type (compounds, plurals, diminutives, no capitals), with the themes a facilitator would make.
 */
const KNOWN_THEMES: Record<string, string[]> = {
	ouders: [
		'Ouders vroeg betrekken bij de aanpak',
		'ouderavond over relaties en seksualiteit',
		'Ouders helpen het gesprek thuis te voeren',
		'Voorlichting voor ouders van jonge kinderen',
		'betrek ouders bij de lessen op school',
		'een ouder als aanspreekpunt in de wijk',
	],
	online: [
		'Aandacht voor sexting en online gedrag',
		'jongeren leren wat wel en niet mag online',
		'sextingbeleid op elke school',
		'Online grensoverschrijdend gedrag bespreekbaar maken',
		'filmpjes en foto’s online delen zonder toestemming',
	],
	melden: [
		'Eén duidelijke meldroute voor signalen',
		'meldingen sneller doorzetten naar Veilig Thuis',
		'Een meldpunt waar jongeren anoniem kunnen melden',
		'signalen van leerkrachten sneller melden',
		'Duidelijk wie wat doet na een melding',
	],
	vorming: [
		'Relationele en seksuele vorming in groep 8',
		'lessen relationele vorming op de basisschool',
		'Seksuele vorming ook in het mbo',
		'Vorming over grenzen in de lessen',
	],
	weerbaarheid: [
		'weerbaarheidstraining voor meiden en jongens',
		'Weerbaarheid trainen in de onderbouw',
		'Meiden weerbaarder maken met een training',
	],
}

const notes = Object.entries(KNOWN_THEMES).flatMap(([theme, texts]) =>
	texts.map((text, i) => ({ id: `${theme}-${i}`, text }))
)
const ids = notes.map((n) => n.id)
const expected = Object.entries(KNOWN_THEMES).map(([theme, texts]) => texts.map((_, i) => `${theme}-${i}`))

describe('Dutch text for themes', () => {
	it('stems plurals, diminutives and doubled letters together, and drops stop words and accents', () => {
		expect(stem('ouders')).toBe(stem('ouder'))
		expect(stem('scholen')).toBe(stem('school'))
		expect(stem('meldingen')).toBe(stem('melding'))
		expect(stem('kinderen')).toBe(stem('kind'))
		expect(stem('filmpjes')).toBe(stem('filmpje'))
		expect(contentStems('Eén duidelijke meldroute voor de signalen')).toEqual(['duidelijk', 'meldrout', 'signal'])
		expect(contentStems('Jongeren en kinderen')).toEqual([])
	})
})

describe('suggestThemes', () => {
	it('finds the known themes of the fixture (adjusted Rand index at least 0.75)', () => {
		const proposals = suggestThemes(notes)
		const ari = adjustedRandIndex(
			ids,
			expected,
			proposals.map((p) => p.noteIds)
		)
		expect(ari, JSON.stringify(proposals.map((p) => [p.label, p.noteIds]))).toBeGreaterThanOrEqual(0.75)
		// Every proposal is mostly one known theme, labelled by a word its notes share.
		for (const proposal of proposals) {
			const themes = proposal.noteIds.map((id) => id.split('-')[0])
			const top = Math.max(...Object.keys(KNOWN_THEMES).map((t) => themes.filter((x) => x === t).length))
			expect(top / themes.length, proposal.label).toBeGreaterThanOrEqual(0.8)
		}
		expect(proposals.map((p) => p.label.toLowerCase())).toEqual(expect.arrayContaining(['ouders', 'melden', 'vorming']))
	})

	it('makes fewer, larger groups when the facilitator lowers the threshold, and none at 1', () => {
		const strict = suggestThemes(notes, 0.6)
		const loose = suggestThemes(notes, 0.1)
		const grouped = (list: { noteIds: string[] }[]) => list.reduce((n, p) => n + p.noteIds.length, 0)
		expect(grouped(loose)).toBeGreaterThan(grouped(strict))
		expect(suggestThemes(notes, 1.01)).toEqual([])
		expect(suggestThemes(notes, DEFAULT_THEME_THRESHOLD)).toEqual(suggestThemes([...notes], DEFAULT_THEME_THRESHOLD))
	})

	it('proposes nothing for fewer than two notes, and no theme of one note', () => {
		expect(suggestThemes([])).toEqual([])
		expect(suggestThemes([{ id: 'a', text: 'Ouders betrekken' }])).toEqual([])
		const proposals = suggestThemes([
			{ id: 'a', text: 'Ouders betrekken' },
			{ id: 'b', text: 'ouders informeren' },
			{ id: 'c', text: 'Budget voor drie jaar' },
		])
		expect(proposals).toEqual([{ label: 'Ouders', noteIds: ['a', 'b'] }])
	})
})

describe('adjustedRandIndex', () => {
	it('is 1 for the same grouping and about 0 or below for an unrelated one', () => {
		expect(adjustedRandIndex(ids, expected, expected)).toBeCloseTo(1)
		const shuffled = [ids.filter((_, i) => i % 2 === 0), ids.filter((_, i) => i % 2 === 1)]
		expect(adjustedRandIndex(ids, expected, shuffled)).toBeLessThan(0.1)
	})
})
