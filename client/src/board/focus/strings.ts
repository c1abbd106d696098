import { fillPlaceholders, type Language } from '../../i18n'

/** Focus texts (one note or theme on every screen), Dutch first. */
const nl = {
	'focus.open': 'Focus',
	'focus.openHint': 'Zet de gekozen notitie of het thema groot op elk scherm',
	'focus.title': 'Focus',
	'focus.theme': 'Thema',
	'focus.previous': 'Vorige',
	'focus.next': 'Volgende',
	'focus.close': 'Focus verlaten',
	'focus.dots': '{n} stippen',
	'focus.dotsOne': '1 stip',
	'focus.dotsNone': 'Geen stippen',
	'focus.keys': 'Pijltjestoetsen: vorige en volgende · Esc: focus verlaten',
	'focus.failed': 'Focus kon niet worden gewijzigd: {message}',
} as const

export type FocusTextKey = keyof typeof nl

const en: Record<FocusTextKey, string> = {
	'focus.open': 'Focus',
	'focus.openHint': 'Show the selected note or theme large on every screen',
	'focus.title': 'Focus',
	'focus.theme': 'Theme',
	'focus.previous': 'Previous',
	'focus.next': 'Next',
	'focus.close': 'Leave focus',
	'focus.dots': '{n} dots',
	'focus.dotsOne': '1 dot',
	'focus.dotsNone': 'No dots',
	'focus.keys': 'Arrow keys: previous and next · Esc: leave focus',
	'focus.failed': 'Could not change the focus: {message}',
}

const texts: Record<Language, Record<FocusTextKey, string>> = { nl, en }

/** A focus text in `language`, `{name}` placeholders filled from `params`. */
export function focusText(language: Language, key: FocusTextKey, params?: Record<string, string | number>): string {
	return fillPlaceholders(texts[language][key], params ?? {})
}

/** "1 stip" / "{n} stippen" / "Geen stippen". */
export function dotsText(language: Language, n: number): string {
	if (n === 0) return focusText(language, 'focus.dotsNone')
	return n === 1 ? focusText(language, 'focus.dotsOne') : focusText(language, 'focus.dots', { n })
}
