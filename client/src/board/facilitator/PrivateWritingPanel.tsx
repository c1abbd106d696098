import { useCallback, useEffect, useRef, useState } from 'react'
import { react } from 'tldraw'
import { SESSION_MAP, type NoteView } from '@kompasbord/shared'
import { readServerNotice } from '@kompasbord/shared/session-awareness'
import { ApiError, fetchRoom } from '../../api'
import { newClientNoteId } from './participant-id'
import { deleteOwnNote, listOwnNotes, postOwnNote } from './session-api'
import { useSessionContext } from './session-context'
import { errorText } from './strings'

/** How often the list of own notes is refreshed while private writing is on (held notes may come from the canvas). */
const REFRESH_MS = 5000
/** Longest note, as the server counts it. */
const MAX_TEXT = 500

interface Zone {
	id: string
	label: string
}

/** What the panel is for: private writing, or "Notities eerst bekijken" (screening). */
export type WritingPanelMode = 'private' | 'screening'

/**
 * Private writing on a laptop participant's board. New notes must not reach the shared doc, so this panel
 * posts them to the server like a phone does (same participant id), which holds them until "Onthullen"; the
 * list shows this participant's own notes, held ones included — no one else's. The note tool is steered here
 * while private writing is on, and a note that reaches the canvas anyway (pasted, duplicated) is refused by
 * the server and held for its author, so it shows up in this list.
 *
 * While screening is on (`mode` `screening`) it works the same way: a note written here (or refused on the
 * canvas) waits for the facilitator, and the list says so ("Wacht op de facilitator"), or that a note was not
 * placed once the facilitator rejected it.
 */
