/** The admin page's texts, Dutch first, English as the switch. */
const nl = {
	title: 'Kompasbord — beheer',
	intro: 'Alle borden op deze server. Alleen voor de beheerder (ADMIN_TOKEN).',
	tokenLabel: 'Beheertoken',
	tokenHint: 'Het token uit de instelling ADMIN_TOKEN van de server. Het blijft alleen in dit tabblad bewaard.',
	signIn: 'Inloggen',
	signOut: 'Uitloggen',
	wrongToken: 'Dit token klopt niet.',
	loadError: 'De lijst kon niet worden geladen: {message}',
	refresh: 'Vernieuwen',
	empty: 'Er zijn geen borden.',
	count: '{n} borden',
	countOne: '1 bord',
	colTitle: 'Titel',
	colTemplate: 'Sjabloon',
	colCreated: 'Aangemaakt',
	colActivity: 'Laatste activiteit',
	colParticipants: 'Deelnemers',
	colSize: 'Grootte',
	colStatus: 'Status',
	colActions: 'Acties',
	statusOpen: 'Open',
	statusClosed: 'Gesloten',
	connected: '{n} nu verbonden',
	close: 'Sluiten',
	reopen: 'Heropenen',
	newLink: 'Nieuwe facilitatorlink',
	delete: 'Verwijderen',
	deleteConfirm:
		'Bord "{title}" voorgoed verwijderen, met alle notities, stippen en geschiedenis? Dit kan niet ongedaan worden gemaakt.',
	deleteYes: 'Ja, voorgoed verwijderen',
	cancel: 'Annuleren',
	linkMade: 'Nieuwe facilitatorlink voor "{title}" (de oude werkt niet meer):',
	copy: 'Kopiëren',
	copied: 'Gekopieerd',
	deleted: 'Bord "{title}" is verwijderd.',
	failed: 'Dat lukte niet: {message}',
	language: 'English',
}

export type AdminTextKey = keyof typeof nl

const en: Record<AdminTextKey, string> = {
	title: 'Kompasbord — administration',
	intro: 'Every board on this server. For the administrator only (ADMIN_TOKEN).',
	tokenLabel: 'Admin token',
	tokenHint: "The token of the server's ADMIN_TOKEN setting. It is kept in this tab only.",
	signIn: 'Sign in',
	signOut: 'Sign out',
	wrongToken: 'This token is not right.',
	loadError: 'The list could not be loaded: {message}',
	refresh: 'Refresh',
	empty: 'There are no boards.',
	count: '{n} boards',
	countOne: '1 board',
	colTitle: 'Title',
	colTemplate: 'Template',
	colCreated: 'Created',
	colActivity: 'Last activity',
	colParticipants: 'Participants',
	colSize: 'Size',
	colStatus: 'Status',
	colActions: 'Actions',
	statusOpen: 'Open',
	statusClosed: 'Closed',
	connected: '{n} connected now',
	close: 'Close',
	reopen: 'Reopen',
	newLink: 'New facilitator link',
	delete: 'Delete',
	deleteConfirm: 'Delete board "{title}" for good, with every note, dot and its history? This cannot be undone.',
	deleteYes: 'Yes, delete for good',
	cancel: 'Cancel',
	linkMade: 'New facilitator link for "{title}" (the old one no longer works):',
	copy: 'Copy',
	copied: 'Copied',
	deleted: 'Board "{title}" was deleted.',
	failed: 'That did not work: {message}',
	language: 'Nederlands',
}

export type AdminLanguage = 'nl' | 'en'

/** The text of `key` in `language`, with `{name}` placeholders filled in. */
export function adminText(
	language: AdminLanguage,
	key: AdminTextKey,
	params: Record<string, string | number> = {}
): string {
	const template = (language === 'en' ? en : nl)[key]
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole))
}
