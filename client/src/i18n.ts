import { useSyncExternalStore } from 'react'

/** The languages of the board app: Dutch first, English as a switch. */
export type Language = 'nl' | 'en'

/** Every language the app offers, in the order the switch shows them. */
export const LANGUAGES: readonly Language[] = ['nl', 'en']

/** localStorage key that remembers the chosen language. */
export const LANGUAGE_STORAGE_KEY = 'kompasbord:language'

const nl = {
	'app.name': 'Kompasbord',
	'app.tagline': 'Samen werken aan de bouwstenen van het kwaliteitskompas, live op één bord.',
	'app.crashed': 'Er ging iets mis op deze pagina.',
	'language.switch': 'English',
	'language.switchLabel': 'Switch to English',

	'home.chooseTemplate': 'Kies een werkblad',
	'home.templatesLoading': 'Werkbladen laden…',
	'home.templatesError': 'De werkbladen konden niet worden geladen.',
	'home.retry': 'Opnieuw proberen',
	'home.bouwsteen': 'Bouwsteen {n}',
	'home.zones': '{n} vakken',
	'home.zone': '1 vak',
	'home.selected': 'Gekozen',
	'home.title': 'Titel van de sessie',
	'home.titlePlaceholder': 'Bijv. Werksessie preventie, gemeente Zwolle',
	'home.titleHint': 'Leeg laten: de naam van het werkblad.',
	'home.columns': 'Aantal resultaatkolommen',
	'home.create': 'Bord maken',
	'home.creating': 'Bord wordt gemaakt…',
	'home.createError': 'Het bord kon niet worden gemaakt: {message}',
	'home.recent': 'Eerder op dit apparaat gemaakt',
	'home.recentHint': 'Alleen jij ziet deze lijst: de facilitatorlinks staan in deze browser.',
	'home.recoverHint':
		'Facilitatorlink kwijt, of een andere browser? Vraag de beheerder van deze Kompasbord-server: die kan in het beheerscherm een nieuwe facilitatorlink maken (de oude werkt dan niet meer).',
	'home.openFacilitator': 'Openen als facilitator',
	'home.participantLink': 'Link voor deelnemers (laptop)',
	'home.joinLink': 'Meedoen met telefoon',
	'home.joinCode': 'Code',
	'home.viewLink': 'Alleen meekijken',
	'home.copy': 'Kopiëren',
	'home.copied': 'Gekopieerd',
	'home.forget': 'Vergeten',
	'home.createdAt': 'Gemaakt {date}',

	'board.loading': 'Bord laden…',
	'board.loadingTldraw': 'Tekenbord laden…',
	'board.notFound': 'Dit bord bestaat niet (meer).',
	'board.noDocument': 'Dit bord kon niet worden geopend: de server gaf een leeg bord zonder inhoud.',
	'board.newerSchema': 'Dit bord is gemaakt met een nieuwere versie van Kompasbord. Ververs de pagina.',
	'board.loadError': 'Het bord kon niet worden geladen: {message}',
	'board.closedByServer': 'De server heeft de verbinding gesloten ({reason}).',
	'board.badKey': 'Deze facilitatorlink klopt niet (meer).',
	'board.continueAsParticipant': 'Verder als deelnemer',
	'board.join.title': 'Doe mee met dit bord',
	'board.join.intro': 'Typ de code die op het scherm staat.',
	'board.join.code': 'Code',
	'board.join.button': 'Meedoen',
	'board.join.busy': 'Bezig met meedoen…',
	'board.join.unknown': 'Deze code kennen we niet. Kijk nog eens op het scherm.',
	'board.join.otherRoom': 'Deze code hoort bij een ander bord.',
	'board.join.closed': 'Deze sessie is gesloten; de code werkt niet meer.',
	'board.join.expired': 'Deze code is verlopen. Vraag de facilitator om de code te verlengen.',
	'board.join.passphraseIntro': 'Deze sessie heeft een wachtwoord. De facilitator vertelt het je.',
	'board.join.wrongPassphrase': 'Dit wachtwoord klopt niet. Probeer het nog eens.',
	'board.join.limited': 'Te veel pogingen. Probeer het over een paar minuten opnieuw.',
	'board.join.failed': 'Meedoen lukte niet. Controleer de verbinding en probeer het opnieuw.',
	'board.join.again': 'Dit bord kent je niet (meer). Typ de code om opnieuw mee te doen.',
	'board.toHome': 'Naar de startpagina',
	'board.reload': 'Opnieuw laden',
	'board.facilitator': 'Facilitator',
	'board.viewer': 'Meekijker',
	'board.participant': 'Deelnemer',
	'board.structureUnlocked': 'Indeling ontgrendeld',
	'board.phase.private': 'Stil schrijven',
	'board.phase.voting': 'Stemronde',
	'board.phase.closed': 'Sessie gesloten',

	'connection.connecting': 'Verbinden…',
	'connection.connected': 'Verbonden',
	'connection.reconnecting': 'Opnieuw verbinden…',
	'connection.offline.one': 'Offline — 1 wijziging niet verzonden',
	'connection.offline.many': 'Offline — {n} wijzigingen niet verzonden',

	'name.prompt': 'Hoe heet je?',
	'name.hint': 'Anderen zien je naam bij je cursor.',
	'name.placeholder': 'Je voornaam',
	'name.save': 'Opslaan',
	'name.skip': 'Later',
	'name.default': 'Deelnemer',
	'name.viewer': 'Meekijker',
	'name.change': 'Naam: {name}',

	'notice.structure-locked': 'De indeling van het bord is vergrendeld; je wijziging is teruggedraaid.',
	'notice.read-only': 'Je kijkt alleen mee; wijzigingen worden niet bewaard.',
	'notice.session-closed': 'De sessie is gesloten; wijzigingen worden niet meer bewaard.',
	'notice.server-owned': 'Dit deel van het bord wordt door de facilitator beheerd.',
	'notice.private-writing':
		'Stil schrijven: je notitie is bewaard en wordt zichtbaar als de facilitator de notities toont.',
	'notice.screening': 'Notities eerst bekijken: je notitie komt op het bord zodra de facilitator hem goedkeurt.',
	'notice.anonymous': 'Dit bord is anoniem: namen worden niet bewaard.',
	'notice.invalid-record': 'Deze wijziging past niet op het bord en is teruggedraaid.',
	'notice.not-your-note': 'Je kunt notities van anderen verplaatsen, maar niet hun tekst wijzigen of ze verwijderen.',
	'notice.moderated': 'Deze notitie is door de facilitator weggehaald.',
	'notice.themes-facilitator': "Thema's maken, hernoemen of opheffen doet nu alleen de facilitator.",
	'notice.unknown': 'Een wijziging van jou is teruggedraaid.',
	'notice.dismiss': 'Sluiten',
} as const

