import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import type { PresenterChange, PresenterState } from '@kompasbord/shared/presenter'
import type { ZoneContent } from '@kompasbord/shared/zone-contents'
import type { Language } from '../../i18n'
import { noteGrid } from './presenter-layout'
import { noteCountText, presenterText, voteCountText } from './strings'
import './presenter.css'

/** Background of a note card per tldraw note colour (text stays dark on all of them). */
const NOTE_BACKGROUNDS: Record<string, string> = {
	yellow: '#fde68a',
	orange: '#fed7aa',
	red: '#fecaca',
	'light-red': '#fee2e2',
	green: '#bbf7d0',
	'light-green': '#dcfce7',
	blue: '#bfdbfe',
	'light-blue': '#dbeafe',
	violet: '#ddd6fe',
	'light-violet': '#ede9fe',
	grey: '#e5e7eb',
	black: '#e5e7eb',
	white: '#ffffff',
}

/** Props of {@link PresenterView}. */
export interface PresenterViewProps {
	zones: readonly ZoneContent[]
	state: PresenterState
	language: Language
	/** The facilitator's controls; null on a following board, which only shows. */
	onChange: ((change: PresenterChange) => void) | null
	/** Offered on a following board. */
	onStopFollowing?: () => void
	error?: string | null
}

/**
 * "Zone in beeld" on the projector: one zone at a time with its question and its notes in large type (ranked
 * by dots), or the overview of every zone with its note count. Drawn as HTML over the whole window from the
 * doc's records, so text size does not depend on the canvas zoom.
 */
export function PresenterView({ zones, state, language, onChange, onStopFollowing, error }: PresenterViewProps) {
	const t = (key: Parameters<typeof presenterText>[1], params?: Record<string, string | number>) =>
		presenterText(language, key, params)
	const titleId = useId()
	const index = state.mode === 'zone' ? zones.findIndex((z) => z.zoneId === state.zoneId) : -1
	const zone = index >= 0 ? zones[index] : null
	const rootRef = useRef<HTMLDivElement>(null)

	useEffect(() => {
		if (!onChange) return
		const previous = document.activeElement as HTMLElement | null
		rootRef.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus()
		return () => previous?.focus?.()
	}, [onChange])

	return createPortal(
		<div
			ref={rootRef}
			className="kb-presenter"
			role="dialog"
			aria-modal={onChange ? 'true' : undefined}
			aria-labelledby={titleId}
			data-testid="presenter-view"
			data-mode={zone ? 'zone' : 'overview'}
			data-zone-id={zone?.zoneId ?? ''}
			lang={language}
		>
			{zone ? (
				<ZoneSlide zone={zone} position={index + 1} total={zones.length} titleId={titleId} language={language} />
			) : (
				<Overview zones={zones} titleId={titleId} language={language} onChange={onChange} />
			)}
			<footer className="kb-presenter__bar">
				{onChange ? (
					<>
						<button
							type="button"
							data-testid="presenter-previous"
							disabled={index === 0}
							onClick={() => onChange(step(zones, state, -1))}
						>
							← {t('presenter.previous')}
						</button>
						<button
							type="button"
							data-testid="presenter-overview"
							aria-pressed={!zone}
							onClick={() => onChange({ mode: 'overview' })}
						>
							{t('presenter.overview')}
						</button>
						<button
							type="button"
							data-testid="presenter-next"
							data-autofocus
							disabled={zones.length === 0 || index === zones.length - 1}
							onClick={() => onChange(step(zones, state, 1))}
						>
							{t('presenter.next')} →
						</button>
						<button
							type="button"
							className="kb-presenter__close"
							data-testid="presenter-close"
							onClick={() => onChange({ mode: 'off' })}
						>
							{t('presenter.close')}
						</button>
						<span className="kb-presenter__keys">{t('presenter.keys')}</span>
					</>
				) : (
					<>
						<span className="kb-presenter__keys">{t('presenter.following')}</span>
						{onStopFollowing && (
							<button type="button" data-testid="presenter-stop-following" onClick={onStopFollowing}>
								{t('presenter.stopFollowing')}
							</button>
						)}
					</>
				)}
				{error && (
					<span className="kb-presenter__error" role="alert">
						{error}
					</span>
				)}
			</footer>
		</div>,
		document.body
	)
}

