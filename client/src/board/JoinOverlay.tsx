import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import type { JoinInfo } from '@kompasbord/shared'
import { api } from '../api'
import { qrPath, spacedCode } from './join-qr'
import './join-overlay.css'

/** Languages of the overlay (the board's). */
export type JoinOverlayLocale = 'nl' | 'en'

const STRINGS = {
	nl: {
		button: 'Meedoen met telefoon',
		title: 'Doe mee met je telefoon',
		scan: 'Scan de QR-code met de camera van je telefoon',
		orType: 'of ga naar',
		andType: 'en typ de code',
		code: 'Code',
		close: 'Sluiten',
		loading: 'Link ophalen…',
		failed: 'De link kon niet worden opgehaald. Controleer de verbinding met de server.',
		qrLabel: (url: string) => `QR-code met de link ${url}`,
		viewLink: 'Meekijklink (alleen kijken, bijvoorbeeld voor wie op afstand volgt)',
		passphrase: 'Met wachtwoord: de facilitator vertelt het je',
		validUntil: (when: string) => `Code geldig tot ${when}`,
		expired: 'Deze code is verlopen',
	},
	en: {
		button: 'Join by phone',
		title: 'Join with your phone',
		scan: "Scan the QR code with your phone's camera",
		orType: 'or go to',
		andType: 'and type the code',
		code: 'Code',
		close: 'Close',
		loading: 'Getting the link…',
		failed: 'Could not get the link. Check the connection to the server.',
		qrLabel: (url: string) => `QR code with the link ${url}`,
		viewLink: 'View link (watching only, e.g. for those following from afar)',
		passphrase: 'With a passphrase: the facilitator tells you',
		validUntil: (when: string) => `Code valid until ${when}`,
		expired: 'This code has expired',
	},
} as const

/** When a join code expires, in words: the time today ("23:59"), else the date and time. */
export function expiryText(at: number, locale: JoinOverlayLocale, now = new Date()): string {
	const when = new Date(at)
	const tag = locale === 'nl' ? 'nl-NL' : 'en-GB'
	const time = when.toLocaleTimeString(tag, { hour: '2-digit', minute: '2-digit' })
	if (when.toDateString() === now.toDateString()) return time
	return `${when.toLocaleDateString(tag, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`
}

/** Fetches what the overlay shows. */
export function fetchJoinInfo(roomId: string, facilitatorKey: string, apiBase = ''): Promise<JoinInfo> {
	return api('joinInfo', { params: { roomId } }, { baseUrl: apiBase, key: facilitatorKey })
}

/** Props of {@link JoinOverlay}. */
export interface JoinOverlayProps {
	roomId: string
	/** The facilitator's key: the join code and the view link are for the facilitator to hand out. */
	facilitatorKey: string
	onClose(): void
	locale?: JoinOverlayLocale
	/** The server's origin; default this page's. */
	apiBase?: string
}

/**
 * The projector's join screen (facilitator only): a large QR code of the room's join link — drawn locally,
 * with an address phones on the venue network can reach (the server picks it: `PUBLIC_URL`, else a LAN
 * address) — and the 6-character code to type at `<base>/j`. A modal dialog; Escape or the button closes it.
 */
