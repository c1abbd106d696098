/** The phone page's languages: Dutch first, English as a switch. */
export type Lang = 'nl' | 'en'

/** Every text the phone page shows. Functions take what they fill in. */
export interface Strings {
	pageTitle: string
	joinHeading: string
	joinIntro: string
	codeLabel: string
	codeHint: string
	joinButton: string
	joining: string
	passphraseLabel: string
	passphraseHint: string
	loading: string
	nameLabel: string
	nameHint: string
	anonymousNote: string
	zoneHeading: string
	zoneHint: string
	rowHeading: string
	columnHeading: (row: string) => string
	otherRow: string
	writingIn: (zone: string) => string
	changeZone: string
	noteLabel: string
	charactersLeft: (n: number) => string
	colourHeading: string
	send: string
	sentToast: string
	sentHeldToast: string
	sentWaitingToast: string
	queuedToast: string
	myNotesHeading: string
	myNotesEmpty: string
	statusQueued: string
	statusRateLimited: string
	statusSending: string
	statusOnBoard: string
	statusHeld: string
	statusAwaitingReview: string
	statusNotPlaced: string
	dismiss: string
	statusRejected: (reason: string) => string
	retryIn: (seconds: number) => string
	offlineBanner: (n: number) => string
	waitingBanner: (n: number) => string
	edit: string
	save: string
	cancel: string
	remove: string
	confirmRemove: string
	discard: string
	editLabel: string
	sessionClosed: string
	languageSwitch: string
	colours: Record<string, string>
	errors: {
		codeEmpty: string
		codeShape: string
		codeUnknown: string
		codeExpired: string
		passphraseEmpty: string
		wrongPassphrase: string
		rateLimitedPassphrase: (minutes: number) => string
		rateLimitedJoin: (minutes: number) => string
		rateLimitedNotes: (seconds: number) => string
		rateLimitedChange: (seconds: number) => string
		roomNotFound: string
		network: string
		emptyText: string
		textTooLong: string
		unknownZone: string
		sessionClosed: string
		roomFull: string
		notYourNote: string
		noteNotFound: string
		generic: string
	}
}

