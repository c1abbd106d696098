import { useId, useState } from 'react'
import { useI18n, type MessageKey } from '../i18n'

/** The message for a failed join (the API's error code, or `other_room`). */
function joinErrorKey(code: string): MessageKey {
	switch (code) {
		case 'join_code_not_found':
			return 'board.join.unknown'
		case 'other_room':
			return 'board.join.otherRoom'
		case 'session_closed':
			return 'board.join.closed'
		case 'rate_limited':
		case 'room_full':
			return 'board.join.limited'
		default:
			return 'board.join.failed'
	}
}

/**
 * A laptop participant's way onto a board they have not joined yet (no participant token for the room in this
 * browser, and no `#code=` in the link): the join code from the projector, as on the phone page.
 */
export function BoardJoinScreen({
	busy,
	error,
	onJoin,
}: {
	busy: boolean
	error: string | null
	onJoin(code: string): void
}) {
	const { t } = useI18n()
	const [code, setCode] = useState('')
	const inputId = useId()
	return (
		<div className="kb-full-message" data-testid="board-join">
			<h1>{t('board.join.title')}</h1>
			<form
				className="kb-actions"
				onSubmit={(event) => {
					event.preventDefault()
					const typed = code.toUpperCase().replace(/[\s-]/g, '')
					if (typed) onJoin(typed)
				}}
			>
				<label htmlFor={inputId}>{t('board.join.intro')}</label>
				<input
					id={inputId}
					className="kb-input"
					value={code}
					onChange={(event) => setCode(event.target.value)}
					autoComplete="off"
					autoCapitalize="characters"
					spellCheck={false}
					maxLength={9}
					aria-label={t('board.join.code')}
					data-testid="board-join-code"
				/>
				<button type="submit" className="kb-button kb-button--primary" disabled={busy} data-testid="board-join-submit">
					{busy ? t('board.join.busy') : t('board.join.button')}
				</button>
			</form>
			{error && (
				<p role="alert" data-testid="board-join-error">
					{t(joinErrorKey(error))}
				</p>
			)}
		</div>
	)
}
