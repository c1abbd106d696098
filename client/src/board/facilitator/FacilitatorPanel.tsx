import { ScoreRoundSection } from '../scores/ScoreRoundSection'
import { ThemesSection } from './ThemesSection'
import { useCallback, useEffect, useState, type ReactNode } from 'react'
import { useValue } from 'tldraw'
import type { HiddenNoteView, SessionAnswer, SessionChange } from '@kompasbord/shared'
import { isStickyNote } from '@kompasbord/shared/contract/sticky-note'
import { THEME_KIND } from '@kompasbord/shared/focus'
import { ApiError } from '../../api'
import { FocusButton } from '../focus'
import { PresenterButton } from '../presenter'
import { AccessSection } from './AccessSection'
import { DeleteBoard } from './DeleteBoard'
import {
	approveNotes,
	deleteNoteForGood,
	getSession,
	hideNote,
	listHidden,
	patchSession,
	showNote,
} from './session-api'
import { useSessionContext } from './session-context'
import { errorText } from './strings'
import { useScreeningQueue, useSessionState } from './use-session'

/** How often the panel asks who is connected and how many notes wait. */
const STATUS_POLL_MS = 4000

/** Timer lengths offered as one-click buttons, in minutes. */
const TIMER_PRESETS = [1, 3, 5, 10]

/** Props of {@link FacilitatorPanel}. */
export interface FacilitatorPanelProps {
	/** Sends "Iedereen naar mij". */
	onSummon(): void
	rankingOpen: boolean
	onToggleRanking(): void
}

/**
 * The facilitator's panel: who is connected, the phases (private writing with "Onthullen", dot voting with
 * the number of dots, closing and reopening), the timer, the structure lock, "Iedereen naar mij", and
 * moderation of the selected or hidden notes. Every control calls the server (`PATCH …/session`, moderation
 * routes); what changes comes back to every board through the doc.
 */
