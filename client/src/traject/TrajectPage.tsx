import { type FormEvent, useCallback, useEffect, useId, useMemo, useState } from 'react'
import type { CarryOffer, TemplateSummary, TrajectBoard, TrajectInfo } from '@kompasbord/shared'
import { ApiError, fetchTemplates } from '../api'
import { saveBlob } from '../board/export/download'
import { rememberBoard, sameOriginPath } from '../home/recent-boards'
import { readRecentBoards } from '../home/recent-boards'
import { previewImageSource } from '../home/template-preview'
import { browserStorage as localStore, useI18n } from '../i18n'
import { LanguageSwitch } from '../LanguageSwitch'
import { navigate } from '../router'
import { trajectText, type TrajectTextKey } from './strings'
import {
	carryInto,
	createBoardInTraject,
	fetchBoardImage,
	fetchOffers,
	fetchTraject,
	fetchTrajectReport,
	keyFromHash,
	readKnownTrajects,
	rememberTraject,
} from './traject-api'
import './traject.css'

/** The compass's parts in order: the bouwsteen's number ("3-A" → 3); boards without one go last. */
const COMPASS_PARTS = ['0', '1', '2', '3', '4', '5', '6'] as const

function compassPart(bouwsteen: string | null): string {
	return bouwsteen ? bouwsteen.split('-')[0] : 'other'
}

type Loaded = { traject: TrajectInfo; templates: TemplateSummary[] }

/**
 * The traject page (`/t/:trajectId#key=…`): the boards of one municipality along the route of the compass, each
 * with its status, note count and last image; "Volgend bord maken" with what earlier boards offer it; carrying
 * forward into an existing board; the traject report.
 */
export function TrajectPage({ trajectId }: { trajectId: string }) {
	const { language } = useI18n()
	const tt = useCallback(
		(key: TrajectTextKey, params?: Record<string, string | number>) => trajectText(language, key, params),
		[language]
	)
	const key = useMemo(() => {
		const fromHash = keyFromHash(window.location.hash)
		if (fromHash) return fromHash
		const known = readKnownTrajects(localStore()).find((t) => t.trajectId === trajectId)
		return known ? keyFromHash(new URL(known.link).hash) : null
	}, [trajectId])
	const [loaded, setLoaded] = useState<Loaded | null>(null)
	const [error, setError] = useState<string | null>(null)
	const [version, setVersion] = useState(0)
	const [carryTarget, setCarryTarget] = useState<TrajectBoard | null>(null)
	const reload = useCallback(() => setVersion((n) => n + 1), [])

	useEffect(() => {
		if (!key) return
		let live = true
		Promise.all([fetchTraject(trajectId, key, language), fetchTemplates()]).then(
			([traject, templates]) => {
				if (!live) return
				setLoaded({ traject, templates })
				document.title = `${traject.title} · Kompasbord`
				rememberTraject(localStore(), {
					trajectId,
					title: traject.title,
					link: `${window.location.origin}/t/${trajectId}#key=${key}`,
					openedAt: Date.now(),
				})
			},
			(failure: unknown) => {
				if (live) setError(failure instanceof Error ? failure.message : String(failure))
			}
		)
		return () => {
			live = false
		}
	}, [trajectId, key, language, version])

	if (!key) return <Message text={tt('page.noKey')} />
	if (error) return <Message text={tt('page.error', { message: error })} />
	if (!loaded) return <Message text={tt('page.loading')} />

	const { traject, templates } = loaded
	const groups = [...COMPASS_PARTS, 'other'].map((part) => ({
		part,
		boards: traject.boards.filter((board) => compassPart(board.bouwsteen) === part),
	}))
	const download = async (format: 'docx' | 'md') => {
		const file = await fetchTrajectReport(trajectId, key, format, language)
		saveBlob(file.blob, file.fileName)
	}

	return (
		<div className="kb-traject" data-testid="traject-page">
			<header className="kb-traject__header">
				<div>
					<p className="kb-muted">Kompasbord · Traject</p>
					<h1>{traject.title}</h1>
				</div>
				<div className="kb-traject__tools">
					<span className="kb-muted">{tt('page.report')}:</span>
					<button type="button" className="kb-button kb-button--small" onClick={() => void download('docx')}>
						{tt('page.reportDocx')}
					</button>
					<button type="button" className="kb-button kb-button--small" onClick={() => void download('md')}>
						{tt('page.reportMd')}
					</button>
					<LanguageSwitch />
				</div>
			</header>
			<p className="kb-traject__keep" role="note">
				{tt('page.keepLink')}
			</p>
			<main className="kb-traject__main">
				<section aria-labelledby="route-heading">
					<h2 id="route-heading">{tt('page.route')}</h2>
					{traject.boards.length === 0 && <p className="kb-muted">{tt('page.noBoards')}</p>}
					<ol className="kb-route">
						{groups
							.filter((group) => group.boards.length > 0)
							.map((group) => (
								<li key={group.part} className="kb-route__part" data-testid={`route-part-${group.part}`}>
									<h3>{tt(group.part === 'other' ? 'compass.other' : (`compass.${group.part}` as TrajectTextKey))}</h3>
									<ul className="kb-route__boards">
										{group.boards.map((board) => (
											<BoardCard
												key={board.roomId}
												board={board}
												trajectId={trajectId}
												trajectKey={key}
												template={templates.find((t) => t.id === board.templateId)}
												tt={tt}
												onCarry={() => setCarryTarget(board)}
											/>
										))}
									</ul>
								</li>
							))}
					</ol>
				</section>
				<NextBoard trajectId={trajectId} trajectKey={key} traject={traject} templates={templates} tt={tt} />
			</main>
			{carryTarget && (
				<CarryDialog
					trajectId={trajectId}
					trajectKey={key}
					board={carryTarget}
					tt={tt}
					onClose={(changed) => {
						setCarryTarget(null)
						if (changed) reload()
					}}
				/>
			)}
		</div>
	)
}

