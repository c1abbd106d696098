/**
 * The score round on the phone (the worksheet's tip to give each part a mark): while the facilitator has a round
 * open, one row per part with its label and a button per mark; a tap sets the participant's mark, another tap
 * on another mark changes it. The round comes with the long-polled session state; the participant's own marks
 * from `GET /api/rooms/:roomId/scores`. Plain DOM, types only from the contract (the page's budget).
 */
import type { LocalizedText, MyScores, ScoreRoundView } from '@kompasbord/shared'
import { call } from './api'
import { h, replaceChildren } from './dom'
import type { SessionStrings } from './session-strings'
import type { Lang } from './strings'

/** What the score part needs from the page. */
export interface PhoneScoresContext {
	roomId: string
	participantToken: string
	lang(): Lang
	strings(): SessionStrings
	/** A zone's label, from the room's zones. */
	zoneLabel(zoneId: string): LocalizedText | undefined
}

/** The score round's card on the phone; put {@link PhoneScores.element} on the page and feed it the round. */
export class PhoneScores {
	readonly element = h('section', {
		class: 'card session-scores',
		'aria-labelledby': 'scores-heading',
		'data-testid': 'phone-scores',
	})
	private round: ScoreRoundView | null = null
	/** The participant's marks by part, as the server last told; null until fetched for this round. */
	private mine: Record<string, number> | null = null
	/** The round the marks were fetched for (its start time). */
	private mineOf: number | null = null
	private readonly message = h('p', { class: 'error', role: 'alert' })
	private pending = 0

	constructor(private readonly ctx: PhoneScoresContext) {
		this.element.hidden = true
	}

	/** A new state of the round (from the session poll). */
	update(round: ScoreRoundView | null | undefined): void {
		this.round = round ?? null
		if (this.round && this.mineOf !== this.round.startedAt) {
			this.mine = null
			this.mineOf = this.round.startedAt
			void this.loadMine()
		}
		this.render()
	}

	private async loadMine(): Promise<void> {
		const startedAt = this.mineOf
		const result = await call('myScores', { params: { roomId: this.ctx.roomId } }, this.ctx.participantToken)
		if (!result.ok || this.mineOf !== startedAt || this.pending > 0) return
		this.accept(result.data)
	}

	private accept(answer: MyScores): void {
		if (answer.scoreRound && answer.scoreRound.startedAt !== this.mineOf) return
		this.mine = answer.mine
		this.render()
	}

	private async give(zoneId: string, score: number): Promise<void> {
		const t = this.ctx.strings()
		this.message.textContent = ''
		// Shown at once; the server's answer confirms it (or the error puts it back).
		const before = this.mine?.[zoneId]
		this.mine = { ...(this.mine ?? {}), [zoneId]: score }
		this.render(`${zoneId}:${score}`)
		this.pending++
		const result = await call(
			'giveScore',
			{ params: { roomId: this.ctx.roomId }, body: { zoneId, score } },
			this.ctx.participantToken
		)
		this.pending--
		if (result.ok) {
			this.accept(result.data)
			return
		}
		if (this.mine) {
			if (before === undefined) delete this.mine[zoneId]
			else this.mine[zoneId] = before
		}
		this.message.textContent = result.kind === 'http' ? (t.scoreErrors[result.code] ?? t.scoreFailed) : t.scoreFailed
		this.render()
	}

	private render(focus?: string): void {
		const round = this.round
		const region = this.element
		if (!round) {
			region.hidden = true
			replaceChildren(region)
			return
		}
		region.hidden = false
		const t = this.ctx.strings()
		const lang = this.ctx.lang()
		const open = round.status === 'open'
		region.dataset.status = round.status
		const marks = Array.from({ length: round.max - round.min + 1 }, (_, i) => round.min + i)
		replaceChildren(
			region,
			h('h2', { id: 'scores-heading' }, t.scoreHeading),
			h('p', { class: 'hint' }, open ? t.scoreIntro(round.min, round.max) : t.scoreClosed),
			this.message,
			...round.parts.map((part) => {
				const label = this.ctx.zoneLabel(part.zoneId)?.[lang] ?? part.zoneId
				const mark = this.mine?.[part.zoneId]
				return h(
					'div',
					{ class: 'score-part', 'data-zone-id': part.zoneId, 'data-mine': mark ?? '' },
					h('h3', { id: `score-${part.zoneId}` }, label),
					h(
						'div',
						{ class: 'score-marks', role: 'group', 'aria-labelledby': `score-${part.zoneId}` },
						...marks.map((n) =>
							h(
								'button',
								{
									type: 'button',
									class: `score-mark${mark === n ? ' chosen' : ''}`,
									'aria-pressed': mark === n ? 'true' : 'false',
									'aria-label': t.scoreMark(label, n),
									'data-action': `${part.zoneId}:${n}`,
									disabled: !open,
									onclick: () => void this.give(part.zoneId, n),
								},
								String(n)
							)
						)
					)
				)
			})
		)
		if (focus) region.querySelector<HTMLButtonElement>(`[data-action="${focus}"]`)?.focus()
	}
}
