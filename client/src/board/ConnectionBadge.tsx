import { useSyncExternalStore } from 'react'
import { useI18n } from '../i18n'
import type { ConnectionTracker } from './connection-state'

/**
 * The connection state, always visible: "Verbonden", "Opnieuw verbinden…" or "Offline — N wijzigingen niet
 * verzonden" (local changes made while not synced; they are sent when the connection is back).
 * `data-state` and `data-unsent` carry the same for tests.
 */
export function ConnectionBadge({ tracker }: { tracker: ConnectionTracker }) {
	const { t } = useI18n()
	const { phase, unsent } = useSyncExternalStore(tracker.subscribe, tracker.getSnapshot, tracker.getSnapshot)
	const text =
		phase === 'connected'
			? t('connection.connected')
			: phase === 'connecting'
				? t('connection.connecting')
				: phase === 'reconnecting'
					? t('connection.reconnecting')
					: unsent === 1
						? t('connection.offline.one')
						: t('connection.offline.many', { n: unsent })
	return (
		<span
			className={`kb-connection kb-connection--${phase}`}
			data-testid="connection-state"
			data-state={phase}
			data-unsent={unsent}
			role="status"
			aria-live="polite"
		>
			<span className="kb-connection__dot" aria-hidden="true" />
			{text}
		</span>
	)
}