type Tt = (key: TrajectTextKey, params?: Record<string, string | number>) => string

function Message({ text }: { text: string }) {
	return (
		<div className="kb-full-message" data-testid="page-message">
			<p>{text}</p>
			<a className="kb-button" href="/">
				Kompasbord
			</a>
		</div>
	)
}

function BoardCard(props: {
	board: TrajectBoard
	trajectId: string
	trajectKey: string
	template: TemplateSummary | undefined
	tt: Tt
	onCarry: () => void
}) {
	const { board, trajectId, trajectKey, template, tt, onCarry } = props
	const [image, setImage] = useState<string | null>(null)
	useEffect(() => {
		if (!board.hasSnapshot) return
		let url: string | null = null
		let live = true
		void fetchBoardImage(trajectId, trajectKey, board.roomId).then((src) => {
			url = src
			if (live) setImage(src)
			else if (src) URL.revokeObjectURL(src)
		})
		return () => {
			live = false
			if (url) URL.revokeObjectURL(url)
		}
	}, [board.roomId, board.hasSnapshot, trajectId, trajectKey])
	const preview = image ?? (template ? previewImageSource(null, template) : null)
	const facilitatorLink = readRecentBoards(localStore()).find((b) => b.roomId === board.roomId)?.links.facilitator
	return (
		<li className="kb-route__board" data-testid={`traject-board-${board.roomId}`}>
			<div className="kb-route__preview">
				{preview ? <img src={preview} alt={board.title} /> : null}
				{!image && <span className="kb-route__no-image">{tt('board.noImage')}</span>}
			</div>
			<div className="kb-route__body">
				<strong>{board.title}</strong>
				<span className="kb-muted">
					{board.templateTitle}
					{board.bouwsteen ? ` · ${board.bouwsteen}` : ''}
				</span>
				<span className="kb-route__facts">
					<span className={`kb-chip kb-phase--${board.phase}`}>{tt(`phase.${board.phase}` as TrajectTextKey)}</span>
					<span>{board.notes === 1 ? tt('board.notesOne') : tt('board.notes', { n: board.notes })}</span>
					{board.carried > 0 && <span>{tt('board.carried', { n: board.carried })}</span>}
				</span>
				<span className="kb-route__actions">
					{facilitatorLink && (
						<a className="kb-button kb-button--small" href={facilitatorLink}>
							{tt('board.open')}
						</a>
					)}
					{board.phase !== 'closed' && (
						<button type="button" className="kb-link-button" onClick={onCarry} data-testid="carry-into">
							{tt('board.carry')}
						</button>
					)}
				</span>
			</div>
		</li>
	)
}

