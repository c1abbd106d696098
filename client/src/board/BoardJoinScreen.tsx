import { useEffect, useId, useRef, useState } from 'react'
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
		case 'join_code_expired':
			return 'board.join.expired'
		case 'wrong_passphrase':
			return 'board.join.wrongPassphrase'
		case 'rate_limited':
		case 'room_full':
			return 'board.join.limited'
		default:
			return 'board.join.failed'
	}
}

/**
 * A laptop participant's way onto a board they have not joined yet (no participant token for the room in this
 * browser, and no `#code=` in the link): the join code from the projector, as on the phone page — and the room's
 * passphrase once the server asked for it (`needsPassphrase`), with the code kept.
 */
export function BoardJoinScreen({
	busy,
	error,
	code: lastCode = '',
	needsPassphrase = false,
	onJoin,
}: {
	busy: boolean
	error: string | null
	/** The code of the last attempt (kept while the passphrase is asked for). */
	code?: string
	needsPassphrase?: boolean
	onJoin(code: string, passphrase?: string): void
}) {
	const { t } = useI18n()
	const [code, setCode] = useState(lastCode)
	const [passphrase, setPassphrase] = useState('')
	const inputId = useId()
	const passphraseId = useId()
	const passphraseRef = useRef<HTMLInputElement>(null)
	useEffect(() => {
		if (lastCode) setCode(lastCode)
	}, [lastCode])
	useEffect(() => {
		if (needsPassphrase) passphraseRef.current?.focus()
	}, [needsPassphrase])
	return (
		<div className="kb-full-message" data-testid="board-join">
			<h1>{t('board.join.title')}</h1>
			<form
				className="kb-actions"
				onSubmit={(event) => {
					event.preventDefault()
					const typed = code.toUpperCase().replace(/[\s-]/g, '')
					if (!typed) return
					if (needsPassphrase && !passphrase.trim()) passphraseRef.current?.focus()
					else onJoin(typed, needsPassphrase ? passphrase : undefined)
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
				{needsPassphrase && (
					<>
						<label htmlFor={passphraseId}>{t('board.join.passphraseIntro')}</label>
						<input
							id={passphraseId}
							ref={passphraseRef}
							className="kb-input"
							value={passphrase}
							onChange={(event) => setPassphrase(event.target.value)}
							autoComplete="off"
							autoCapitalize="none"
							spellCheck={false}
							maxLength={100}
							data-testid="board-join-passphrase"
						/>
					</>
				)}
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