const nl: Strings = {
	pageTitle: 'Kompasbord — meedoen',
	joinHeading: 'Doe mee',
	joinIntro: 'Typ de code die op het scherm staat.',
	codeLabel: 'Code',
	codeHint: '6 tekens, bijvoorbeeld K7M2QX',
	joinButton: 'Meedoen',
	joining: 'Even zoeken…',
	passphraseLabel: 'Wachtwoord',
	passphraseHint: 'Deze sessie heeft een wachtwoord. De facilitator vertelt het je; je typt het maar één keer.',
	loading: 'Laden…',
	nameLabel: 'Je voornaam (mag leeg blijven)',
	nameHint: 'Staat bij je notities op het bord.',
	anonymousNote: 'Deze sessie is anoniem: je naam komt niet op het bord.',
	zoneHeading: 'Waar hoort je notitie bij?',
	zoneHint: 'Kies een vak van het bord.',
	rowHeading: 'Kies eerst een rij',
	columnHeading: (row) => `${row}: kies een kolom`,
	otherRow: 'Andere rij',
	writingIn: (zone) => `Je schrijft in: ${zone}`,
	changeZone: 'Ander vak',
	noteLabel: 'Je notitie',
	charactersLeft: (n) => (n === 1 ? 'nog 1 teken' : `nog ${n} tekens`),
	colourHeading: 'Kleur',
	send: 'Versturen',
	sentToast: 'Verstuurd: je notitie staat op het bord.',
	sentHeldToast: 'Bewaard: je notitie komt op het bord als de facilitator de notities onthult.',
	sentWaitingToast: 'Verstuurd: je notitie wacht op de facilitator.',
	queuedToast: 'Je notitie wacht op verbinding en wordt daarna vanzelf verstuurd.',
	myNotesHeading: 'Mijn notities',
	myNotesEmpty: 'Je hebt nog geen notities verstuurd.',
	statusQueued: 'Wacht op verbinding',
	statusRateLimited: 'Wacht even: te veel notities tegelijk',
	statusSending: 'Wordt verstuurd…',
	statusOnBoard: 'Op het bord',
	statusHeld: 'Bewaard tot de facilitator de notities onthult',
	statusAwaitingReview: 'Wacht op de facilitator',
	statusNotPlaced:
		'Niet geplaatst: de facilitator heeft deze notitie niet op het bord gezet. Je kunt het anders verwoorden.',
	dismiss: 'Weghalen',
	statusRejected: (reason) => `Niet verstuurd: ${reason}`,
	retryIn: (s) => `nieuwe poging over ${s} s`,
	offlineBanner: (n) =>
		n === 0
			? 'Geen verbinding.'
			: `Geen verbinding. ${n === 1 ? '1 notitie wacht' : `${n} notities wachten`} en ${n === 1 ? 'wordt' : 'worden'} verstuurd zodra je weer verbinding hebt.`,
	waitingBanner: (n) => (n === 1 ? '1 notitie wacht op verzending.' : `${n} notities wachten op verzending.`),
	edit: 'Bewerken',
	save: 'Opslaan',
	cancel: 'Annuleren',
	remove: 'Verwijderen',
	confirmRemove: 'Deze notitie van het bord halen?',
	discard: 'Weggooien',
	editLabel: 'Notitie bewerken',
	sessionClosed: 'Deze sessie is gesloten. Bedankt voor het meedoen!',
	languageSwitch: 'English',
	colours: {
		yellow: 'Geel',
		orange: 'Oranje',
		'light-red': 'Roze',
		'light-violet': 'Lila',
		'light-blue': 'Lichtblauw',
		'light-green': 'Lichtgroen',
	},
	errors: {
		codeEmpty: 'Typ de code van het scherm.',
		codeShape: 'Een code heeft 6 tekens: letters en cijfers 2 tot 9.',
		codeUnknown: 'Deze code kennen we niet. Kijk nog eens op het scherm.',
		codeExpired: 'Deze code is verlopen. Vraag de facilitator om de code te verlengen.',
		passphraseEmpty: 'Typ het wachtwoord van de sessie.',
		wrongPassphrase: 'Dit wachtwoord klopt niet. Probeer het nog eens.',
		rateLimitedPassphrase: (m) =>
			`Te veel verkeerde wachtwoorden geprobeerd. Probeer het over ${m} ${m === 1 ? 'minuut' : 'minuten'} opnieuw.`,
		roomFull: 'Deze sessie heeft het maximale aantal deelnemers. Vraag de facilitator om hulp.',
		rateLimitedJoin: (m) =>
			`Te veel onbekende codes geprobeerd. Probeer het over ${m} ${m === 1 ? 'minuut' : 'minuten'} opnieuw.`,
		rateLimitedNotes: (s) =>
			`Je verstuurt veel notities snel achter elkaar. Je notitie gaat over ${s} s vanzelf alsnog.`,
		rateLimitedChange: (s) => `Even rustig aan: probeer het over ${s} s opnieuw.`,
		roomNotFound: 'Deze sessie bestaat niet (meer). Vraag de facilitator om de code.',
		network: 'Geen verbinding met het bord. Probeer het zo opnieuw.',
		emptyText: 'Je notitie is leeg.',
		textTooLong: 'Je notitie is te lang (hoogstens 500 tekens).',
		unknownZone: 'Dit vak bestaat niet meer op het bord. Kies een ander vak.',
		sessionClosed: 'De sessie is gesloten.',
		notYourNote: 'Dit is niet jouw notitie.',
		noteNotFound: 'Deze notitie staat niet meer op het bord.',
		generic: 'Er ging iets mis. Probeer het nog eens.',
	},
}

