import { useEffect, useState } from 'react'
import { ApiError, deleteRoom, fetchClientConfig } from '../../api'
import { forgetBoard } from '../../home/recent-boards'
import { retentionText } from '../../retention'
import { useSessionContext } from './session-context'
import { errorText } from './strings'

/**
 * The end of the facilitator's Sessie panel: how long the board is kept (`RETENTION`), and **Bord verwijderen**
 * with a confirmation — `DELETE /api/rooms/:roomId` deletes the board and everything in it on the server; this
 * browser forgets it and goes to the home page.
 */
export function DeleteBoard() {
	const { roomId, facilitatorKey, t, language } = useSessionContext()
	const [retentionMs, setRetentionMs] = useState<number | null | undefined>(undefined)
	const [confirming, setConfirming] = useState(false)
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)

	useEffect(() => {
		const abort = new AbortController()
		fetchClientConfig(abort.signal).then(
			(config) => setRetentionMs(config.retentionMs),
			() => undefined
		)
		return () => abort.abort()
	}, [])

	const remove = async () => {
		setBusy(true)
		setError(null)
		try {
			await deleteRoom(roomId, facilitatorKey ?? '')
			try {
				forgetBoard(localStorage, roomId)
			} catch {
				// Nothing remembered here.
			}
			window.location.assign('/')
		} catch (e) {
			setBusy(false)
			setError(e instanceof ApiError ? errorText(language, e.code, e.message) : String(e))
		}
	}

	return (
		<div className="kb-delete-board">
			{retentionMs !== undefined && (
				<p className="kb-muted" data-testid="retention-note">
					{retentionText(retentionMs, language)}
				</p>
			)}
			{!confirming ? (
				<button
					type="button"
					className="kb-danger"
					data-testid="delete-board"
					disabled={busy}
					onClick={() => setConfirming(true)}
				>
					{t('board.delete')}
				</button>
			) : (
				<div className="kb-confirm" role="alertdialog" aria-label={t('board.delete')}>
					<p>{t('board.deleteConfirm')}</p>
					<button
						type="button"
						className="kb-danger"
						data-testid="delete-board-confirm"
						disabled={busy}
						onClick={() => void remove()}
					>
						{t('board.deleteYes')}
					</button>
					<button type="button" disabled={busy} onClick={() => setConfirming(false)}>
						{t('action.cancel')}
					</button>
				</div>
			)}
			{error && (
				<p className="kb-session-error" role="alert">
					{error}
				</p>
			)}
		</div>
	)
}
