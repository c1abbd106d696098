import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useValue } from 'tldraw'
import type { VoteSummary } from '@kompasbord/shared'
import { isStickyNote } from '@kompasbord/shared/contract/sticky-note'
import { THEME_KIND } from '@kompasbord/shared/focus'
import { ApiError } from '../../api'
import { castVote, myVotes, retractVote } from './session-api'
import { useSessionContext } from './session-context'
import { errorText } from './strings'
import { useSessionState, useVoteCounts } from './use-session'

/** A note's badge position on screen (viewport pixels, top-right corner of the note). */
interface BadgeSpot {
	noteId: string
	x: number
	y: number
	/** Selected on this board: a voting participant gets the buttons on it. */
	selected: boolean
}

/** The − or + button on the note a voting participant selected. */
function VoteButton(props: { label: string; testId: string; disabled: boolean; onClick(): void; children: ReactNode }) {
	return (
		<button
			type="button"
			className="kb-vote-badge__button"
			aria-label={props.label}
			title={props.label}
			disabled={props.disabled}
			data-testid={props.testId}
			onClick={props.onClick}
		>
			{props.children}
		</button>
	)
}

/**
 * Dot votes on the board: a badge with the count on every note (and theme) that has votes (everyone sees them; the doc
 * holds only counts, so they are anonymous) and, during a voting round on a participant's board, buttons on
 * the selected note to give or take back a dot, with the dots left. The server enforces the budget; its
 * refusals are shown.
 */
export function VoteBadges() {
	const { editor, doc, roomId, participantToken, role, t, language } = useSessionContext()
	const { phase } = useSessionState(doc)
	const counts = useVoteCounts(doc)
	// The participant's dots, as the server last told.
	const [budget, setBudget] = useState<VoteSummary | null>(null)
	const [message, setMessage] = useState<string | null>(null)
	const voting = phase === 'voting' && role === 'participant' && participantToken !== null

	const spots = useValue('vote badge spots', () => {
		const viewport = editor.getViewportScreenBounds()
		const selected = new Set<string>(editor.getSelectedShapeIds())
		const list: BadgeSpot[] = []
		for (const shape of editor.getCurrentPageShapes()) {
			// Notes, and theme frames: a theme takes dots as one item too.
			const isTheme = shape.type === 'frame' && (shape.meta as { kind?: unknown })?.kind === THEME_KIND
			if (!isStickyNote(shape) && !isTheme) continue
			const bounds = editor.getShapePageBounds(shape)
			if (!bounds) continue
			const p = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
			if (p.x < -40 || p.y < -40 || p.x > viewport.w + 40 || p.y > viewport.h + 40) continue
			list.push({ noteId: shape.id, x: p.x, y: p.y, selected: selected.has(shape.id) })
		}
		return list
	}, [editor])

	const refreshBudget = useCallback(async () => {
		if (!participantToken) return
		try {
			const answer = await myVotes(roomId, participantToken)
			if (answer.votes) setBudget(answer.votes)
		} catch {
			// Shown again on the next vote.
		}
	}, [roomId, participantToken])

	useEffect(() => {
		if (voting) void refreshBudget()
	}, [voting, refreshBudget, counts])

	const vote = async (noteId: string, add: boolean) => {
		if (!participantToken) return
		setMessage(null)
		try {
			const answer = add
				? await castVote(roomId, noteId, participantToken)
				: await retractVote(roomId, noteId, participantToken)
			setBudget(answer)
		} catch (error) {
			setMessage(error instanceof ApiError ? errorText(language, error.code, error.message) : String(error))
		}
	}

	return (
		<div className="kb-vote-layer" data-testid="vote-layer">
			{spots.map(({ noteId, x, y, selected }) => {
				const count = counts[noteId] ?? 0
				const mine = budget?.mine[noteId] ?? 0
				const controls = voting && selected
				if (count <= 0 && !controls) return null
				return (
					<div
						key={noteId}
						className={`kb-vote-badge${controls ? ' kb-vote-badge--voting' : ''}${mine > 0 ? ' kb-vote-badge--mine' : ''}`}
						style={{ transform: `translate(${Math.round(x)}px, ${Math.round(y)}px)` }}
						data-testid="vote-badge"
						data-note-id={noteId}
						data-votes={count}
						data-mine={mine}
					>
						{controls && (
							<VoteButton
								label={t('vote.remove')}
								testId="vote-remove"
								disabled={mine === 0}
								onClick={() => void vote(noteId, false)}
							>
								−
							</VoteButton>
						)}
						<span
							className="kb-vote-badge__count"
							aria-label={count === 1 ? t('ranking.vote') : t('ranking.votes', { n: count })}
						>
							<span className="kb-vote-badge__dot" aria-hidden="true" />
							{count}
						</span>
						{controls && (
							<VoteButton
								label={t('vote.add')}
								testId="vote-add"
								disabled={budget !== null && budget.remaining === 0}
								onClick={() => void vote(noteId, true)}
							>
								+
							</VoteButton>
						)}
					</div>
				)
			})}
			{voting && (
				<div
					className="kb-vote-budget"
					role="status"
					data-testid="vote-budget"
					data-remaining={budget?.remaining ?? ''}
				>
					{!spots.some((s) => s.selected) && <span className="kb-vote-budget__hint">{t('vote.selectHint')} · </span>}
					{budget
						? budget.remaining > 0
							? t('vote.remaining', { n: budget.remaining, total: budget.budget })
							: t('vote.noneLeft')
						: '…'}
					{message && <span className="kb-vote-budget__error"> · {message}</span>}
				</div>
			)}
		</div>
	)
}