const en: Strings = {
	pageTitle: 'Kompasbord — join',
	joinHeading: 'Join',
	joinIntro: 'Type the code shown on the screen.',
	codeLabel: 'Code',
	codeHint: '6 characters, for example K7M2QX',
	joinButton: 'Join',
	joining: 'Looking it up…',
	passphraseLabel: 'Passphrase',
	passphraseHint: 'This session has a passphrase. The facilitator tells you; you type it only once.',
	loading: 'Loading…',
	nameLabel: 'Your first name (optional)',
	nameHint: 'Shown with your notes on the board.',
	anonymousNote: 'This session is anonymous: your name does not go on the board.',
	zoneHeading: 'Where does your note go?',
	zoneHint: 'Pick a zone on the board.',
	rowHeading: 'First pick a row',
	columnHeading: (row) => `${row}: pick a column`,
	otherRow: 'Other row',
	writingIn: (zone) => `You are writing in: ${zone}`,
	changeZone: 'Other zone',
	noteLabel: 'Your note',
	charactersLeft: (n) => (n === 1 ? '1 character left' : `${n} characters left`),
	colourHeading: 'Colour',
	send: 'Send',
	sentToast: 'Sent: your note is on the board.',
	sentHeldToast: 'Kept: your note appears on the board when the facilitator reveals the notes.',
	sentWaitingToast: 'Sent: your note is waiting for the facilitator.',
	queuedToast: 'Your note is waiting for a connection and will be sent automatically.',
	myNotesHeading: 'My notes',
	myNotesEmpty: 'You have not sent any notes yet.',
	statusQueued: 'Waiting for a connection',
	statusRateLimited: 'Waiting a moment: too many notes at once',
	statusSending: 'Sending…',
	statusOnBoard: 'On the board',
	statusHeld: 'Kept until the facilitator reveals the notes',
	statusAwaitingReview: 'Waiting for the facilitator',
	statusNotPlaced: 'Not placed: the facilitator did not put this note on the board. You could word it differently.',
	dismiss: 'Remove',
	statusRejected: (reason) => `Not sent: ${reason}`,
	retryIn: (s) => `next try in ${s} s`,
	offlineBanner: (n) =>
		n === 0
			? 'No connection.'
			: `No connection. ${n === 1 ? '1 note is waiting' : `${n} notes are waiting`} and will be sent once you are back online.`,
	waitingBanner: (n) => (n === 1 ? '1 note is waiting to be sent.' : `${n} notes are waiting to be sent.`),
	edit: 'Edit',
	save: 'Save',
	cancel: 'Cancel',
	remove: 'Delete',
	confirmRemove: 'Take this note off the board?',
	discard: 'Discard',
	editLabel: 'Edit note',
	sessionClosed: 'This session is closed. Thank you for taking part!',
	languageSwitch: 'Nederlands',
	colours: {
		yellow: 'Yellow',
		orange: 'Orange',
		'light-red': 'Pink',
		'light-violet': 'Lilac',
		'light-blue': 'Light blue',
		'light-green': 'Light green',
	},
	errors: {
		codeEmpty: 'Type the code from the screen.',
		codeShape: 'A code has 6 characters: letters and digits 2 to 9.',
		codeUnknown: 'We do not know this code. Check the screen again.',
		codeExpired: 'This code has expired. Ask the facilitator to extend it.',
		passphraseEmpty: "Type the session's passphrase.",
		wrongPassphrase: 'This passphrase is not right. Try again.',
		rateLimitedPassphrase: (m) =>
			`Too many wrong passphrases tried. Try again in ${m} ${m === 1 ? 'minute' : 'minutes'}.`,
		roomFull: 'This session has as many participants as it may have. Ask the facilitator for help.',
		rateLimitedJoin: (m) => `Too many unknown codes tried. Try again in ${m} ${m === 1 ? 'minute' : 'minutes'}.`,
		rateLimitedNotes: (s) =>
			`You are sending a lot of notes in quick succession. Your note will be sent automatically in ${s} s.`,
		rateLimitedChange: (s) => `Slow down a little: try again in ${s} s.`,
		roomNotFound: 'This session does not exist (any more). Ask the facilitator for the code.',
		network: 'No connection to the board. Try again in a moment.',
		emptyText: 'Your note is empty.',
		textTooLong: 'Your note is too long (500 characters at most).',
		unknownZone: 'This zone is no longer on the board. Pick another zone.',
		sessionClosed: 'The session is closed.',
		notYourNote: 'This is not your note.',
		noteNotFound: 'This note is no longer on the board.',
		generic: 'Something went wrong. Please try again.',
	},
}

/** The strings of a language. */
export const STRINGS: Record<Lang, Strings> = { nl, en }
