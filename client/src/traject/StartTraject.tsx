import { type FormEvent, useId, useState } from 'react'
import { browserStorage as localStore, useI18n } from '../i18n'
import { navigate } from '../router'
import { trajectText } from './strings'
import { createTraject, type KnownTraject, readKnownTrajects, rememberTraject } from './traject-api'

/**
 * The home page's traject part: "Traject starten" (a title, then the traject page opens with its key in the
 * link) and the trajects opened on this device.
 */
export function StartTraject() {
	const { language } = useI18n()
	const id = useId()
	const [title, setTitle] = useState('')
	const [busy, setBusy] = useState(false)
	const [failure, setFailure] = useState<string | null>(null)
	const [known] = useState<KnownTraject[]>(() => readKnownTrajects(localStore()))
	const tt = (key: Parameters<typeof trajectText>[1], params?: Record<string, string | number>) =>
		trajectText(language, key, params)

	const submit = async (event: FormEvent) => {
		event.preventDefault()
		if (busy || !title.trim()) return
		setBusy(true)
		setFailure(null)
		try {
			const created = await createTraject(title.trim())
			rememberTraject(localStore(), {
				trajectId: created.trajectId,
				title: title.trim(),
				link: created.links.traject,
				openedAt: Date.now(),
			})
			const url = new URL(created.links.traject)
			if (url.origin === window.location.origin) navigate(url.pathname + url.hash)
			else window.location.assign(created.links.traject)
		} catch (error) {
			setFailure(error instanceof Error ? error.message : String(error))
			setBusy(false)
		}
	}

	return (
		<section className="kb-recent" aria-labelledby={`${id}-heading`} data-testid="start-traject">
			<h2 id={`${id}-heading`}>{tt('start.heading')}</h2>
			<p className="kb-muted">{tt('start.intro')}</p>
			<form onSubmit={submit} className="kb-field kb-field--inline">
				<label htmlFor={`${id}-title`}>{tt('start.title')}</label>
				<input
					id={`${id}-title`}
					type="text"
					maxLength={120}
					required
					value={title}
					placeholder={tt('start.titlePlaceholder')}
					onChange={(e) => setTitle(e.target.value)}
					data-testid="traject-title"
				/>
				<button type="submit" className="kb-button kb-button--primary" disabled={busy} data-testid="traject-create">
					{busy ? tt('start.creating') : tt('start.create')}
				</button>
			</form>
			{failure && (
				<p className="kb-error" role="alert">
					{tt('start.error', { message: failure })}
				</p>
			)}
			{known.length > 0 && (
				<>
					<h3>{tt('recent.heading')}</h3>
					<ul className="kb-known-trajects">
						{known.map((traject) => (
							<li key={traject.trajectId}>
								<a href={traject.link}>{traject.title}</a>
							</li>
						))}
					</ul>
				</>
			)}
		</section>
	)
}
