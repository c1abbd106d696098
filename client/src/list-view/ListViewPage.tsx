import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from 'react'
import type { NoteView, RoomInfo, SessionPhase, VoteSummary } from '@kompasbord/shared'
import type { RankedNote } from '@kompasbord/shared/vote-ranking'
import type { ZoneContent } from '@kompasbord/shared/zone-contents'
import { BoardJoinScreen } from '../board/BoardJoinScreen'
import { fromHash } from '../board/roles'
import { boardParticipantToken, browserStorage, newClientNoteId } from '../board/facilitator/participant-id'
import { useCodeJoin } from '../board/use-code-join'
import { useScoreRound, useScreeningQueue, useSessionState } from '../board/facilitator/use-session'
import { formatMark, scoreSpread, type ScoreRoundView } from '@kompasbord/shared/score-round'
import { useZoneContents } from '../board/presenter/use-board-zones'
import { type Language, useI18n } from '../i18n'
import { LanguageSwitch } from '../LanguageSwitch'
import { boardPath, navigate } from '../router'
import {
	castVote,
	deleteNote,
	getRoom,
	listNotes,
	myVotes,
	patchNote,
	postNote,
	retractVote,
	type ApiResult,
} from './list-api'
import { listText, type ListTextKey } from './strings'
import { useRoomDoc } from './use-room-doc'
import './list-view.css'

/** Longest note the server takes. */
const MAX_NOTE_TEXT = 500

type T = (key: ListTextKey, params?: Record<string, string | number>) => string

/** What a participant can do now, and the calls that do it. */
interface Actions {
	phase: SessionPhase
	votes: VoteSummary | null
	ownIds: ReadonlySet<string>
	busy: boolean
	add(zone: ZoneContent, text: string): Promise<boolean>
	save(noteId: string, text: string): Promise<boolean>
	remove(noteId: string): Promise<boolean>
	vote(noteId: string, cast: boolean): Promise<void>
}

/**
 * "Lijstweergave": the board's zones and notes as lists, for a screen reader or the keyboard alone. Reads the
 * room's doc live (read-only websocket) and writes through the same REST routes as the phone, under this
 * browser's participant token (the phone's): add a note, edit or delete one's own, vote. Changes by others and
 * the results of one's own actions are announced in a live region. A browser that has not joined the room yet
 * types the join code first.
 */
export function ListViewPage({ roomId }: { roomId: string }) {
	const [token, setToken] = useState(() => boardParticipantToken(browserStorage(), roomId))
	// A link with the join code in its hash (`#code=`, as the board link) joins at once; the hash is then cleared.
	const [linkCode] = useState(() => {
		const code = fromHash(window.location.hash, 'code')
		if (code) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search)
		return code
	})
	const codeJoin = useCodeJoin(roomId, setToken)
	const { join } = codeJoin
	const [linkTried, setLinkTried] = useState(false)
	useEffect(() => {
		if (token || !linkCode || linkTried) return
		setLinkTried(true)
		void join(linkCode)
	}, [token, linkCode, linkTried, join])
	if (token) return <ParticipantListView roomId={roomId} participantToken={token} />
	return (
		<BoardJoinScreen
			busy={codeJoin.joining || (linkCode !== null && !linkTried)}
			error={codeJoin.error}
			code={codeJoin.code}
			needsPassphrase={codeJoin.needsPassphrase}
			onJoin={(code, passphrase) => void join(code, passphrase)}
		/>
	)
}