/** Which template comes next: the first one in compass order after the traject's last board's. */
function nextTemplate(traject: TrajectInfo, templates: TemplateSummary[]): string {
	const worksheets = templates.filter((t) => t.bouwsteen)
	const used = new Set(traject.boards.map((b) => b.templateId))
	const lastIndex = Math.max(-1, ...traject.boards.map((b) => worksheets.findIndex((t) => t.id === b.templateId)))
	return (
		worksheets.slice(lastIndex + 1).find((t) => !used.has(t.id))?.id ??
		worksheets.find((t) => !used.has(t.id))?.id ??
		worksheets[0]?.id ??
		templates[0]?.id ??
		''
	)
}

function NextBoard(props: {
	trajectId: string
	trajectKey: string
	traject: TrajectInfo
	templates: TemplateSummary[]
	tt: Tt
}) {
	const { trajectId, trajectKey, traject, templates, tt } = props
	const { language } = useI18n()
	const id = useId()
	const [templateId, setTemplateId] = useState(() => nextTemplate(traject, templates))
	const [title, setTitle] = useState('')
	const [offers, setOffers] = useState<CarryOffer[] | null>(null)
	const [ticked, setTicked] = useState<Set<string>>(new Set())
	const [busy, setBusy] = useState(false)
	const [failure, setFailure] = useState<string | null>(null)

	useEffect(() => {
		let live = true
		setOffers(null)
		fetchOffers(trajectId, trajectKey, { templateId }, language).then(
			(answer) => {
				if (!live) return
				setOffers(answer.offers)
				setTicked(new Set(answer.offers.flatMap((offer) => defaultTicks(offer))))
			},
			(error: unknown) => live && setFailure(error instanceof Error ? error.message : String(error))
		)
		return () => {
			live = false
		}
	}, [trajectId, trajectKey, templateId, language])

	const submit = async (event: FormEvent) => {
		event.preventDefault()
		if (busy) return
		setBusy(true)
		setFailure(null)
		try {
			const template = templates.find((t) => t.id === templateId)
			const room = await createBoardInTraject(trajectId, trajectKey, {
				templateId,
				title: title.trim() || undefined,
				locale: language,
				carry: [...ticked],
			})
			rememberBoard(localStore(), {
				roomId: room.roomId,
				title: title.trim() || template?.title[language] || templateId,
				templateId,
				joinCode: room.joinCode,
				links: room.links,
				createdAt: Date.now(),
			})
			const path = sameOriginPath(room.links.facilitator, window.location.origin)
			if (path) navigate(path)
			else window.location.assign(room.links.facilitator)
		} catch (error) {
			setFailure(error instanceof ApiError ? error.message : String(error))
			setBusy(false)
		}
	}

	return (
		<section className="kb-next" aria-labelledby={`${id}-heading`} data-testid="next-board">
			<h2 id={`${id}-heading`}>{tt('next.heading')}</h2>
			<form onSubmit={submit}>
				<div className="kb-field">
					<label htmlFor={`${id}-template`}>{tt('next.template')}</label>
					<select
						id={`${id}-template`}
						data-testid="next-template"
						value={templateId}
						onChange={(e) => setTemplateId(e.target.value)}
					>
						{templates.map((t) => (
							<option key={t.id} value={t.id}>
								{t.bouwsteen ? `${t.bouwsteen} · ` : ''}
								{t.title[language]}
							</option>
						))}
					</select>
				</div>
				<div className="kb-field">
					<label htmlFor={`${id}-title`}>{tt('next.title')}</label>
					<input
						id={`${id}-title`}
						type="text"
						maxLength={120}
						value={title}
						onChange={(e) => setTitle(e.target.value)}
						data-testid="next-title"
					/>
				</div>
				<OfferList offers={offers} ticked={ticked} setTicked={setTicked} tt={tt} />
				<div className="kb-actions">
					<button type="submit" className="kb-button kb-button--primary" disabled={busy} data-testid="next-create">
						{busy ? tt('next.creating') : tt('next.create')}
					</button>
					{failure && (
						<p className="kb-error" role="alert">
							{tt('next.error', { message: failure })}
						</p>
					)}
				</div>
			</form>
		</section>
	)
}

