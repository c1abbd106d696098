import { useCallback, useEffect, useId, useState, type FormEvent, type MouseEvent } from 'react'
import type { TemplateSummary } from '@kompasbord/shared'
import { ApiError, createRoom, fetchClientConfig, fetchTemplates } from '../api'
import { LanguageSwitch } from '../LanguageSwitch'
import { browserStorage as localStore, useI18n, type I18n } from '../i18n'
import { navigate } from '../router'
import { StartTraject } from '../traject/StartTraject'
import { forgetBoard, readRecentBoards, rememberBoard, sameOriginPath, type RecentBoard } from './recent-boards'
import { hasReadyPreview, loadTemplatePreview, previewImageSource, type TemplatePreviewFn } from './template-preview'
import { retentionText } from '../retention'

/** Template whose result columns are chosen at creation (1–4). */
const MATRIX_TEMPLATE_ID = 'activiteitenmatrix'

type TemplatesState =
	| { status: 'loading' }
	| { status: 'error'; message: string }
	| { status: 'ready'; templates: TemplateSummary[] }

/**
 * The home page: pick a worksheet template, give the session a title, "Bord maken" creates the room and opens it
 * as facilitator. Boards made earlier on this device are listed with their participant, phone and view links.
 */
export function HomePage() {
	const i18n = useI18n()
	const { t, language } = i18n
	const [templates, setTemplates] = useState<TemplatesState>({ status: 'loading' })
	const [selected, setSelected] = useState<string | null>(null)
	const [title, setTitle] = useState('')
	const [columns, setColumns] = useState(4)
	const [creating, setCreating] = useState(false)
	const [createError, setCreateError] = useState<string | null>(null)
	const [recent, setRecent] = useState<RecentBoard[]>(() => readRecentBoards(localStore()))
	const [preview, setPreview] = useState<TemplatePreviewFn | null>(null)
	const [attempt, setAttempt] = useState(0)
	const [retentionMs, setRetentionMs] = useState<number | null | undefined>(undefined)
	const titleId = useId()
	const columnsId = useId()

	useEffect(() => {
		document.title = t('app.name')
	}, [t])

	useEffect(() => {
		const abort = new AbortController()
		fetchClientConfig(abort.signal).then(
			(config) => setRetentionMs(config.retentionMs),
			() => undefined
		)
		return () => abort.abort()
	}, [])

	useEffect(() => {
		const abort = new AbortController()
		setTemplates({ status: 'loading' })
		fetchTemplates(abort.signal).then(
			(list) => {
				setTemplates({ status: 'ready', templates: list })
				setSelected((current) => current ?? list[0]?.id ?? null)
			},
			(error: unknown) => {
				if (!abort.signal.aborted) setTemplates({ status: 'error', message: String(error) })
			}
		)
		return () => abort.abort()
	}, [attempt])

	const needsPreviewCode = templates.status === 'ready' && templates.templates.some((x) => !hasReadyPreview(x))
	useEffect(() => {
		if (!needsPreviewCode) return
		let live = true
		void loadTemplatePreview().then((fn) => {
			if (live && fn) setPreview(() => fn)
		})
		return () => {
			live = false
		}
	}, [needsPreviewCode])

	const onSubmit = useCallback(
		async (event: FormEvent) => {
			event.preventDefault()
			if (!selected || creating) return
			setCreating(true)
			setCreateError(null)
			try {
				const room = await createRoom({
					templateId: selected,
					title: title.trim() || undefined,
					columns: selected === MATRIX_TEMPLATE_ID ? columns : undefined,
					locale: language,
				})
				const template = templates.status === 'ready' ? templates.templates.find((x) => x.id === selected) : undefined
				rememberBoard(localStore(), {
					roomId: room.roomId,
					title: title.trim() || template?.title[language] || selected,
					templateId: selected,
					joinCode: room.joinCode,
					links: room.links,
					createdAt: Date.now(),
				})
				const path = sameOriginPath(room.links.facilitator, window.location.origin)
				if (path) navigate(path)
				else window.location.assign(room.links.facilitator)
			} catch (error) {
				setCreateError(error instanceof ApiError ? error.message : String(error))
				setCreating(false)
			}
		},
		[selected, creating, title, columns, language, templates]
	)

	const selectedTemplate = templates.status === 'ready' ? templates.templates.find((x) => x.id === selected) : undefined

	return (
		<div className="kb-home">
			<header className="kb-home__header">
				<div className="kb-brand">
					<img src="/favicon.svg" alt="" width={36} height={36} />
					<span>{t('app.name')}</span>
				</div>
				<LanguageSwitch />
			</header>
			<main className="kb-home__main">
				<p className="kb-home__tagline">{t('app.tagline')}</p>
				<form className="kb-create" onSubmit={onSubmit}>
					<section aria-labelledby={`${titleId}-templates`}>
						<h2 id={`${titleId}-templates`}>{t('home.chooseTemplate')}</h2>
						{templates.status === 'loading' && <p className="kb-muted">{t('home.templatesLoading')}</p>}
						{templates.status === 'error' && (
							<p className="kb-error" role="alert">
								{t('home.templatesError')}{' '}
								<button type="button" className="kb-link-button" onClick={() => setAttempt((n) => n + 1)}>
									{t('home.retry')}
								</button>
							</p>
						)}
						{templates.status === 'ready' && (
							<div className="kb-template-grid" role="radiogroup" aria-labelledby={`${titleId}-templates`}>
								{templates.templates.map((template) => (
									<TemplateCard
										key={template.id}
										template={template}
										selected={template.id === selected}
										onSelect={() => setSelected(template.id)}
										i18n={i18n}
										previewSrc={previewImageSource(preview, template)}
									/>
								))}
							</div>
						)}
					</section>

					<div className="kb-field">
						<label htmlFor={titleId}>{t('home.title')}</label>
						<input
							id={titleId}
							data-testid="title-input"
							type="text"
							maxLength={120}
							value={title}
							placeholder={t('home.titlePlaceholder')}
							onChange={(e) => setTitle(e.target.value)}
							aria-describedby={`${titleId}-hint`}
						/>
						<small id={`${titleId}-hint`} className="kb-muted">
							{t('home.titleHint')}
						</small>
					</div>

					{selectedTemplate?.id === MATRIX_TEMPLATE_ID && (
						<div className="kb-field kb-field--inline">
							<label htmlFor={columnsId}>{t('home.columns')}</label>
							<select
								id={columnsId}
								data-testid="columns-select"
								value={columns}
								onChange={(e) => setColumns(Number(e.target.value))}
							>
								{[1, 2, 3, 4].map((n) => (
									<option key={n} value={n}>
										{n}
									</option>
								))}
							</select>
						</div>
					)}

					<div className="kb-actions">
						<button
							type="submit"
							className="kb-button kb-button--primary"
							data-testid="create-board"
							disabled={!selected || creating}
						>
							{creating ? t('home.creating') : t('home.create')}
						</button>
						{createError && (
							<p className="kb-error" role="alert" data-testid="create-error">
								{t('home.createError', { message: createError })}
							</p>
						)}
					</div>
				</form>

				<StartTraject />

				{recent.length > 0 && (
					<section className="kb-recent" aria-labelledby={`${titleId}-recent`} data-testid="recent-boards">
						<h2 id={`${titleId}-recent`}>{t('home.recent')}</h2>
						<p className="kb-muted">{t('home.recentHint')}</p>
						<ul>
							{recent.map((board) => (
								<RecentBoardItem
									key={board.roomId}
									board={board}
									i18n={i18n}
									onForget={() => setRecent(forgetBoard(localStore(), board.roomId))}
								/>
							))}
						</ul>
					</section>
				)}
				<section className="kb-home__keeping" data-testid="home-keeping">
					{retentionMs !== undefined && (
						<p className="kb-muted" data-testid="home-retention">
							{retentionText(retentionMs, language)}
						</p>
					)}
					<p className="kb-muted" data-testid="home-recover">
						{t('home.recoverHint')}
					</p>
				</section>
			</main>
		</div>
	)
}