function ParticipantListView({ roomId, participantToken }: { roomId: string; participantToken: string }) {
	const { language } = useI18n()
	const t: T = useCallback((key, params) => listText(language, key, params), [language])
	const [room, setRoom] = useState<RoomInfo | null>(null)
	const [missing, setMissing] = useState(false)
	const { doc, synced, connected } = useRoomDoc(roomId, participantToken)
	const session = useSessionState(doc)
	const screeningQueue = useScreeningQueue(doc)
	const scoreRound = useScoreRound(doc)
	const order = useMemo(() => room?.zones.map((z) => z.id) ?? null, [room])
	const zones = useZoneContents(doc, order)
	const participantId = participantToken
	const [own, setOwn] = useState<NoteView[]>([])
	const [votes, setVotes] = useState<VoteSummary | null>(null)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const [announcement, setAnnouncement] = useState('')
	const phase = room?.phase === 'closed' ? 'closed' : session.phase

	const announce = useCallback((text: string) => {
		// Cleared first, so the same words are announced again.
		setAnnouncement('')
		requestAnimationFrame(() => setAnnouncement(text))
	}, [])

	useEffect(() => {
		let live = true
		void getRoom(roomId).then((result) => {
			if (!live) return
			if (result.ok) setRoom(result.data)
			else if (result.kind === 'http' && result.status === 404) setMissing(true)
		})
		return () => {
			live = false
		}
	}, [roomId])

	useEffect(() => {
		document.title = listText(language, 'list.documentTitle', { title: room?.title || 'Kompasbord' })
	}, [room?.title, language])

	const refreshOwn = useCallback(async () => {
		const result = await listNotes(roomId, participantId)
		if (result.ok) setOwn(result.data.notes)
	}, [roomId, participantId])

	const refreshVotes = useCallback(async () => {
		const result = await myVotes(roomId, participantId)
		if (result.ok) setVotes(result.data.votes ?? null)
	}, [roomId, participantId])

	// Own notes and dots: at the start, and whenever the phase changes (a reveal places held notes).
	useEffect(() => {
		void refreshOwn()
		if (phase === 'voting') void refreshVotes()
	}, [phase, refreshOwn, refreshVotes])
	// A note waiting for the facilitator was approved or rejected: the queue moved.
	useEffect(() => {
		if (screeningQueue.seq > 0) void refreshOwn()
	}, [screeningQueue.seq, refreshOwn])

	// Announce a phase change, and notes that others add.
	const seen = useRef<{ phase: SessionPhase | null; notes: number | null; expected: number }>({
		phase: null,
		notes: null,
		expected: 0,
	})
	const total = zones.reduce((n, z) => n + z.notes.length, 0)
	useEffect(() => {
		if (!synced) return
		const s = seen.current
		if (s.phase !== null && s.phase !== phase) announce(t('list.announce.phase', { phase: phaseText(t, phase, votes) }))
		s.phase = phase
		if (s.notes !== null && total > s.notes) {
			const fromOthers = total - s.notes - Math.min(s.expected, total - s.notes)
			s.expected = Math.max(0, s.expected - (total - s.notes))
			if (fromOthers > 0)
				announce(fromOthers === 1 ? t('list.announce.newNote') : t('list.announce.newNotes', { n: fromOthers }))
		}
		s.notes = total
	}, [synced, phase, total, votes, t, announce])

	// One call at a time. Buttons stay enabled while one runs (a disabled button would lose the keyboard focus);
	// a press meanwhile does nothing.
	const running = useRef(false)
	const run = useCallback(
		async <R,>(call: () => Promise<ApiResult<R>>): Promise<R | null> => {
			if (running.current) return null
			running.current = true
			setBusy(true)
			setError(null)
			try {
				const result = await call()
				if (result.ok) return result.data
				setError(t('list.error', { message: result.message }))
				return null
			} finally {
				running.current = false
				setBusy(false)
			}
		},
		[t]
	)

	const actions: Actions = {
		phase,
		votes,
		ownIds: new Set(own.map((n) => n.noteId)),
		busy,
		add: async (zone, text) => {
			seen.current.expected++
			const posted = await run(() =>
				postNote(roomId, { zoneId: zone.zoneId, text, clientNoteId: newClientNoteId() }, participantId)
			)
			if (!posted) {
				seen.current.expected--
				return false
			}
			announce(
				posted.status === 'held'
					? t('list.announce.held')
					: posted.status === 'awaiting_review'
						? t('list.announce.awaitingReview')
						: t('list.announce.added', { zone: zone.label })
			)
			await refreshOwn()
			return true
		},
		save: async (noteId, text) => {
			const saved = await run(() => patchNote(roomId, noteId, { text }, participantId))
			if (!saved) return false
			announce(t('list.announce.saved'))
			await refreshOwn()
			return true
		},
		remove: async (noteId) => {
			const removed = await run(() => deleteNote(roomId, noteId, participantId))
			if (!removed) return false
			announce(t('list.announce.deleted'))
			await refreshOwn()
			return true
		},
		vote: async (noteId, cast) => {
			const answer = await run(() => (cast ? castVote : retractVote)(roomId, noteId, participantId))
			if (!answer) return
			const { budget, used, remaining, mine } = answer
			setVotes({ budget, used, remaining, mine })
			announce(t(cast ? 'list.announce.voted' : 'list.announce.unvoted', { n: remaining }))
		},
	}

	if (missing) {
		return (
			<main className="kb-list" id="main">
				<h1>{t('list.title')}</h1>
				<p role="alert">{t('list.notFound')}</p>
			</main>
		)
	}

	return (
		<div className="kb-list" lang={language}>
			<header className="kb-list__header">
				<nav className="kb-list__nav" aria-label={t('list.title')}>
					<a
						href={boardPath(roomId)}
						className="kb-list__link"
						onClick={(event) => {
							event.preventDefault()
							navigate(boardPath(roomId))
						}}
					>
						{t('list.toBoard')}
					</a>
					<LanguageSwitch className="kb-list__language" />
				</nav>
				<h1 className="kb-list__title">
					{room?.title ? `${room.title} · ` : ''}
					{t('list.title')}
				</h1>
				<p className="kb-list__intro">{t('list.intro')}</p>
				<p className="kb-list__phase" data-testid="list-phase" data-phase={phase}>
					{phaseText(t, phase, votes)}
				</p>
				{synced && !connected && <p className="kb-list__warning">{t('list.offline')}</p>}
			</header>
			<div className="kb-list__live" role="status" aria-live="polite" aria-atomic="true" data-testid="list-live">
				{announcement}
			</div>
			<main className="kb-list__main" id="main">
				{error && (
					<p className="kb-list__error" role="alert">
						{error}
					</p>
				)}
				{!synced || !room ? (
					<p>{t('list.loading')}</p>
				) : (
					zones.map((zone) => (
						<ZoneSection
							key={zone.zoneId}
							zone={zone}
							held={own.filter(
								(n) => (n.status === 'held' || n.status === 'awaiting_review') && n.zoneId === zone.zoneId
							)}
							actions={actions}
							t={t}
							language={language}
							scoreRound={scoreRound}
						/>
					))
				)}
			</main>
		</div>
	)
}

