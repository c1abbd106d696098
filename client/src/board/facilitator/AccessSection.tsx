import { useCallback, useEffect, useId, useState } from 'react'
import { MIN_PASSPHRASE, type RoomAccess, type RoomAccessChange } from '@kompasbord/shared'
import { api, ApiError } from '../../api'
import { expiryText } from '../JoinOverlay'
import { useSessionContext } from './session-context'

/** The section's texts, Dutch first. */
const TEXT = {
	nl: {
		passphrase: 'Wachtwoord',
		passphraseNone: 'Geen wachtwoord: de code is genoeg.',
		passphraseSet: 'Wachtwoord ingesteld. Deelnemers typen het één keer per apparaat.',
		passphraseInput: 'Nieuw wachtwoord',
		passphraseHint: `Minstens ${MIN_PASSPHRASE} tekens; hoofdletters tellen niet. Zeg het hardop, niet op het scherm.`,
		passphraseSave: 'Instellen',
		passphraseClear: 'Wachtwoord weghalen',
		expiry: 'Code geldig',
		expiryNone: 'Zolang de sessie open is.',
		expiryUntil: (when: string) => `Tot ${when}; wie al meedoet, blijft erin.`,
		expired: 'Verlopen: nieuwe deelnemers kunnen niet meer meedoen.',
		endOfDay: 'Tot einde van vandaag',
		expiryInput: 'Geldig tot',
		expirySave: 'Instellen',
		expiryClear: 'Geen einde',
		error: {
			bad_passphrase: `Een wachtwoord heeft ${MIN_PASSPHRASE} tot 100 tekens.`,
			bad_expiry: 'Kies een moment binnen een jaar.',
			other: 'Opslaan lukte niet. Probeer het opnieuw.',
		},
	},
	en: {
		passphrase: 'Passphrase',
		passphraseNone: 'No passphrase: the code is enough.',
		passphraseSet: 'Passphrase set. Participants type it once per device.',
		passphraseInput: 'New passphrase',
		passphraseHint: `At least ${MIN_PASSPHRASE} characters; case does not matter. Say it aloud, not on the screen.`,
		passphraseSave: 'Set',
		passphraseClear: 'Remove passphrase',
		expiry: 'Code valid',
		expiryNone: 'While the session is open.',
		expiryUntil: (when: string) => `Until ${when}; those already in stay in.`,
		expired: 'Expired: no new participants can join.',
		endOfDay: 'Until the end of today',
		expiryInput: 'Valid until',
		expirySave: 'Set',
		expiryClear: 'No end',
		error: {
			bad_passphrase: `A passphrase has ${MIN_PASSPHRASE} to 100 characters.`,
			bad_expiry: 'Pick a moment within a year.',
			other: 'Saving did not work. Try again.',
		},
	},
}

/** The last millisecond of the day `now` is in, in this browser's time zone. */
export function endOfDay(now = new Date()): number {
	return new Date(now.getFullYear(), now.getMonth(), now.getDate(), 23, 59, 59, 999).getTime()
}