function TemplateCard(props: {
	template: TemplateSummary
	selected: boolean
	onSelect: () => void
	i18n: I18n
	previewSrc: string | null
}) {
	const { template, selected, onSelect, i18n, previewSrc } = props
	const { t, language } = i18n
	const zoneCount = template.zones.length
	return (
		<button
			type="button"
			role="radio"
			aria-checked={selected}
			className={`kb-template-card${selected ? ' kb-template-card--selected' : ''}`}
			data-testid={`template-card-${template.id}`}
			onClick={onSelect}
		>
			<span className="kb-template-card__preview" aria-hidden="true">
				{previewSrc ? <img src={previewSrc} alt="" /> : null}
			</span>
			<span className="kb-template-card__title">{template.title[language] || template.title.nl}</span>
			<span className="kb-template-card__meta">
				{template.bouwsteen ? <span className="kb-chip">{t('home.bouwsteen', { n: template.bouwsteen })}</span> : null}
				<span className="kb-muted">{zoneCount === 1 ? t('home.zone') : t('home.zones', { n: zoneCount })}</span>
			</span>
			{selected && <span className="kb-template-card__check">{t('home.selected')}</span>}
		</button>
	)
}

function RecentBoardItem(props: { board: RecentBoard; i18n: I18n; onForget: () => void }) {
	const { board, i18n, onForget } = props
	const { t, language } = i18n
	const open = (event: MouseEvent) => {
		const path = sameOriginPath(board.links.facilitator, window.location.origin)
		if (!path) return
		event.preventDefault()
		navigate(path)
	}
	return (
		<li className="kb-recent__item" data-testid={`recent-board-${board.roomId}`}>
			<div className="kb-recent__head">
				<strong>{board.title}</strong>
				<span className="kb-muted">
					{t('home.createdAt', {
						date: new Date(board.createdAt).toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', {
							dateStyle: 'medium',
							timeStyle: 'short',
						}),
					})}
				</span>
			</div>
			<div className="kb-recent__links">
				<a className="kb-button kb-button--small" href={board.links.facilitator} onClick={open}>
					{t('home.openFacilitator')}
				</a>
				<CopyLink label={t('home.participantLink')} url={board.links.board} i18n={i18n} testId="participant-link" />
				<CopyLink
					label={`${t('home.joinLink')} · ${t('home.joinCode')} ${board.joinCode}`}
					url={board.links.join}
					i18n={i18n}
					testId="join-link"
				/>
				<CopyLink label={t('home.viewLink')} url={board.links.view} i18n={i18n} testId="view-link" />
				<button type="button" className="kb-link-button" onClick={onForget}>
					{t('home.forget')}
				</button>
			</div>
		</li>
	)
}

function CopyLink(props: { label: string; url: string; i18n: I18n; testId: string }) {
	const { label, url, i18n, testId } = props
	const [copied, setCopied] = useState(false)
	useEffect(() => {
		if (!copied) return
		const timer = setTimeout(() => setCopied(false), 1500)
		return () => clearTimeout(timer)
	}, [copied])
	const copy = async () => {
		try {
			await navigator.clipboard.writeText(url)
			setCopied(true)
		} catch {
			// Clipboard needs https or localhost; the link stays visible to copy by hand.
		}
	}
	return (
		<div className="kb-copy-link">
			<span className="kb-copy-link__label">{label}</span>
			<a href={url} data-testid={testId} className="kb-copy-link__url">
				{url}
			</a>
			{typeof navigator !== 'undefined' && navigator.clipboard ? (
				<button type="button" className="kb-link-button" onClick={copy}>
					{copied ? i18n.t('home.copied') : i18n.t('home.copy')}
				</button>
			) : null}
		</div>
	)
}