/** A key of the app's dictionaries. */
export type MessageKey = keyof typeof nl

const en: Record<MessageKey, string> = {
	'app.name': 'Kompasbord',
	'app.tagline': 'Work through the building blocks of the quality compass together, live on one board.',
	'app.crashed': 'Something went wrong on this page.',
	'language.switch': 'Nederlands',
	'language.switchLabel': 'Schakel naar Nederlands',

	'home.chooseTemplate': 'Choose a worksheet',
	'home.templatesLoading': 'Loading worksheets…',
	'home.templatesError': 'The worksheets could not be loaded.',
	'home.retry': 'Try again',
	'home.bouwsteen': 'Building block {n}',
	'home.zones': '{n} zones',
	'home.zone': '1 zone',
	'home.selected': 'Selected',
	'home.title': 'Session title',
	'home.titlePlaceholder': 'E.g. Prevention workshop, municipality of Zwolle',
	'home.titleHint': 'Leave empty to use the worksheet name.',
	'home.columns': 'Number of result columns',
	'home.create': 'Create board',
	'home.creating': 'Creating board…',
	'home.createError': 'The board could not be created: {message}',
	'home.recent': 'Created earlier on this device',
	'home.recentHint': 'Only you see this list: the facilitator links are stored in this browser.',
	'home.recoverHint':
		'Lost your facilitator link, or on another browser? Ask the administrator of this Kompasbord server: they can make a new facilitator link in the admin view (the old one then stops working).',
	'home.openFacilitator': 'Open as facilitator',
	'home.participantLink': 'Link for participants (laptop)',
	'home.joinLink': 'Join by phone',
	'home.joinCode': 'Code',
	'home.viewLink': 'View only',
	'home.copy': 'Copy',
	'home.copied': 'Copied',
	'home.forget': 'Forget',
	'home.createdAt': 'Created {date}',

	'board.loading': 'Loading board…',
	'board.loadingTldraw': 'Loading canvas…',
	'board.notFound': 'This board does not exist (any more).',
	'board.noDocument': 'This board could not be opened: the server sent an empty board without content.',
	'board.newerSchema': 'This board was made with a newer version of Kompasbord. Reload the page.',
	'board.loadError': 'The board could not be loaded: {message}',
	'board.closedByServer': 'The server closed the connection ({reason}).',
	'board.badKey': 'This facilitator link is not valid (any more).',
	'board.continueAsParticipant': 'Continue as participant',
	'board.join.title': 'Join this board',
	'board.join.intro': 'Type the code shown on the screen.',
	'board.join.code': 'Code',
	'board.join.button': 'Join',
	'board.join.busy': 'Joining…',
	'board.join.unknown': 'We do not know this code. Check the screen again.',
	'board.join.otherRoom': 'This code belongs to another board.',
	'board.join.closed': 'This session is closed; its code no longer works.',
	'board.join.expired': 'This code has expired. Ask the facilitator to extend it.',
	'board.join.passphraseIntro': 'This session has a passphrase. The facilitator tells you.',
	'board.join.wrongPassphrase': 'This passphrase is not right. Try again.',
	'board.join.limited': 'Too many attempts. Try again in a few minutes.',
	'board.join.failed': 'Joining did not work. Check the connection and try again.',
	'board.join.again': 'This board does not know you (any more). Type the code to join again.',
	'board.toHome': 'Go to the start page',
	'board.reload': 'Reload',
	'board.facilitator': 'Facilitator',
	'board.viewer': 'Viewer',
	'board.participant': 'Participant',
	'board.structureUnlocked': 'Layout unlocked',
	'board.phase.private': 'Silent writing',
	'board.phase.voting': 'Voting round',
	'board.phase.closed': 'Session closed',

	'connection.connecting': 'Connecting…',
	'connection.connected': 'Connected',
	'connection.reconnecting': 'Reconnecting…',
	'connection.offline.one': 'Offline — 1 change not sent',
	'connection.offline.many': 'Offline — {n} changes not sent',

	'name.prompt': 'What is your name?',
	'name.hint': 'Others see your name next to your cursor.',
	'name.placeholder': 'Your first name',
	'name.save': 'Save',
	'name.skip': 'Later',
	'name.default': 'Participant',
	'name.viewer': 'Viewer',
	'name.change': 'Name: {name}',

	'notice.structure-locked': 'The board layout is locked; your change was undone.',
	'notice.read-only': 'You are only watching; changes are not saved.',
	'notice.session-closed': 'The session is closed; changes are no longer saved.',
	'notice.server-owned': 'This part of the board is managed by the facilitator.',
	'notice.private-writing': 'Silent writing: your note is saved and appears when the facilitator reveals the notes.',
	'notice.screening':
		'Notes are reviewed first: your note waits for the facilitator and appears on the board once approved.',
	'notice.anonymous': 'This board is anonymous: names are not stored.',
	'notice.invalid-record': 'This change does not fit on the board and was undone.',
	'notice.not-your-note': "You can move other people's notes, but not change their text or delete them.",
	'notice.moderated': 'The facilitator took this note off the board.',
	'notice.themes-facilitator': 'Only the facilitator makes, renames or removes themes now.',
	'notice.unknown': 'One of your changes was undone.',
	'notice.dismiss': 'Close',
}