export function FacilitatorPanel({ onSummon, rankingOpen, onToggleRanking }: FacilitatorPanelProps) {
	const { editor, doc, roomId, facilitatorKey, t, language } = useSessionContext()
	const session = useSessionState(doc)
	const [open, setOpen] = useState(true)
	const [status, setStatus] = useState<SessionAnswer | null>(null)
	const [hidden, setHidden] = useState<HiddenNoteView[]>([])
	const [error, setError] = useState<string | null>(null)
	const [busy, setBusy] = useState(false)
	const [confirmClose, setConfirmClose] = useState(false)
	const [confirmScreeningOff, setConfirmScreeningOff] = useState(false)
	const screeningQueue = useScreeningQueue(doc)
	const [minutes, setMinutes] = useState(5)
	const [dots, setDots] = useState(session.votesPerParticipant)
	const [summoned, setSummoned] = useState(false)
	const key = facilitatorKey ?? ''

	const refresh = useCallback(async () => {
		try {
			const [answer, list] = await Promise.all([getSession(roomId, key), listHidden(roomId, key)])
			setStatus(answer)
			setHidden(list.notes)
		} catch {
			// The next poll tries again; the connection badge tells about lost connections.
		}
	}, [roomId, key])

	useEffect(() => {
		void refresh()
		const timer = setInterval(() => void refresh(), STATUS_POLL_MS)
		return () => clearInterval(timer)
	}, [refresh])

	useEffect(() => setDots(session.votesPerParticipant), [session.votesPerParticipant])

	const run = useCallback(
		async (action: () => Promise<unknown>) => {
			setBusy(true)
			setError(null)
			try {
				await action()
			} catch (e) {
				setError(e instanceof ApiError ? errorText(language, e.code, e.message) : String(e))
			} finally {
				setBusy(false)
				void refresh()
			}
		},
		[language, refresh]
	)
	const change = (body: SessionChange) => run(() => patchSession(roomId, key, body))

	const selectedNotes = useValue(
		'selected sticky notes',
		() => editor.getSelectedShapes().filter((s) => isStickyNote(s)),
		[editor]
	)
	// The one selected note or theme, for the Focus button.
	const focusTarget = useValue('selected focus target', () => {
		const shapes = editor.getSelectedShapes()
		if (shapes.length !== 1) return null
		const shape = shapes[0]
		const isTheme = shape.type === 'frame' && (shape.meta as { kind?: unknown })?.kind === THEME_KIND
		return isStickyNote(shape) || isTheme ? shape.id : null
	}, [editor])
	const held = status?.heldNotes ?? 0
	const connected = status?.connected
	const { phase, timer } = session

	if (!open) {
		return (
			<button
				type="button"
				className="kb-session-panel__open"
				data-testid="session-panel-open"
				onClick={() => setOpen(true)}
			>
				{t('panel.title')} · {t(`phase.${phase}`)}
				{connected ? ` · ${connected.participants}` : ''}
			</button>
		)
	}
	return (
		<section
			className="kb-session-panel"
			data-testid="facilitator-panel"
			aria-label={t('panel.title')}
			data-phase={phase}
		>
			<header className="kb-session-panel__header">
				<h2>{t('panel.title')}</h2>
				<span className={`kb-session-phase kb-session-phase--${phase}`} data-testid="panel-phase">
					{t(`phase.${phase}`)}
				</span>
				<button
					type="button"
					className="kb-icon-button"
					aria-label={t('panel.collapse')}
					onClick={() => setOpen(false)}
				>
					−
				</button>
			</header>

			<p
				className="kb-session-panel__connected"
				data-testid="connected-count"
				data-count={connected?.participants ?? ''}
			>
				<strong>
					{connected?.participants === 1
						? t('panel.connectedOne')
						: t('panel.connectedCount', { n: connected?.participants ?? '…' })}
				</strong>
				{connected && (
					<span className="kb-muted">
						{t('panel.connectedDetail', {
							boards: connected.boards,
							phones: connected.phones,
							viewers: connected.viewers === 1 ? t('panel.viewersOne') : t('panel.viewers', { n: connected.viewers }),
						})}
					</span>
				)}
			</p>

			<Group title={t('panel.phase')}>
				{phase === 'open' && (
					<button
						type="button"
						disabled={busy}
						data-testid="start-private"
						onClick={() => void change({ phase: 'private' })}
					>
						{t('action.private')}
					</button>
				)}
				{phase === 'private' && (
					<button
						type="button"
						className="kb-primary"
						disabled={busy}
						data-testid="reveal"
						onClick={() => void change({ phase: 'open' })}
					>
						{held === 1
							? t('action.revealHeldOne')
							: held > 0
								? t('action.revealHeld', { n: held })
								: t('action.reveal')}
					</button>
				)}
				{(phase === 'open' || phase === 'voting') && (
					<label className="kb-inline-field">
						{t('votes.perParticipant')}
						<input
							type="number"
							min={1}
							max={50}
							value={dots}
							data-testid="dots-input"
							onChange={(e) => setDots(Math.max(1, Math.min(50, Number(e.target.value) || 1)))}
							onBlur={() => {
								if (phase === 'voting' && dots !== session.votesPerParticipant)
									void change({ votesPerParticipant: dots })
							}}
						/>
					</label>
				)}
				{phase === 'open' && (
					<button
						type="button"
						disabled={busy}
						data-testid="start-voting"
						onClick={() => void change({ phase: 'voting', votesPerParticipant: dots })}
					>
						{t('action.voting')}
					</button>
				)}
				{phase === 'voting' && (
					<>
						<button
							type="button"
							disabled={busy}
							data-testid="stop-voting"
							onClick={() => void change({ phase: 'open' })}
						>
							{t('action.stopVoting')}
						</button>
						<button
							type="button"
							disabled={busy}
							className="kb-subtle"
							onClick={() => void change({ resetVotes: true })}
						>
							{t('action.resetVotes')}
						</button>
					</>
				)}
				<button
					type="button"
					className="kb-subtle"
					data-testid="toggle-ranking"
					aria-pressed={rankingOpen}
					onClick={onToggleRanking}
				>
					{rankingOpen ? t('ranking.hide') : t('ranking.show')}
				</button>
				{phase !== 'closed' && !confirmClose && (
					<button
						type="button"
						className="kb-danger"
						disabled={busy}
						data-testid="close-session"
						onClick={() => setConfirmClose(true)}
					>
						{t('action.close')}
					</button>
				)}
				{confirmClose && phase !== 'closed' && (
					<div className="kb-confirm" role="alertdialog" aria-label={t('action.close')}>
						<p>{t('action.closeConfirm')}</p>
						<button
							type="button"
							className="kb-danger"
							data-testid="close-session-confirm"
							onClick={() => {
								setConfirmClose(false)
								void change({ phase: 'closed' })
							}}
						>
							{t('action.closeYes')}
						</button>
						<button type="button" onClick={() => setConfirmClose(false)}>
							{t('action.cancel')}
						</button>
					</div>
				)}
				{phase === 'closed' && (
					<button
						type="button"
						disabled={busy}
						data-testid="reopen-session"
						onClick={() => void change({ phase: 'open' })}
					>
						{t('action.reopen')}
					</button>
				)}
			</Group>

			<Group title={t('timer.title')}>
				<div className="kb-timer-presets">
					{TIMER_PRESETS.map((m) => (
						<button
							key={m}
							type="button"
							disabled={busy}
							data-testid={`timer-preset-${m}`}
							onClick={() => {
								setMinutes(m)
								void change({ timerSeconds: m * 60 })
							}}
						>
							{m}′
						</button>
					))}
				</div>
				<label className="kb-inline-field">
					{t('timer.minutes')}
					<input
						type="number"
						min={0.5}
						max={240}
						step={0.5}
						value={minutes}
						data-testid="timer-minutes"
						onChange={(e) => setMinutes(Math.max(0.5, Math.min(240, Number(e.target.value) || 1)))}
					/>
				</label>
				<div className="kb-button-row">
					<button
						type="button"
						disabled={busy}
						data-testid="timer-start"
						onClick={() => void change({ timerSeconds: Math.round(minutes * 60) })}
					>
						{t('timer.start')}
					</button>
					{timer.running && (
						<button
							type="button"
							disabled={busy}
							data-testid="timer-pause"
							onClick={() => void change({ timer: 'pause' })}
						>
							{t('timer.pause')}
						</button>
					)}
					{!timer.running && timer.durationSeconds > 0 && timer.remainingSeconds > 0 && (
						<button
							type="button"
							disabled={busy}
							data-testid="timer-resume"
							onClick={() => void change({ timer: 'start' })}
						>
							{t('timer.resume')}
						</button>
					)}
					{timer.durationSeconds > 0 && (
						<button
							type="button"
							disabled={busy}
							data-testid="timer-stop"
							onClick={() => void change({ timer: 'stop' })}
						>
							{t('timer.stop')}
						</button>
					)}
					{timer.durationSeconds > 0 && (
						<button
							type="button"
							disabled={busy}
							className="kb-subtle"
							onClick={() => void change({ timerSeconds: null })}
						>
							{t('timer.clear')}
						</button>
					)}
				</div>
			</Group>

			<Group>
				<label className="kb-check">
					<input
						type="checkbox"
						checked={session.structureLocked}
						data-testid="structure-lock"
						disabled={busy}
						onChange={(e) => void change({ structureLocked: e.target.checked })}
					/>
					{t('structure.locked')}
				</label>
				<label className="kb-check" title={t('screening.toggleHint')}>
					<input
						type="checkbox"
						checked={session.screening}
						data-testid="screening-toggle"
						disabled={busy || phase === 'closed'}
						onChange={(e) => {
							if (e.target.checked) void change({ screening: true })
							// Notes still waiting: ask what should happen to them.
							else if (screeningQueue.waiting > 0) setConfirmScreeningOff(true)
							else void change({ screening: false })
						}}
					/>
					{t('screening.toggle')}
				</label>
				{confirmScreeningOff && session.screening && (
					<div className="kb-confirm" role="alertdialog" aria-label={t('screening.toggle')}>
						<p>
							{screeningQueue.waiting === 1
								? t('screening.offConfirmOne')
								: t('screening.offConfirm', { n: screeningQueue.waiting })}
						</p>
						<button
							type="button"
							className="kb-primary"
							data-testid="screening-off-approve"
							onClick={() => {
								setConfirmScreeningOff(false)
								void run(async () => {
									await patchSession(roomId, key, { screening: false })
									await approveNotes(roomId, { all: true }, key)
								})
							}}
						>
							{t('screening.offApproveAll')}
						</button>
						<button
							type="button"
							data-testid="screening-off-keep"
							onClick={() => {
								setConfirmScreeningOff(false)
								void change({ screening: false })
							}}
						>
							{t('screening.offKeep')}
						</button>
						<button type="button" className="kb-subtle" onClick={() => setConfirmScreeningOff(false)}>
							{t('action.cancel')}
						</button>
					</div>
				)}
				<button
					type="button"
					className="kb-primary"
					data-testid="summon"
					onClick={() => {
						onSummon()
						setSummoned(true)
						setTimeout(() => setSummoned(false), 3000)
					}}
				>
					{t('summon.button')}
				</button>
				<PresenterButton />
				{focusTarget && <FocusButton targetId={focusTarget} />}
				{summoned && (
					<p className="kb-muted" role="status">
						{t('summon.done')}
					</p>
				)}
			</Group>

			<Group title={t('moderation.title')}>
				{selectedNotes.length === 0 ? (
					<p className="kb-muted">{t('moderation.selectHint')}</p>
				) : (
					<div className="kb-button-row">
						<span className="kb-muted">
							{selectedNotes.length === 1
								? t('moderation.selectedOne')
								: t('moderation.selected', { n: selectedNotes.length })}
						</span>
						<button
							type="button"
							disabled={busy}
							data-testid="hide-selected"
							onClick={() =>
								void run(async () => {
									for (const note of selectedNotes) await hideNote(roomId, note.id, key)
								})
							}
						>
							{t('moderation.hide')}
						</button>
						<button
							type="button"
							className="kb-danger"
							disabled={busy}
							data-testid="delete-selected"
							onClick={() =>
								void run(async () => {
									for (const note of selectedNotes) await deleteNoteForGood(roomId, note.id, key)
								})
							}
						>
							{t('moderation.delete')}
						</button>
					</div>
				)}
				{hidden.length > 0 && (
					<details className="kb-hidden-notes" data-testid="hidden-notes">
						<summary>{t('moderation.hidden', { n: hidden.length })}</summary>
						<ul>
							{hidden.map((note) => (
								<li key={note.noteId} data-note-id={note.noteId}>
									<span className="kb-hidden-notes__text">{note.text || '—'}</span>
									<button
										type="button"
										disabled={busy}
										onClick={() => void run(() => showNote(roomId, note.noteId, key))}
									>
										{t('moderation.show')}
									</button>
									<button
										type="button"
										className="kb-danger"
										disabled={busy}
										onClick={() => void run(() => deleteNoteForGood(roomId, note.noteId, key))}
									>
										{t('moderation.delete')}
									</button>
								</li>
							))}
						</ul>
					</details>
				)}
			</Group>

			<ScoreRoundSection />

			<Group title={language === 'en' ? 'Themes' : "Thema's"}>
				<ThemesSection />
			</Group>

			<Group title={language === 'en' ? 'Who gets in' : 'Wie mag erin'}>
				<AccessSection />
			</Group>

			<Group title={t('board.title')}>
				<DeleteBoard />
			</Group>

			{error && (
				<p className="kb-session-error" role="alert" data-testid="session-error">
					{error}
				</p>
			)}
		</section>
	)
}

function Group({ title, children }: { title?: string; children: ReactNode }) {
	return (
		<div className="kb-session-group">
			{title && <h3>{title}</h3>}
			<div className="kb-session-group__body">{children}</div>
		</div>
	)
}