/** The change that shows the zone `delta` places away (from the overview: the first zone). */
export function step(zones: readonly ZoneContent[], state: PresenterState, delta: number): PresenterChange {
	if (zones.length === 0) return { mode: 'overview' }
	const at = state.mode === 'zone' ? zones.findIndex((z) => z.zoneId === state.zoneId) : -1
	const next = at < 0 ? 0 : Math.max(0, Math.min(zones.length - 1, at + delta))
	return { mode: 'zone', zoneId: zones[next].zoneId }
}

function ZoneSlide(props: { zone: ZoneContent; position: number; total: number; titleId: string; language: Language }) {
	const { zone, language } = props
	const areaRef = useRef<HTMLDivElement>(null)
	const [area, setArea] = useState<{ w: number; h: number } | null>(null)
	useLayoutEffect(() => {
		const element = areaRef.current
		if (!element) return
		const measure = () => setArea({ w: element.clientWidth, h: element.clientHeight })
		measure()
		const observer = new ResizeObserver(measure)
		observer.observe(element)
		return () => observer.disconnect()
	}, [])
	const grid = area ? noteGrid(zone.notes.length, area.w, area.h) : null
	const ranked = zone.notes.some((n) => n.votes > 0)
	return (
		<section className="kb-presenter__slide" aria-labelledby={props.titleId}>
			<header className="kb-presenter__header">
				<p className="kb-presenter__position">
					{presenterText(language, 'presenter.position', { n: props.position, total: props.total })} ·{' '}
					{noteCountText(language, zone.notes.length)}
					{ranked ? ` · ${presenterText(language, 'presenter.ranked')}` : ''}
				</p>
				<h2 id={props.titleId} className="kb-presenter__label" data-testid="presenter-zone-label">
					{zone.label}
				</h2>
				{zone.question && <p className="kb-presenter__question">{zone.question}</p>}
			</header>
			<div className="kb-presenter__area" ref={areaRef}>
				{grid && zone.notes.length > 0 && (
					<ol
						className="kb-presenter__notes"
						style={{
							gridTemplateColumns: `repeat(${grid.columns}, minmax(0, 1fr))`,
							gridAutoRows: `${grid.cardHeight}px`,
							fontSize: `${grid.fontPx}px`,
						}}
					>
						{zone.notes.map((note) => (
							<li
								key={note.noteId}
								className="kb-presenter__note"
								data-testid="presenter-note"
								data-note-id={note.noteId}
								style={{ background: NOTE_BACKGROUNDS[note.color] ?? NOTE_BACKGROUNDS.yellow }}
							>
								<span
									className="kb-presenter__note-text"
									style={{ WebkitLineClamp: note.votes > 0 ? grid.maxLines : grid.maxLinesAlone }}
								>
									{note.text}
								</span>
								{note.votes > 0 && (
									<span className="kb-presenter__votes" data-votes={note.votes}>
										{voteCountText(language, note.votes)}
									</span>
								)}
							</li>
						))}
					</ol>
				)}
			</div>
		</section>
	)
}

function Overview(props: {
	zones: readonly ZoneContent[]
	titleId: string
	language: Language
	onChange: ((change: PresenterChange) => void) | null
}) {
	const { zones, language, onChange } = props
	return (
		<section className="kb-presenter__slide" aria-labelledby={props.titleId}>
			<header className="kb-presenter__header">
				<h2 id={props.titleId} className="kb-presenter__label">
					{presenterText(language, 'presenter.overview')}
				</h2>
			</header>
			<ol className="kb-presenter__overview" data-testid="presenter-overview-list">
				{zones.map((zone, i) => {
					const body = (
						<>
							<span className="kb-presenter__overview-number">{i + 1}</span>
							<span className="kb-presenter__overview-label">{zone.label}</span>
							<span className="kb-presenter__overview-count" data-count={zone.notes.length}>
								{noteCountText(language, zone.notes.length)}
							</span>
						</>
					)
					return (
						<li key={zone.zoneId} data-zone-id={zone.zoneId}>
							{onChange ? (
								<button
									type="button"
									className="kb-presenter__overview-item"
									onClick={() => onChange({ mode: 'zone', zoneId: zone.zoneId })}
								>
									{body}
								</button>
							) : (
								<div className="kb-presenter__overview-item">{body}</div>
							)}
						</li>
					)
				})}
			</ol>
		</section>
	)
}
