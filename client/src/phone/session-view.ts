/**
 * The session on the phone: a banner during private writing, the facilitator's timer (on the server's clock,
 * so it shows the same second as the boards), and during a voting round the board's notes per zone with
 * buttons to give and take back dots; after the round, the result. Plain DOM, within the page's budget.
 */
import { PhoneFocus } from './focus-view'
import { formatTimer, msUntilNextTick, timerDisplaySeconds } from '@kompasbord/shared/session-timer'
import type { LocalizedText, SessionPhase, VotingList } from '@kompasbord/shared'
import type { RankedNote } from '@kompasbord/shared/vote-ranking'
import { changeVote, listVotes } from './api'
import { h, replaceChildren } from './dom'
import { SESSION_STRINGS, type SessionStrings } from './session-strings'
import { PhoneScores } from './score-view'
import { SessionSync, type PhoneSession } from './session-sync'
import type { Lang } from './strings'
import './session-view.css'

/** How often the voting list is refreshed while a round is on (new notes, others' dots). */
const VOTING_REFRESH_MS = 5000

/** What the panel needs from the room page. */
export interface SessionPanelContext {
	roomId: string
	/** The participant's token: who votes, and whose dots the list shows. */
	participantToken: string
	lang(): Lang
	/** Called when the phase changes (after a reveal the page fetches its notes again; closed shows it at once). */
	onPhaseChange(phase: SessionPhase, previous: SessionPhase | null): void
	/** A zone's label (the score round's parts are zones). */
	zoneLabel(zoneId: string): LocalizedText | undefined
	/** Called when the facilitator's screening queue may have moved (a waiting note approved or rejected). */
	onScreeningChange?(): void
}

/** The session part of the room page; put {@link SessionPanel.element} on the page and call `start()`. */
export class SessionPanel {
	/** The panel's root: banner, timer, voting and results. */
	readonly element = h('div', { class: 'session', 'data-testid': 'phone-session' })
	readonly sync: SessionSync
	private readonly banner = h('p', { class: 'session-banner', role: 'status', 'data-testid': 'phone-phase' })
	private readonly timer = h('div', { class: 'session-timer', role: 'timer', 'data-testid': 'phone-timer' })
	private readonly voting = h('section', {
		class: 'card session-voting',
		'aria-labelledby': 'voting-heading',
		'data-testid': 'phone-voting',
	})
	private readonly message = h('p', { class: 'error', role: 'alert' })
	private list: VotingList | null = null
	private results: VotingList | null = null
	private tick: ReturnType<typeof setTimeout> | null = null
	private poll: ReturnType<typeof setInterval> | null = null
	private busy = false
	private readonly focus: PhoneFocus
	private readonly scores: PhoneScores

	constructor(private readonly ctx: SessionPanelContext) {
		this.sync = new SessionSync({ roomId: ctx.roomId, participantToken: ctx.participantToken })
		this.focus = new PhoneFocus(this.sync, () => ctx.lang())
		this.scores = new PhoneScores({
			roomId: ctx.roomId,
			participantToken: ctx.participantToken,
			lang: () => ctx.lang(),
			strings: () => this.t,
			zoneLabel: (zoneId) => ctx.zoneLabel(zoneId),
		})
		this.element.append(this.banner, this.timer, this.scores.element, this.voting)
		this.render()
	}

	private get t(): SessionStrings {
		return SESSION_STRINGS[this.ctx.lang()]
	}

	/** Starts following the session. */
	start(): void {
		this.sync.subscribe((state, previous) => this.onState(state, previous))
		// Over the whole page, whether or not the session panel shows.
		if (typeof document !== 'undefined') document.body.append(this.focus.element)
		this.sync.start()
	}

	/** Re-renders in the page's current language. */
	relabel(): void {
		this.render()
		this.focus.render()
	}