function phaseText(t: T, phase: SessionPhase, votes: VoteSummary | null): string {
	if (phase === 'voting') return t('list.phase.voting', { n: votes?.remaining ?? '…', budget: votes?.budget ?? '…' })
	return t(`list.phase.${phase}`)
}

function ZoneSection(props: {
	zone: ZoneContent
	held: NoteView[]
	actions: Actions
	t: T
	language: Language
	scoreRound: ScoreRoundView | null
}) {
	const { zone, held, actions, t, language, scoreRound } = props
	const part = scoreRound?.parts.find((p) => p.zoneId === zone.zoneId)
	const spread = part && scoreRound ? scoreSpread(part.counts, scoreRound.min) : null
	const headingId = useId()
	const headingRef = useRef<HTMLHeadingElement>(null)
	const count = zone.notes.length
	return (
		<section className="kb-list-zone" aria-labelledby={headingId} data-testid="list-zone" data-zone-id={zone.zoneId}>
			<h2 id={headingId} ref={headingRef} tabIndex={-1} className="kb-list-zone__title">
				{zone.label}
			</h2>
			{zone.question && <p className="kb-list-zone__question">{zone.question}</p>}
			{scoreRound && spread && (
				<p className="kb-list-zone__count" data-testid="list-scores">
					{spread.median === null
						? t('list.noScores', { min: scoreRound.min, max: scoreRound.max })
						: t('list.scores', {
								min: scoreRound.min,
								max: scoreRound.max,
								median: formatMark(spread.median, language),
								low: spread.low ?? '',
								high: spread.high ?? '',
								n: spread.n,
							})}
				</p>
			)}
			<p className="kb-list-zone__count">
				{count === 0 ? t('list.noNotes') : count === 1 ? t('list.notesCountOne') : t('list.notesCount', { n: count })}
			</p>
			{zone.themes?.length ? (
				<>
					<h3 className="kb-list-zone__subtitle">{t('list.themesHeading')}</h3>
					<ul className="kb-list-notes" data-testid="list-themes">
						{zone.themes.map((theme) => (
							<NoteItem
								key={theme.themeId}
								note={{
									noteId: theme.themeId,
									text: t('list.theme', { label: theme.label || '—', n: theme.noteIds.length }),
									color: '',
									votes: theme.votes,
									rank: theme.rank,
								}}
								actions={actions}
								t={t}
								onRemoved={() => headingRef.current?.focus()}
							/>
						))}
					</ul>
				</>
			) : null}
			{count > 0 && (
				<ul className="kb-list-notes">
					{zone.notes.map((note) => (
						<NoteItem
							key={note.noteId}
							note={note}
							actions={actions}
							t={t}
							onRemoved={() => headingRef.current?.focus()}
						/>
					))}
				</ul>
			)}
			{held.length > 0 && (
				<>
					<h3 className="kb-list-zone__subtitle">{t('list.heldHeading')}</h3>
					<ul className="kb-list-notes">
						{held.map((note) => (
							<li key={note.noteId} className="kb-list-note kb-list-note--held" data-testid="list-held-note">
								<p className="kb-list-note__text">{note.text}</p>
								<p className="kb-list-note__meta">
									{note.status === 'awaiting_review' ? t('list.awaitingReview') : t('list.held')}
								</p>
							</li>
						))}
					</ul>
				</>
			)}
			{actions.phase !== 'closed' && actions.phase !== 'voting' && <AddNoteForm zone={zone} actions={actions} t={t} />}
		</section>
	)
}