export function JoinOverlay({ roomId, facilitatorKey, onClose, locale = 'nl', apiBase }: JoinOverlayProps) {
	const s = STRINGS[locale]
	const [info, setInfo] = useState<JoinInfo | null>(null)
	const [failed, setFailed] = useState(false)
	const titleId = useId()
	const closeRef = useRef<HTMLButtonElement>(null)

	useEffect(() => {
		let live = true
		fetchJoinInfo(roomId, facilitatorKey, apiBase).then(
			(answer) => live && setInfo(answer),
			() => live && setFailed(true)
		)
		return () => {
			live = false
		}
	}, [roomId, facilitatorKey, apiBase])

	useEffect(() => {
		const previous = document.activeElement as HTMLElement | null
		closeRef.current?.focus()
		const onKey = (event: KeyboardEvent) => {
			if (event.key === 'Escape') {
				event.stopPropagation()
				onClose()
			}
		}
		window.addEventListener('keydown', onKey, true)
		return () => {
			window.removeEventListener('keydown', onKey, true)
			previous?.focus?.()
		}
	}, [onClose])

	const qr = useMemo(() => (info ? qrPath(info.joinUrl) : null), [info])
	const typeAt = info ? (info.joinBaseUrl ?? info.joinUrl.replace(/\/j\/[^/]+$/, '/j')).replace(/^https?:\/\//, '') : ''
	const quiet = 4

	// Rendered into the page's body, above everything: tldraw's toolbars and the facilitator's panels live in
	// stacking contexts of their own and would otherwise cover the QR code.
	return createPortal(
		<div className="kb-join-backdrop" onPointerDown={(event) => event.target === event.currentTarget && onClose()}>
			<div className="kb-join" role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid="join-overlay">
				<h2 id={titleId} className="kb-join-title">
					{s.title}
				</h2>
				{failed && <p role="alert">{s.failed}</p>}
				{!failed && !info && <p>{s.loading}</p>}
				{info && qr && (
					<div className="kb-join-body">
						<figure className="kb-join-qr">
							<svg
								viewBox={`${-quiet} ${-quiet} ${qr.size + 2 * quiet} ${qr.size + 2 * quiet}`}
								role="img"
								aria-label={s.qrLabel(info.joinUrl)}
								shapeRendering="crispEdges"
								data-join-url={info.joinUrl}
							>
								<rect x={-quiet} y={-quiet} width={qr.size + 2 * quiet} height={qr.size + 2 * quiet} fill="#fff" />
								<path d={qr.d} fill="#000" />
							</svg>
							<figcaption>{s.scan}</figcaption>
						</figure>
						<div className="kb-join-code-box">
							<p className="kb-join-or">
								{s.orType} <strong className="kb-join-url">{typeAt}</strong> {s.andType}
							</p>
							<p
								className="kb-join-code"
								aria-label={`${s.code} ${info.joinCode.split('').join(' ')}`}
								data-join-code={info.joinCode}
							>
								{spacedCode(info.joinCode)}
							</p>
							{info.passphrase && (
								<p className="kb-join-passphrase" data-testid="join-passphrase-hint">
									{s.passphrase}
								</p>
							)}
							{info.joinCodeExpiresAt !== null && (
								<p className="kb-join-expiry" data-testid="join-expiry">
									{info.joinCodeExpiresAt <= Date.now()
										? s.expired
										: s.validUntil(expiryText(info.joinCodeExpiresAt, locale))}
								</p>
							)}
						</div>
					</div>
				)}
				{info?.viewUrl && (
					<p className="kb-join-view">
						{s.viewLink}:{' '}
						<a href={info.viewUrl} target="_blank" rel="noreferrer" data-testid="view-link">
							{info.viewUrl.replace(/#.*$/, '#view=…')}
						</a>
					</p>
				)}
				<button ref={closeRef} type="button" className="kb-join-close" onClick={onClose}>
					{s.close}
				</button>
			</div>
		</div>,
		document.body
	)
}

/** Props of {@link JoinButton}. */
export interface JoinButtonProps {
	roomId: string
	facilitatorKey: string
	locale?: JoinOverlayLocale
	apiBase?: string
	className?: string
}

/** A toolbar button that opens the {@link JoinOverlay}; put it in the facilitator's toolbar. */
export function JoinButton({ roomId, facilitatorKey, locale = 'nl', apiBase, className }: JoinButtonProps) {
	const [open, setOpen] = useState(false)
	return (
		<>
			<button
				type="button"
				className={className ?? 'kb-join-button'}
				onClick={() => setOpen(true)}
				aria-haspopup="dialog"
				data-testid="join-button"
			>
				{STRINGS[locale].button}
			</button>
			{open && (
				<JoinOverlay
					roomId={roomId}
					facilitatorKey={facilitatorKey}
					locale={locale}
					apiBase={apiBase}
					onClose={() => setOpen(false)}
				/>
			)}
		</>
	)
}