/** The app's dictionaries, one per {@link Language}. */
export const DICTIONARIES: Readonly<Record<Language, Readonly<Record<MessageKey, string>>>> = { nl, en }

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Readonly<Record<string, string | number>>

/**
 * Fills in a text's `{name}` placeholders. Unknown placeholders stay as written, so a missing parameter is
 * visible rather than silently empty.
 */
export function fillPlaceholders(template: string, params: MessageParams): string {
	return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
		Object.hasOwn(params, name) ? String(params[name]) : whole
	)
}

/** Looks a message up and fills in its `{placeholders}` (see {@link fillPlaceholders}). */
export function translate(language: Language, key: MessageKey, params?: MessageParams): string {
	const template = DICTIONARIES[language][key] ?? DICTIONARIES.nl[key]
	return params ? fillPlaceholders(template, params) : template
}

/** Whether a value is one of the app's languages. */
export function isLanguage(value: unknown): value is Language {
	return value === 'nl' || value === 'en'
}

/** Minimal storage the language choice needs; `localStorage` in the browser. */
export interface KeyValueStorage {
	getItem(key: string): string | null
	setItem(key: string, value: string): void
}

/** The browser's localStorage, or null where it is missing or disabled. */
export function browserStorage(): KeyValueStorage | null {
	try {
		return typeof localStorage === 'undefined' ? null : localStorage
	} catch {
		// Storage can be disabled (privacy settings); the app then simply does not remember the choice.
		return null
	}
}

/** Reads the remembered language; Dutch when nothing (valid) is stored. */
export function readLanguage(storage: KeyValueStorage | null = browserStorage()): Language {
	try {
		const stored = storage?.getItem(LANGUAGE_STORAGE_KEY)
		return isLanguage(stored) ? stored : 'nl'
	} catch {
		return 'nl'
	}
}

let current: Language = readLanguage()
const listeners = new Set<() => void>()

/** The app's current language. */
export function getLanguage(): Language {
	return current
}

/** Switches the app's language, remembers it, and re-renders everything that uses {@link useI18n}. */
export function setLanguage(language: Language, storage: KeyValueStorage | null = browserStorage()): void {
	try {
		storage?.setItem(LANGUAGE_STORAGE_KEY, language)
	} catch {
		// Not remembered, but still switched for this page.
	}
	if (language === current) return
	current = language
	if (typeof document !== 'undefined') document.documentElement.lang = language
	for (const listener of listeners) listener()
}

/** Subscribes to language changes; returns the unsubscribe function. */
export function subscribeLanguage(listener: () => void): () => void {
	listeners.add(listener)
	return () => {
		listeners.delete(listener)
	}
}

/** What {@link useI18n} returns: the language, a bound translate function and the switch. */
export interface I18n {
	language: Language
	t: (key: MessageKey, params?: MessageParams) => string
	setLanguage: (language: Language) => void
}

/** React hook: the current language and a translate function; re-renders when the language changes. */
export function useI18n(): I18n {
	const language = useSyncExternalStore(subscribeLanguage, getLanguage, getLanguage)
	return {
		language,
		t: (key, params) => translate(language, key, params),
		setLanguage,
	}
}
