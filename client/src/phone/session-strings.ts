import type { Lang } from './strings'

/** The phone's texts for the session: phase, timer, dot voting. */
export interface SessionStrings {
	timerLabel: string
	timerDone: string
	privateBanner: string
	screeningBanner: string
	closedBanner: string
	revealedToast: (n: number) => string
	votingHeading: string
	votingIntro: (budget: number) => string
	votesLeft: (left: number, budget: number) => string
	noVotesLeft: string
	giveDot: (note: string) => string
	takeDot: (note: string) => string
	dotsOnNote: (n: number) => string
	/** A theme in the voting list (voted on as one item). */
	themeItem: (label: string, notes: number) => string
	myDots: (n: number) => string
	resultsHeading: string
	noNotes: string
	noZone: string
	voteErrors: Record<string, string>
	voteFailed: string
	scoreHeading: string
	scoreIntro: (min: number, max: number) => string
	scoreClosed: string
	scoreMark: (part: string, mark: number) => string
	scoreErrors: Record<string, string>
	scoreFailed: string
}

const nl: SessionStrings = {
	timerLabel: 'Resterende tijd',
	timerDone: 'De tijd is om',
	privateBanner: 'Stil schrijven: je notities zijn alleen voor jou zichtbaar tot de facilitator ze onthult.',
	screeningBanner: 'De facilitator bekijkt notities eerst: je notitie komt op het bord zodra die hem goedkeurt.',
	closedBanner: 'Deze sessie is gesloten. Je kunt niets meer toevoegen.',
	revealedToast: (n) => (n === 1 ? 'De notities zijn onthuld.' : 'De notities zijn onthuld.'),
	votingHeading: 'Stemronde',
	votingIntro: (budget) =>
		`Verdeel je ${budget} ${budget === 1 ? 'stip' : 'stippen'} over de notities die jij het belangrijkst vindt.`,
	votesLeft: (left, budget) => `Nog ${left} van ${budget} ${budget === 1 ? 'stip' : 'stippen'}`,
	noVotesLeft: 'Al je stippen zijn verdeeld. Haal er een terug om te wisselen.',
	giveDot: (note) => `Stip geven aan: ${note}`,
	takeDot: (note) => `Stip terugnemen van: ${note}`,
	dotsOnNote: (n) => (n === 1 ? '1 stip' : `${n} stippen`),
	themeItem: (label, n) => `Thema: ${label} (${n === 1 ? '1 notitie' : `${n} notities`})`,
	myDots: (n) => (n === 1 ? 'jouw stip' : `${n} van jou`),
	resultsHeading: 'Uitslag',
	noNotes: 'Nog geen notities op het bord.',
	noZone: 'Overig',
	voteErrors: {
		no_votes_left: 'Al je stippen zijn verdeeld.',
		not_voting: 'De stemronde is voorbij.',
		rate_limited: 'Even rustig aan; probeer het zo weer.',
		note_not_found: 'Deze notitie staat niet meer op het bord.',
	},
	voteFailed: 'Dat lukte niet. Probeer het nog eens.',
	scoreHeading: 'Cijferronde',
	scoreIntro: (min, max) =>
		`Geef elk onderdeel een cijfer van ${min} tot ${max}. Je kunt het veranderen zolang de ronde loopt; niemand ziet wie wat gaf.`,
	scoreClosed: 'De cijferronde is gesloten. Dit zijn jouw cijfers.',
	scoreMark: (part, mark) => `${part}: cijfer ${mark}`,
	scoreErrors: {
		score_round_closed: 'De cijferronde is gesloten.',
		no_score_round: 'Er loopt geen cijferronde.',
		session_closed: 'De sessie is gesloten.',
		rate_limited: 'Even rustig aan; probeer het zo weer.',
	},
	scoreFailed: 'Je cijfer is niet bewaard. Probeer het nog eens.',
}

const en: SessionStrings = {
	timerLabel: 'Time left',
	timerDone: 'Time is up',
	privateBanner: 'Silent writing: only you can see your notes until the facilitator reveals them.',
	screeningBanner: 'The facilitator reviews notes first: yours appears on the board once it is approved.',
	closedBanner: 'This session is closed. You can no longer add anything.',
	revealedToast: () => 'The notes have been revealed.',
	votingHeading: 'Voting round',
	votingIntro: (budget) =>
		`Spread your ${budget} ${budget === 1 ? 'dot' : 'dots'} over the notes you find most important.`,
	votesLeft: (left, budget) => `${left} of ${budget} ${budget === 1 ? 'dot' : 'dots'} left`,
	noVotesLeft: 'You have used all your dots. Take one back to move it.',
	giveDot: (note) => `Give a dot to: ${note}`,
	takeDot: (note) => `Take a dot back from: ${note}`,
	dotsOnNote: (n) => (n === 1 ? '1 dot' : `${n} dots`),
	themeItem: (label, n) => `Theme: ${label} (${n === 1 ? '1 note' : `${n} notes`})`,
	myDots: (n) => (n === 1 ? 'your dot' : `${n} of yours`),
	resultsHeading: 'Result',
	noNotes: 'No notes on the board yet.',
	noZone: 'Other',
	voteErrors: {
		no_votes_left: 'You have used all your dots.',
		not_voting: 'The voting round is over.',
		rate_limited: 'Slow down a little; try again in a moment.',
		note_not_found: 'This note is no longer on the board.',
	},
	voteFailed: 'That did not work. Try again.',
	scoreHeading: 'Score round',
	scoreIntro: (min, max) =>
		`Give each part a mark from ${min} to ${max}. You can change it while the round is open; nobody sees who gave what.`,
	scoreClosed: 'The score round is closed. These are your marks.',
	scoreMark: (part, mark) => `${part}: mark ${mark}`,
	scoreErrors: {
		score_round_closed: 'The score round is closed.',
		no_score_round: 'There is no score round now.',
		session_closed: 'The session is closed.',
		rate_limited: 'Slow down a little; try again in a moment.',
	},
	scoreFailed: 'Your mark was not saved. Try again.',
}

/** The session texts per language. */
export const SESSION_STRINGS: Record<Lang, SessionStrings> = { nl, en }
