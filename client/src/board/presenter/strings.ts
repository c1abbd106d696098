import { fillPlaceholders, type Language } from '../../i18n'

/** The presenter view's texts ("Zone in beeld"), Dutch first. */
const nl = {
	'presenter.open': 'Zone in beeld',
	'presenter.title': 'Zone in beeld',
	'presenter.overview': 'Overzicht',
	'presenter.previous': 'Vorige zone',
	'presenter.next': 'Volgende zone',
	'presenter.close': 'Terug naar het bord',
	'presenter.position': 'Zone {n} van {total}',
	'presenter.notes': '{n} notities',
	'presenter.notesOne': '1 notitie',
	'presenter.notesNone': 'Nog geen notities',
	'presenter.votes': '{n} stippen',
	'presenter.votesOne': '1 stip',
	'presenter.ranked': 'Op volgorde van stippen',
	'presenter.keys': 'Pijltjestoetsen: vorige en volgende zone · Home: overzicht · Esc: terug naar het bord',
	'presenter.following': 'Je volgt de facilitator',
	'presenter.stopFollowing': 'Niet meer volgen',
	'presenter.failed': 'Zone in beeld kon niet worden gewijzigd: {message}',
} as const

export type PresenterTextKey = keyof typeof nl

const en: Record<PresenterTextKey, string> = {
	'presenter.open': 'Zone on screen',
	'presenter.title': 'Zone on screen',
	'presenter.overview': 'Overview',
	'presenter.previous': 'Previous zone',
	'presenter.next': 'Next zone',
	'presenter.close': 'Back to the board',
	'presenter.position': 'Zone {n} of {total}',
	'presenter.notes': '{n} notes',
	'presenter.notesOne': '1 note',
	'presenter.notesNone': 'No notes yet',
	'presenter.votes': '{n} dots',
	'presenter.votesOne': '1 dot',
	'presenter.ranked': 'In order of dots',
	'presenter.keys': 'Arrow keys: previous and next zone · Home: overview · Esc: back to the board',
	'presenter.following': 'You are following the facilitator',
	'presenter.stopFollowing': 'Stop following',
	'presenter.failed': 'Could not change the zone on screen: {message}',
}

const texts: Record<Language, Record<PresenterTextKey, string>> = { nl, en }

/** A presenter text in `language`, `{name}` placeholders filled from `params`. */
export function presenterText(
	language: Language,
	key: PresenterTextKey,
	params?: Record<string, string | number>
): string {
	return fillPlaceholders(texts[language][key], params ?? {})
}

/** "1 notitie" / "{n} notities" (and "Nog geen notities" for 0). */
export function noteCountText(language: Language, n: number): string {
	if (n === 0) return presenterText(language, 'presenter.notesNone')
	return n === 1 ? presenterText(language, 'presenter.notesOne') : presenterText(language, 'presenter.notes', { n })
}

/** "1 stip" / "{n} stippen". */
export function voteCountText(language: Language, n: number): string {
	return n === 1 ? presenterText(language, 'presenter.votesOne') : presenterText(language, 'presenter.votes', { n })
}
