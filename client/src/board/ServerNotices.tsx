import { useEffect, useRef, useState } from 'react'
import type { Awareness } from 'y-protocols/awareness'
import { useI18n } from '../i18n'
import { noticesFor, type ServerNotice } from './server-notices'

/** How long a notice stays up. */
const NOTICE_MS = 6000

/** Shows why the server reverted one of this board's changes (structure locked, session closed, …). */
export function ServerNotices({ awareness }: { awareness: Awareness }) {
	const { t } = useI18n()
	const [notices, setNotices] = useState<ServerNotice[]>([])
	const seen = useRef(new Map<number, number>())

	useEffect(() => {
		const timers = new Set<ReturnType<typeof setTimeout>>()
		const onChange = () => {
			const fresh = noticesFor(awareness.getStates(), awareness.clientID, seen.current)
			if (!fresh.length) return
			setNotices((list) => [...list, ...fresh].slice(-3))
			for (const notice of fresh) {
				const timer = setTimeout(() => {
					timers.delete(timer)
					setNotices((list) => list.filter((n) => n.key !== notice.key))
				}, NOTICE_MS)
				timers.add(timer)
			}
		}
		awareness.on('change', onChange)
		return () => {
			awareness.off('change', onChange)
			for (const timer of timers) clearTimeout(timer)
		}
	}, [awareness])

	if (!notices.length) return null
	return (
		<div className="kb-notices" role="status" aria-live="polite">
			{notices.map((notice) => (
				<div key={notice.key} className="kb-notice" data-testid="server-notice" data-reasons={notice.reasons.join(' ')}>
					<span>{[...new Set(notice.reasons)].map((r) => t(`notice.${r}`)).join(' ')}</span>
					<button
						type="button"
						className="kb-link-button"
						onClick={() => setNotices((list) => list.filter((n) => n.key !== notice.key))}
					>
						{t('notice.dismiss')}
					</button>
				</div>
			))}
		</div>
	)
}