/** An epoch-ms moment as the value of a `datetime-local` input (local time, to the minute). */
function localInputValue(at: number): string {
	const d = new Date(at)
	const pad = (n: number) => String(n).padStart(2, '0')
	return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/**
 * "Wie mag erin" in the Sessie panel: the room's passphrase (set, replace, remove; the server keeps only its
 * hash, so the panel says whether there is one, never what it is) and the join code's expiry ("Tot einde van
 * vandaag" in one click, or a date and time; "Geen einde"). `GET`/`PUT /api/rooms/:roomId/access`.
 */
export function AccessSection() {
	const { roomId, facilitatorKey, language } = useSessionContext()
	const s = TEXT[language]
	const key = facilitatorKey ?? ''
	const [access, setAccess] = useState<RoomAccess | null>(null)
	const [passphrase, setPassphrase] = useState('')
	const [until, setUntil] = useState('')
	const [busy, setBusy] = useState(false)
	const [error, setError] = useState<string | null>(null)
	const passphraseId = useId()
	const untilId = useId()

	useEffect(() => {
		let live = true
		api('getRoomAccess', { params: { roomId } }, { key }).then(
			(answer) => live && setAccess(answer),
			() => undefined
		)
		return () => {
			live = false
		}
	}, [roomId, key])

	const save = useCallback(
		async (change: RoomAccessChange) => {
			setBusy(true)
			setError(null)
			try {
				setAccess(await api('setRoomAccess', { params: { roomId }, body: change }, { key }))
				if (change.passphrase) setPassphrase('')
			} catch (failure) {
				const code = failure instanceof ApiError ? failure.code : ''
				setError(code === 'bad_passphrase' || code === 'bad_expiry' ? s.error[code] : s.error.other)
			} finally {
				setBusy(false)
			}
		},
		[roomId, key, s]
	)

	const expiresAt = access?.joinCodeExpiresAt ?? null
	const expired = expiresAt !== null && expiresAt <= Date.now()
	return (
		<div className="kb-access" data-testid="access-section">
			<p className="kb-access__status" data-testid="access-passphrase" data-set={access?.passphrase ? 'yes' : 'no'}>
				<strong>{s.passphrase}: </strong>
				{access?.passphrase ? s.passphraseSet : s.passphraseNone}
			</p>
			<form
				className="kb-access__row"
				onSubmit={(event) => {
					event.preventDefault()
					if (passphrase.trim()) void save({ passphrase })
				}}
			>
				<input
					aria-label={s.passphraseInput}
					aria-describedby={passphraseId}
					type="text"
					autoComplete="off"
					spellCheck={false}
					placeholder={s.passphraseInput}
					value={passphrase}
					maxLength={100}
					onChange={(event) => setPassphrase(event.target.value)}
					data-testid="access-passphrase-input"
				/>
				<button type="submit" disabled={busy || passphrase.trim() === ''} data-testid="access-passphrase-save">
					{s.passphraseSave}
				</button>
			</form>
			<p className="kb-muted kb-access__hint" id={passphraseId}>
				{s.passphraseHint}
			</p>
			{access?.passphrase && (
				<button
					type="button"
					className="kb-subtle"
					disabled={busy}
					onClick={() => void save({ passphrase: null })}
					data-testid="access-passphrase-clear"
				>
					{s.passphraseClear}
				</button>
			)}

			<p className="kb-access__status" data-testid="access-expiry" data-expired={expired ? 'yes' : 'no'}>
				<strong>{s.expiry}: </strong>
				{expiresAt === null ? s.expiryNone : expired ? s.expired : s.expiryUntil(expiryText(expiresAt, language))}
			</p>
			<div className="kb-button-row">
				<button
					type="button"
					disabled={busy}
					onClick={() => void save({ joinCodeExpiresAt: endOfDay() })}
					data-testid="access-end-of-day"
				>
					{s.endOfDay}
				</button>
				{expiresAt !== null && (
					<button
						type="button"
						className="kb-subtle"
						disabled={busy}
						onClick={() => void save({ joinCodeExpiresAt: null })}
						data-testid="access-expiry-clear"
					>
						{s.expiryClear}
					</button>
				)}
			</div>
			<form
				className="kb-access__row"
				onSubmit={(event) => {
					event.preventDefault()
					const at = new Date(until).getTime()
					if (Number.isFinite(at)) void save({ joinCodeExpiresAt: at })
				}}
			>
				<label htmlFor={untilId}>{s.expiryInput}</label>
				<input
					id={untilId}
					type="datetime-local"
					value={until || (expiresAt !== null ? localInputValue(expiresAt) : '')}
					onChange={(event) => setUntil(event.target.value)}
					data-testid="access-expiry-input"
				/>
				<button type="submit" disabled={busy || until === ''} data-testid="access-expiry-save">
					{s.expirySave}
				</button>
			</form>
			{error && (
				<p className="kb-session-error" role="alert" data-testid="access-error">
					{error}
				</p>
			)}
		</div>
	)
}
