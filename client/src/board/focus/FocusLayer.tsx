import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type * as Y from 'yjs'
import { RECORDS_MAP, SESSION_MAP, VOTES_MAP, type FocusChange, type FocusView } from '@kompasbord/shared'
import { FOCUS_KEY, focusView, readFocusTarget } from '@kompasbord/shared/focus'
import type { TLRecord } from 'tldraw'
import { ApiError } from '../../api'
import { useSessionContext } from '../facilitator/session-context'
import { useDocVersion } from '../presenter/use-board-zones'
import { setFocus } from './focus-api'
import { dotsText, focusText } from './strings'
import './focus.css'

const FOCUS_MAPS = [SESSION_MAP, RECORDS_MAP, VOTES_MAP]
/** Longer texts get a smaller (still ≥ 32 px) type, so they fit the screen. */
const LONG_TEXT = 140

/** What is in focus on this doc now, live (null when focus is off). */
export function useFocusView(doc: Y.Doc): FocusView | null {
	const version = useDocVersion(doc, FOCUS_MAPS)
	// biome-ignore lint/correctness/useExhaustiveDependencies: version says when the doc changed
	return useMemo(() => {
		const target = readFocusTarget(doc.getMap<unknown>(SESSION_MAP).get(FOCUS_KEY))
		if (!target) return null
		return focusView(
			doc.getMap<TLRecord>(RECORDS_MAP).toJSON() as Record<string, TLRecord>,
			doc.getMap<number>(VOTES_MAP).toJSON() as Record<string, number>,
			target
		)
	}, [doc, version])
}

function isTyping(target: EventTarget | null): boolean {
	const element = target as HTMLElement | null
	return Boolean(element && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName)))
}

/** Sends focus changes to the server (facilitator key), one at a time, the newest winning; with its error text. */
export function useFocusChange(): { run(change: FocusChange): void; error: string | null } {
	const { roomId, facilitatorKey, language } = useSessionContext()
	const [error, setError] = useState<string | null>(null)
	const queue = useRef<{ busy: boolean; next: FocusChange[] }>({ busy: false, next: [] })
	const run = useCallback(
		(change: FocusChange) => {
			const q = queue.current
			// Steps add up (a clicker pressed twice goes two on); show and off replace what waits.
			q.next = change.mode === 'next' || change.mode === 'previous' ? [...q.next, change].slice(-8) : [change]
			if (q.busy || !facilitatorKey) return
			q.busy = true
			void (async () => {
				while (q.next.length > 0) {
					const sending = q.next.shift() as FocusChange
					try {
						await setFocus(roomId, facilitatorKey, sending)
						setError(null)
					} catch (e) {
						setError(focusText(language, 'focus.failed', { message: e instanceof ApiError ? e.message : String(e) }))
					}
				}
				q.busy = false
			})()
		},
		[roomId, facilitatorKey, language]
	)
	return { run, error }
}

/**
 * Focus on a board: the note or theme the facilitator put in focus, large, with its dots, over the board — on
 * every board (facilitator, participants, viewers, following or not). The facilitator's board has the controls
 * (buttons, arrow keys, Page Up/Down from a clicker, Escape to leave). The camera is never moved: leaving focus
 * removes the overlay and everyone is where they were.
 */
export function FocusLayer() {
	const { doc, role } = useSessionContext()
	const view = useFocusView(doc)
	if (!view) return null
	return role === 'facilitator' ? <FacilitatorFocus view={view} /> : <FocusCard view={view} controls={null} />
}

function FacilitatorFocus({ view }: { view: FocusView }) {
	const change = useFocusChange()
	const { run } = change
	useEffect(() => {
		const onKey = (event: KeyboardEvent) => {
			if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return
			let next: FocusChange | null = null
			if (['ArrowRight', 'ArrowDown', 'PageDown'].includes(event.key)) next = { mode: 'next' }
			else if (['ArrowLeft', 'ArrowUp', 'PageUp'].includes(event.key)) next = { mode: 'previous' }
			else if (event.key === 'Escape') next = { mode: 'off' }
			if (!next) return
			event.preventDefault()
			event.stopImmediatePropagation()
			run(next)
		}
		window.addEventListener('keydown', onKey, true)
		return () => window.removeEventListener('keydown', onKey, true)
	}, [run])
	return <FocusCard view={view} controls={change} />
}

function FocusCard({
	view,
	controls,
}: {
	view: FocusView
	controls: { run(change: FocusChange): void; error: string | null } | null
}) {
	const { language } = useSessionContext()
	const t = (key: Parameters<typeof focusText>[1]) => focusText(language, key)
	return (
		<div className="kb-focus" data-testid="focus-overlay" role="dialog" aria-label={t('focus.title')}>
			<div className={`kb-focus__card kb-focus__card--${view.kind}`}>
				{view.kind === 'theme' && <p className="kb-focus__kind">{t('focus.theme')}</p>}
				<p
					className={`kb-focus__text${view.text.length > LONG_TEXT ? ' kb-focus__text--long' : ''}`}
					data-testid="focus-text"
				>
					{view.text}
				</p>
				<p className="kb-focus__dots" data-testid="focus-dots" data-dots={view.dots}>
					<span className="kb-focus__dot-row" aria-hidden="true">
						{'●'.repeat(Math.min(view.dots, 20))}
					</span>
					<span>{dotsText(language, view.dots)}</span>
				</p>
				{view.notes.length > 0 && (
					<ul className="kb-focus__notes">
						{view.notes.map((note) => (
							<li key={note.noteId}>
								<span>{note.text}</span>
								<span className="kb-focus__note-dots">{dotsText(language, note.dots)}</span>
							</li>
						))}
					</ul>
				)}
			</div>
			{controls && (
				<div className="kb-focus__controls">
					<button type="button" data-testid="focus-previous" onClick={() => controls.run({ mode: 'previous' })}>
						← {t('focus.previous')}
					</button>
					<button type="button" data-testid="focus-next" onClick={() => controls.run({ mode: 'next' })}>
						{t('focus.next')} →
					</button>
					<button
						type="button"
						className="kb-primary"
						data-testid="focus-close"
						onClick={() => controls.run({ mode: 'off' })}
					>
						{t('focus.close')}
					</button>
					<span className="kb-focus__keys">{t('focus.keys')}</span>
					{controls.error && (
						<p className="kb-session-error" role="alert">
							{controls.error}
						</p>
					)}
				</div>
			)}
		</div>
	)
}

/** The "Focus" button of the facilitator's panel, for the one selected note or theme. */
export function FocusButton({ targetId }: { targetId: string }) {
	const { language } = useSessionContext()
	const change = useFocusChange()
	return (
		<>
			<button
				type="button"
				className="kb-primary"
				data-testid="focus-open"
				title={focusText(language, 'focus.openHint')}
				onClick={() => change.run({ mode: 'show', targetId })}
			>
				{focusText(language, 'focus.open')}
			</button>
			{change.error && (
				<p className="kb-session-error" role="alert">
					{change.error}
				</p>
			)}
		</>
	)
}
