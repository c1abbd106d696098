import { useCallback, useEffect, useState } from 'react'
import type { QueuedNote, ScreeningWords } from '@kompasbord/shared'
import { ApiError, fetchRoom } from '../../api'
import { approveNotes, getScreeningQueue, rejectNotes, setScreeningWords } from './session-api'
import { useSessionContext } from './session-context'
import { errorText } from './strings'
import { useScreeningQueue, useSessionState } from './use-session'

/**
 * The facilitator's screening queue ("Notities eerst bekijken"): the notes waiting for review, oldest first, each
 * with its author (unless the room is anonymous), zone, text and the words of the lists it contains (the note is
 * highlighted), with Goedkeuren (placed in its zone) and Afwijzen (deleted from the server), "Alles goedkeuren",
 * and the room's own word list. Shown while screening is on, and while notes still wait after it was turned off.
 * The list is fetched again whenever the queue in the session map moves.
 */
export function ScreeningPanel() {
	const { doc, roomId, facilitatorKey, t, language } = useSessionContext()
	const { screening } = useSessionState(doc)
	const queueState = useScreeningQueue(doc)
	const key = facilitatorKey ?? ''
	const [notes, setNotes] = useState<QueuedNote[]>([])
	const [words, setWords] = useState<ScreeningWords>({ defaults: [], custom: [] })
	const [draft, setDraft] = useState<string | null>(null)
	const [zones, setZones] = useState<Map<string, string>>(new Map())
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const [saved, setSaved] = useState(false)
	const [open, setOpen] = useState(true)

	useEffect(() => {
		const abort = new AbortController()
		fetchRoom(roomId, abort.signal).then(
			(room) =>
				setZones(
					new Map(
						room.zones.map((z) => {
							const label = z.label as { nl?: string; en?: string } | string
							return [z.id, typeof label === 'string' ? label : (label?.[language] ?? label?.nl ?? z.id)]
						})
					)
				),
			() => {}
		)
		return () => abort.abort()
	}, [roomId, language])

	const refresh = useCallback(async () => {
		try {
			const queue = await getScreeningQueue(roomId, key)
			setNotes(queue.notes)
			setWords(queue.words)
		} catch {
			// The next change of the queue tries again.
		}
	}, [roomId, key])

	// Every change of the queue (a note queued, approved, rejected) moves `seq`.
	useEffect(() => {
		void queueState.seq
		void refresh()
	}, [refresh, queueState.seq])

	const run = async (action: () => Promise<unknown>) => {
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
	}

	const waiting = notes.length
	if (!screening && waiting === 0 && queueState.waiting === 0) return null
	const count = waiting === 1 ? t('screening.countOne') : t('screening.count', { n: waiting })
	if (!open) {
		return (
			<button
				type="button"
				className="kb-screening-panel__open"
				data-testid="screening-panel-open"
				onClick={() => setOpen(true)}
			>
				{t('screening.title')} · {count}
			</button>
		)
	}
	return (
		<section className="kb-screening-panel" data-testid="screening-panel" aria-label={t('screening.title')}>
			<header className="kb-session-panel__header">
				<h2>{t('screening.title')}</h2>
				<span className="kb-screening-count" data-testid="screening-count" data-count={waiting}>
					{count}
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
			{!screening && waiting > 0 && <p className="kb-muted">{t('screening.offNote')}</p>}
			{waiting === 0 ? (
				<p className="kb-muted" data-testid="screening-empty">
					{t('screening.empty')}
				</p>
			) : (
				<>
					<button
						type="button"
						className="kb-primary"
						disabled={busy}
						data-testid="screening-approve-all"
						onClick={() => void run(() => approveNotes(roomId, { all: true }, key))}
					>
						{t('screening.approveAll')}
					</button>
					<ul className="kb-screening-list">
						{notes.map((note) => (
							<li
								key={note.noteId}
								className={note.flags.length ? 'kb-screening-note kb-screening-note--flagged' : 'kb-screening-note'}
								data-testid="screening-note"
								data-note-id={note.noteId}
								data-flagged={note.flags.length > 0}
							>
								<p className="kb-screening-note__text">{note.text}</p>
								<p className="kb-screening-note__meta">
									{note.authorName ?? t('screening.anonymous')} · {zones.get(note.zoneId) ?? note.zoneId}
								</p>
								{note.flags.length > 0 && (
									<p className="kb-screening-note__flags" data-testid="screening-flags">
										{t('screening.flagged', { words: note.flags.join(', ') })}
									</p>
								)}
								<div className="kb-button-row">
									<button
										type="button"
										className="kb-primary"
										disabled={busy}
										data-testid="screening-approve"
										onClick={() => void run(() => approveNotes(roomId, { noteIds: [note.noteId] }, key))}
									>
										{t('screening.approve')}
									</button>
									<button
										type="button"
										className="kb-danger"
										disabled={busy}
										data-testid="screening-reject"
										onClick={() => void run(() => rejectNotes(roomId, [note.noteId], key))}
									>
										{t('screening.reject')}
									</button>
								</div>
							</li>
						))}
					</ul>
				</>
			)}
			<details className="kb-screening-words" data-testid="screening-words">
				<summary>
					{t('screening.words')} ({words.custom.length})
				</summary>
				<p className="kb-muted">{t('screening.wordsHint')}</p>
				<textarea
					rows={4}
					value={draft ?? words.custom.join('\n')}
					data-testid="screening-words-input"
					onChange={(e) => {
						setDraft(e.target.value)
						setSaved(false)
					}}
					onKeyDown={(e) => e.stopPropagation()}
				/>
				<button
					type="button"
					disabled={busy || draft === null}
					data-testid="screening-words-save"
					onClick={() =>
						void run(async () => {
							const list = (draft ?? '').split(/[\n,;]/)
							setWords(await setScreeningWords(roomId, list, key))
							setDraft(null)
							setSaved(true)
						})
					}
				>
					{t('screening.wordsSave')}
				</button>
				{saved && (
					<span className="kb-muted" role="status">
						{t('screening.wordsSaved')}
					</span>
				)}
				<details>
					<summary>{t('screening.wordsDefault', { n: words.defaults.length })}</summary>
					<p className="kb-muted kb-screening-defaults">{words.defaults.join(', ')}</p>
				</details>
			</details>
			{error && (
				<p className="kb-session-error" role="alert">
					{error}
				</p>
			)}
		</section>
	)
}