	private onState(state: PhoneSession, previous: PhoneSession | null): void {
		const phaseChanged = !previous || previous.phase !== state.phase
		if (phaseChanged) {
			if (previous?.phase === 'voting' && state.phase !== 'voting') this.results = this.list
			if (state.phase === 'private' || state.phase === 'voting') this.results = null
			this.list = null
			this.message.textContent = ''
			this.ctx.onPhaseChange(state.phase, previous?.phase ?? null)
		}
		if (state.phase === 'voting') {
			if (!this.poll) this.poll = setInterval(() => void this.loadList(), VOTING_REFRESH_MS)
			if (phaseChanged || previous?.votesPerParticipant !== state.votesPerParticipant) void this.loadList()
		} else if (this.poll) {
			clearInterval(this.poll)
			this.poll = null
		}
		if (phaseChanged && previous?.phase === 'voting' && state.phase !== 'voting') void this.loadResults()
		// Every change of the queue changes the tag: the page fetches its notes again if one of them waits.
		if (!phaseChanged && (state.awaitingReview !== undefined || previous?.awaitingReview !== undefined))
			this.ctx.onScreeningChange?.()
		this.render()
	}

	private async loadList(): Promise<void> {
		if (typeof document !== 'undefined' && document.visibilityState === 'hidden') return
		const { roomId, participantToken } = this.ctx
		const result = await listVotes(roomId, participantToken)
		if (!result.ok || this.sync.get()?.phase !== 'voting') return
		this.list = result.data
		this.renderVoting()
	}

	private async loadResults(): Promise<void> {
		const result = await listVotes(this.ctx.roomId)
		if (!result.ok || this.sync.get()?.phase === 'voting') return
		this.results = result.data
		this.renderVoting()
	}

	private async vote(noteId: string, add: boolean): Promise<void> {
		if (this.busy) return
		this.busy = true
		this.message.textContent = ''
		const result = await changeVote(this.ctx.roomId, noteId, this.ctx.participantToken, add)
		this.busy = false
		if (result.ok) {
			if (this.list) {
				const { budget, used, remaining, mine } = result.data
				this.list.votes = { budget, used, remaining, mine }
				for (const zone of this.list.zones)
					for (const note of zone.notes) if (note.noteId === noteId) note.votes = result.data.votes
			}
			this.renderVoting(`${add ? 'add' : 'remove'}:${noteId}`)
			void this.loadList()
			return
		}
		this.message.textContent =
			result.kind === 'http' ? (this.t.voteErrors[result.code] ?? this.t.voteFailed) : this.t.voteFailed
		if (result.kind === 'http' && result.code === 'not_voting') this.sync.refresh()
	}

	private render(): void {
		const state = this.sync.get()
		const t = this.t
		const screening = state?.screening === true && state.phase !== 'closed'
		this.banner.hidden = state?.phase !== 'private' && state?.phase !== 'closed' && !screening
		this.banner.classList.toggle('closed', state?.phase === 'closed')
		this.banner.textContent =
			state?.phase === 'closed' ? t.closedBanner : state?.phase === 'private' ? t.privateBanner : t.screeningBanner
		this.renderTimer()
		this.renderVoting()
		this.scores.update(state?.scoreRound)
	}

	private renderTimer(): void {
		if (this.tick) clearTimeout(this.tick)
		this.tick = null
		const timer = this.sync.get()?.timer
		const closed = this.sync.get()?.phase === 'closed'
		if (!timer || timer.durationSeconds <= 0 || closed) {
			this.timer.hidden = true
			return
		}
		const now = this.sync.serverNow()
		const seconds = timerDisplaySeconds(timer, now)
		const done = seconds === 0
		this.timer.hidden = false
		this.timer.className = `session-timer${done ? ' done' : timer.running ? ' running' : ' paused'}`
		this.timer.dataset.seconds = String(seconds)
		replaceChildren(
			this.timer,
			h('span', { class: 'session-timer-label' }, done ? this.t.timerDone : this.t.timerLabel),
			h('span', { class: 'session-timer-digits' }, formatTimer(seconds))
		)
		if (timer.running && !done) this.tick = setTimeout(() => this.renderTimer(), msUntilNextTick(timer, now) + 2)
	}