function NoteItem(props: { note: RankedNote; actions: Actions; t: T; onRemoved(): void }) {
	const { note, actions, t } = props
	const mine = actions.ownIds.has(note.noteId)
	const myDots = actions.votes?.mine[note.noteId] ?? 0
	const [editing, setEditing] = useState(false)
	const editButton = useRef<HTMLButtonElement>(null)
	const text = note.text || '—'
	const canEdit = mine && actions.phase !== 'closed'
	const noDotsLeft = actions.votes !== null && actions.votes.remaining <= 0
	return (
		<li className="kb-list-note" data-testid="list-note" data-note-id={note.noteId} data-mine={mine}>
			<p className="kb-list-note__text">{text}</p>
			<p className="kb-list-note__meta">
				{mine && <span className="kb-list-note__tag">{t('list.mine')}</span>}
				{note.votes > 0 && (
					<span data-votes={note.votes}>
						{note.votes === 1 ? t('list.votesOne') : t('list.votes', { n: note.votes })}
						{myDots > 0 ? `, ${t('list.myVotes', { n: myDots })}` : ''}
					</span>
				)}
			</p>
			{editing ? (
				<NoteForm
					label={t('list.editLabel')}
					initial={note.text}
					submitText={t('list.save')}
					t={t}
					busy={actions.busy}
					onSubmit={(value) => actions.save(note.noteId, value)}
					onDone={() => {
						setEditing(false)
						requestAnimationFrame(() => editButton.current?.focus())
					}}
				/>
			) : (
				<div className="kb-list-note__actions">
					{actions.phase === 'voting' && (
						<button
							type="button"
							className="kb-list-button"
							aria-label={t('list.voteLabel', { text })}
							aria-disabled={noDotsLeft || undefined}
							onClick={() => {
								if (!noDotsLeft) void actions.vote(note.noteId, true)
							}}
						>
							{t('list.vote')}
						</button>
					)}
					{actions.phase === 'voting' && myDots > 0 && (
						<button
							type="button"
							className="kb-list-button kb-list-button--secondary"
							aria-label={t('list.unvoteLabel', { text })}
							onClick={() => void actions.vote(note.noteId, false)}
						>
							{t('list.unvote')}
						</button>
					)}
					{canEdit && (
						<>
							<button
								ref={editButton}
								type="button"
								className="kb-list-button kb-list-button--secondary"
								aria-label={t('list.editNoteLabel', { text })}
								onClick={() => setEditing(true)}
							>
								{t('list.edit')}
							</button>
							<button
								type="button"
								className="kb-list-button kb-list-button--danger"
								aria-label={t('list.deleteNoteLabel', { text })}
								onClick={() =>
									void actions.remove(note.noteId).then((removed) => {
										if (removed) props.onRemoved()
									})
								}
							>
								{t('list.delete')}
							</button>
						</>
					)}
				</div>
			)}
		</li>
	)
}