export function PrivateWritingPanel({ mode = 'private' }: { mode?: WritingPanelMode }) {
	const { editor, doc, awareness, roomId, participantToken, t, language } = useSessionContext()
	const screening = mode === 'screening'
	const [notPlaced, setNotPlaced] = useState<NoteView[]>([])
	const previous = useRef<NoteView[]>([])
	const removed = useRef(new Set<string>())
	const [zones, setZones] = useState<Zone[]>([])
	const [zoneId, setZoneId] = useState('')
	const [text, setText] = useState('')
	const [notes, setNotes] = useState<NoteView[]>([])
	const [error, setError] = useState<string | null>(null)
	const [hint, setHint] = useState(false)
	const [busy, setBusy] = useState(false)
	const textarea = useRef<HTMLTextAreaElement>(null)

	useEffect(() => {
		const abort = new AbortController()
		fetchRoom(roomId, abort.signal).then(
			(room) => {
				const list = room.zones.map((z) => {
					const label = z.label as { nl?: string; en?: string } | string
					return { id: z.id, label: typeof label === 'string' ? label : (label?.[language] ?? label?.nl ?? z.id) }
				})
				setZones(list)
				setZoneId((current) => current || list[0]?.id || '')
			},
			() => {}
		)
		return () => abort.abort()
	}, [roomId, language])

	const refresh = useCallback(async () => {
		if (!participantToken) return
		try {
			const next = (await listOwnNotes(roomId, participantToken)).notes
			// A note that waited for the facilitator and is gone from the server (not removed here) was rejected.
			const listed = new Set(next.map((note) => note.noteId))
			const rejected = previous.current.filter(
				(note) => note.status === 'awaiting_review' && !listed.has(note.noteId) && !removed.current.has(note.noteId)
			)
			if (rejected.length) setNotPlaced((list) => [...list, ...rejected])
			previous.current = next
			setNotes(next)
		} catch {
			// Next refresh.
		}
	}, [roomId, participantToken])

	useEffect(() => {
		void refresh()
		const timer = setInterval(() => void refresh(), REFRESH_MS)
		// A note refused on the canvas: the server says so, and holds it for us when it had text.
		const seen = { seq: 0 }
		const onAwareness = () => {
			for (const state of awareness.getStates().values()) {
				const notice = readServerNotice(state)
				if (!notice || notice.seq <= seen.seq || !notice.to.includes(awareness.clientID)) continue
				seen.seq = notice.seq
				if (notice.reasons.includes('private-writing') || notice.reasons.includes('screening')) {
					setHint(true)
					void refresh()
					setTimeout(() => void refresh(), 600)
				}
			}
		}
		awareness.on('change', onAwareness)
		// The screening queue moved (a note approved or rejected): fetch the list again.
		const session = doc.getMap(SESSION_MAP)
		const onSession = (event: { keysChanged: Set<string> }) => {
			if (event.keysChanged.has('screeningQueue')) void refresh()
		}
		session.observe(onSession)
		return () => {
			clearInterval(timer)
			awareness.off('change', onAwareness)
			session.unobserve(onSession)
		}
	}, [refresh, awareness, doc])

	// The sticky-note tool writes here instead of on the shared canvas.
	useEffect(
		() =>
			react('kompasbord private note tool', () => {
				if (editor.getCurrentToolId() !== 'note') return
				queueMicrotask(() => {
					editor.setCurrentTool('select')
					setHint(true)
					textarea.current?.focus()
				})
			}),
		[editor]
	)

	const submit = async () => {
		const trimmed = text.trim()
		if (!participantToken || !zoneId) return
		if (!trimmed) {
			setError(errorText(language, 'empty_text', ''))
			return
		}
		if ([...trimmed].length > MAX_TEXT) {
			setError(errorText(language, 'text_too_long', ''))
			return
		}
		setBusy(true)
		setError(null)
		try {
			await postOwnNote(roomId, { zoneId, text: trimmed, clientNoteId: newClientNoteId() }, participantToken)
			setText('')
			await refresh()
			textarea.current?.focus()
		} catch (e) {
			setError(e instanceof ApiError ? errorText(language, e.code, e.message) : String(e))
		} finally {
			setBusy(false)
		}
	}

	const zoneLabel = (id: string) => zones.find((z) => z.id === id)?.label ?? id
	const statusOf = (note: NoteView) =>
		note.status === 'held'
			? t('private.held')
			: note.status === 'awaiting_review'
				? t('screening.waiting')
				: t('private.placed')
	const title = screening ? t('screening.participantTitle') : t('private.title')
	return (
		<section className="kb-private-panel" data-testid="private-panel" data-mode={mode} aria-label={title}>
			<header className="kb-session-panel__header">
				<h2>{title}</h2>
			</header>
			<p className="kb-muted">{screening ? t('screening.intro') : t('private.intro')}</p>
			{hint && (
				<p className="kb-private-panel__hint" role="status" data-testid="private-hint">
					{screening ? t('screening.canvasHint') : t('private.canvasHint')}
				</p>
			)}
			<form
				onSubmit={(e) => {
					e.preventDefault()
					void submit()
				}}
			>
				<label className="kb-field">
					{t('private.zone')}
					<select value={zoneId} data-testid="private-zone" onChange={(e) => setZoneId(e.target.value)}>
						{zones.map((z) => (
							<option key={z.id} value={z.id}>
								{z.label}
							</option>
						))}
					</select>
				</label>
				<label className="kb-field">
					{t('private.text')}
					<textarea
						ref={textarea}
						rows={3}
						value={text}
						maxLength={MAX_TEXT + 50}
						data-testid="private-text"
						onChange={(e) => setText(e.target.value)}
						onKeyDown={(e) => {
							// Keep tldraw's shortcuts away from the text field.
							e.stopPropagation()
							if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) void submit()
						}}
					/>
				</label>
				<button type="submit" className="kb-primary" disabled={busy} data-testid="private-submit">
					{screening ? t('screening.send') : t('private.add')}
				</button>
			</form>
			{error && (
				<p className="kb-session-error" role="alert">
					{error}
				</p>
			)}
			<h3>{t('private.mine', { n: notes.length })}</h3>
			{notPlaced.length > 0 && (
				<ul className="kb-private-panel__notes">
					{notPlaced.map((note) => (
						<li key={note.noteId} data-testid="private-note" data-status="not-placed" className="kb-not-placed">
							<span className="kb-private-panel__text">{note.text}</span>
							<span className="kb-muted">
								{zoneLabel(note.zoneId)} · {t('screening.notPlaced')}
							</span>
							<button
								type="button"
								className="kb-subtle"
								onClick={() => setNotPlaced((list) => list.filter((n) => n.noteId !== note.noteId))}
							>
								{t('private.remove')}
							</button>
						</li>
					))}
				</ul>
			)}
			{notes.length === 0 ? (
				<p className="kb-muted">{t('private.none')}</p>
			) : (
				<ul className="kb-private-panel__notes">
					{notes.map((note) => (
						<li key={note.noteId} data-testid="private-note" data-status={note.status}>
							<span className="kb-private-panel__text">{note.text}</span>
							<span className="kb-muted">
								{zoneLabel(note.zoneId)} · {statusOf(note)}
							</span>
							{(note.status === 'held' || note.status === 'awaiting_review') && participantToken && (
								<button
									type="button"
									className="kb-subtle"
									onClick={() => {
										removed.current.add(note.noteId)
										void deleteOwnNote(roomId, note.noteId, participantToken).then(
											() => refresh(),
											() => refresh()
										)
									}}
								>
									{t('private.remove')}
								</button>
							)}
						</li>
					))}
				</ul>
			)}
		</section>
	)
}