	private renderVoting(focus?: string): void {
		const t = this.t
		const lang = this.ctx.lang()
		const phase = this.sync.get()?.phase
		const list = phase === 'voting' ? this.list : this.results
		const region = this.voting
		if ((phase !== 'voting' && !this.results) || (phase === 'voting' && !list)) {
			region.hidden = phase !== 'voting'
			if (phase === 'voting') replaceChildren(region, h('h2', { id: 'voting-heading' }, t.votingHeading))
			return
		}
		region.hidden = false
		const live = phase === 'voting'
		const votes = list?.votes
		const zones = (list?.zones ?? []).filter((z) => z.notes.length > 0)
		const children = [
			h('h2', { id: 'voting-heading' }, live ? t.votingHeading : t.resultsHeading),
			live && votes && h('p', { class: 'hint' }, t.votingIntro(votes.budget)),
			live &&
				votes &&
				h(
					'p',
					{
						class: 'votes-left',
						'aria-live': 'polite',
						'data-testid': 'phone-votes-left',
						'data-remaining': votes.remaining,
					},
					votes.remaining > 0 ? t.votesLeft(votes.remaining, votes.budget) : t.noVotesLeft
				),
			this.message,
			zones.length === 0 && h('p', { class: 'hint' }, t.noNotes),
			...zones.map((zone) =>
				h(
					'div',
					{ class: 'vote-zone', 'data-zone-id': zone.zoneId ?? '' },
					h('h3', {}, zone.zoneId === null ? t.noZone : zone.label[lang]),
					// The zone's themes first: each takes dots as one item (its total counts its notes' dots too).
					zone.themes?.length
						? h(
								'ol',
								{ class: 'vote-list vote-themes' },
								...zone.themes.map((theme) =>
									this.noteItem(
										{
											noteId: theme.themeId,
											text: t.themeItem(theme.label, theme.noteIds.length),
											color: '',
											votes: theme.votes,
											rank: theme.rank,
										},
										live,
										votes
									)
								)
							)
						: null,
					h('ol', { class: 'vote-list' }, ...zone.notes.map((note) => this.noteItem(note, live, votes)))
				)
			),
		]
		replaceChildren(region, ...children)
		if (focus) region.querySelector<HTMLButtonElement>(`[data-action="${focus}"]`)?.focus()
	}

	private noteItem(note: RankedNote, live: boolean, votes: VotingList['votes']): HTMLElement {
		const t = this.t
		const mine = votes?.mine[note.noteId] ?? 0
		const item = h(
			'li',
			{
				class: `vote-item${mine > 0 ? ' mine' : ''}`,
				'data-note-id': note.noteId,
				'data-votes': note.votes,
				'data-mine': mine,
			},
			h('p', { class: 'vote-text' }, note.text),
			h(
				'p',
				{ class: 'vote-count' },
				live || note.votes === 0 ? t.dotsOnNote(note.votes) : `${note.rank}. · ${t.dotsOnNote(note.votes)}`
			)
		)
		if (!live) return item
		item.append(
			h(
				'div',
				{ class: 'vote-controls' },
				h(
					'button',
					{
						type: 'button',
						class: 'secondary small vote-button',
						'data-action': `remove:${note.noteId}`,
						'aria-label': t.takeDot(note.text),
						disabled: mine === 0,
						onclick: () => void this.vote(note.noteId, false),
					},
					'−'
				),
				h('span', { class: 'my-dots', 'aria-hidden': 'true' }, '●'.repeat(Math.min(mine, 10))),
				mine > 0 && h('span', { class: 'visually-hidden' }, t.myDots(mine)),
				h(
					'button',
					{
						type: 'button',
						class: 'primary small vote-button',
						'data-action': `add:${note.noteId}`,
						'aria-label': t.giveDot(note.text),
						disabled: !votes || votes.remaining === 0,
						onclick: () => void this.vote(note.noteId, true),
					},
					'+'
				)
			)
		)
		return item
	}
}