function AddNoteForm({ zone, actions, t }: { zone: ZoneContent; actions: Actions; t: T }) {
	return (
		<NoteForm
			label={t('list.addLabel', { zone: zone.label })}
			initial=""
			submitText={t('list.add')}
			t={t}
			busy={actions.busy}
			keepOpen
			onSubmit={(text) => actions.add(zone, text)}
		/>
	)
}

function NoteForm(props: {
	label: string
	initial: string
	submitText: string
	t: T
	busy: boolean
	keepOpen?: boolean
	onSubmit(text: string): Promise<boolean>
	onDone?(): void
}) {
	const id = useId()
	const [text, setText] = useState(props.initial)
	const [problem, setProblem] = useState<string | null>(null)
	const field = useRef<HTMLTextAreaElement>(null)
	useEffect(() => {
		if (!props.keepOpen) field.current?.focus()
	}, [props.keepOpen])
	const submit = async (event: FormEvent) => {
		event.preventDefault()
		const value = text.trim()
		if (!value) {
			setProblem(props.t('list.emptyText'))
			field.current?.focus()
			return
		}
		setProblem(null)
		if (await props.onSubmit(value)) {
			if (props.keepOpen) {
				setText('')
				field.current?.focus()
			}
			props.onDone?.()
		}
	}
	return (
		<form className="kb-list-form" onSubmit={(event) => void submit(event)}>
			<label htmlFor={id} className="kb-list-form__label">
				{props.label}
			</label>
			<textarea
				id={id}
				ref={field}
				className="kb-list-form__field"
				value={text}
				maxLength={MAX_NOTE_TEXT}
				rows={2}
				aria-invalid={problem ? true : undefined}
				aria-describedby={problem ? `${id}-problem` : undefined}
				onChange={(event) => setText(event.target.value)}
			/>
			{problem && (
				<p id={`${id}-problem`} className="kb-list__error">
					{problem}
				</p>
			)}
			<div className="kb-list-note__actions">
				<button type="submit" className="kb-list-button" aria-busy={props.busy || undefined}>
					{props.submitText}
				</button>
				{props.onDone && !props.keepOpen && (
					<button type="button" className="kb-list-button kb-list-button--secondary" onClick={props.onDone}>
						{props.t('list.cancel')}
					</button>
				)}
			</div>
		</form>
	)
}