/** Every item is ticked at first, except result columns beyond the fourth. */
function defaultTicks(offer: CarryOffer): string[] {
	return (offer.columns ? offer.items.slice(0, 4) : offer.items).map((item) => item.id)
}

function OfferList(props: {
	offers: CarryOffer[] | null
	ticked: Set<string>
	setTicked: (next: Set<string>) => void
	tt: Tt
}) {
	const { offers, ticked, setTicked, tt } = props
	if (!offers) return null
	return (
		<fieldset className="kb-offers" data-testid="carry-offers">
			<legend>{tt('carry.heading')}</legend>
			{offers.length === 0 && <p className="kb-muted">{tt('carry.none')}</p>}
			{offers.map((offer) => (
				<div key={offer.into} className="kb-offers__group">
					<p className="kb-offers__label">
						<strong>{offer.label}</strong>
						{offer.columns && <span className="kb-muted"> — {tt('carry.columns')}</span>}
					</p>
					{offer.items.length === 0 && <p className="kb-muted">{tt('carry.empty')}</p>}
					<ul>
						{offer.items.map((item) => (
							<li key={item.id}>
								<label>
									<input
										type="checkbox"
										checked={ticked.has(item.id)}
										onChange={(e) => {
											const next = new Set(ticked)
											if (e.target.checked) next.add(item.id)
											else next.delete(item.id)
											setTicked(next)
										}}
									/>
									<span className="kb-offers__text">{item.text}</span>
									<span className="kb-muted">
										{' '}
										· {item.votes === 1 ? tt('carry.votesOne') : tt('carry.votes', { n: item.votes })} ·{' '}
										{tt('carry.from', { title: item.sourceTitle })}
									</span>
								</label>
							</li>
						))}
					</ul>
				</div>
			))}
		</fieldset>
	)
}

function CarryDialog(props: {
	trajectId: string
	trajectKey: string
	board: TrajectBoard
	tt: Tt
	onClose: (changed: boolean) => void
}) {
	const { trajectId, trajectKey, board, tt, onClose } = props
	const { language } = useI18n()
	const [offers, setOffers] = useState<CarryOffer[] | null>(null)
	const [ticked, setTicked] = useState<Set<string>>(new Set())
	const [state, setState] = useState<{ kind: 'idle' | 'busy' | 'done' | 'error'; text?: string }>({ kind: 'idle' })
	const [carried, setCarried] = useState(false)

	const load = useCallback(() => {
		fetchOffers(trajectId, trajectKey, { roomId: board.roomId }, language).then(
			(answer) => {
				setOffers(answer.offers)
				setTicked(new Set(answer.offers.flatMap((offer) => offer.items.map((item) => item.id))))
			},
			(error: unknown) => setState({ kind: 'error', text: error instanceof Error ? error.message : String(error) })
		)
	}, [trajectId, trajectKey, board.roomId, language])
	useEffect(load, [load])

	const apply = async () => {
		setState({ kind: 'busy' })
		try {
			const answer = await carryInto(trajectId, trajectKey, board.roomId, [...ticked])
			setCarried(true)
			setState({ kind: 'done', text: tt('carry.done', { n: answer.carried }) })
			load()
		} catch (error) {
			setState({ kind: 'error', text: error instanceof Error ? error.message : String(error) })
		}
	}

	return (
		<div className="kb-dialog-backdrop">
			<div className="kb-dialog" role="dialog" aria-modal="true" aria-label={board.title} data-testid="carry-dialog">
				<h2>{board.title}</h2>
				<OfferList offers={offers} ticked={ticked} setTicked={setTicked} tt={tt} />
				<div className="kb-actions">
					<button
						type="button"
						className="kb-button kb-button--primary"
						disabled={state.kind === 'busy' || ticked.size === 0}
						onClick={() => void apply()}
						data-testid="carry-apply"
					>
						{state.kind === 'busy' ? tt('carry.applying') : tt('carry.apply')}
					</button>
					<button type="button" className="kb-button" onClick={() => onClose(carried)}>
						{tt('carry.cancel')}
					</button>
				</div>
				{state.text && (
					<p className={state.kind === 'error' ? 'kb-error' : 'kb-muted'} role="status">
						{state.text}
					</p>
				)}
			</div>
		</div>
	)
}
