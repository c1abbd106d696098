/**
 * `/j`: the form where a participant types the join code shown on the projector (or arrives with it from the
 * QR code). Joining asks the server for a participant token (`POST /api/join/:code`) unless this phone already
 * holds one for that room, keeps it in localStorage and opens the room. A room with a passphrase answers 401
 * `passphrase_required`: the form then asks for it, once — the token it gets is what counts afterwards.
 */
import { type ApiResult, joinByCode, joinRoom } from './api'
import { h, replaceChildren } from './dom'
import { participantToken, saveParticipantToken } from './identity'
import { joinFailureMessage } from './messages'
import type { KeyValueStorage } from './outbox'
import { normalizeCode } from './route'
import type { Strings } from './strings'

export { normalizeCode }

/** localStorage key prefix of the room a join code led this phone to (so an expired code still finds its room). */
const JOINED_CODE_PREFIX = 'kompasbord.joinedCode.'

/** The room this phone joined with `code` before, when it still holds a token for it. */
function roomJoinedWith(code: string, storage: KeyValueStorage): string | null {
	try {
		const roomId = storage.getItem(JOINED_CODE_PREFIX + code)
		return roomId && participantToken(storage, roomId) ? roomId : null
	} catch {
		return null
	}
}

/**
 * Joins the room of `code` (with the room's `passphrase` when it has one): its id once this phone holds a
 * participant token for it. A phone that joined with this code before gets back into its room even after the code
 * expired (its token still counts).
 */
export async function joinWithCode(
	code: string,
	storage: KeyValueStorage,
	passphrase?: string
): Promise<ApiResult<{ roomId: string }>> {
	const found = await joinByCode(code)
	let roomId: string
	if (found.ok) roomId = found.data.roomId
	else {
		const known = found.kind === 'http' && found.code === 'join_code_expired' ? roomJoinedWith(code, storage) : null
		if (!known) return found
		roomId = known
	}
	const held = participantToken(storage, roomId)
	const joined = await joinRoom(code, held, passphrase)
	if (!joined.ok) return joined
	if (joined.data.participantToken !== held) saveParticipantToken(storage, roomId, joined.data.participantToken)
	try {
		storage.setItem(JOINED_CODE_PREFIX + code, roomId)
	} catch {
		// Private mode: nothing to remember.
	}
	return { ok: true, status: joined.status, data: { roomId } }
}

/**
 * Renders the join form into `main`; `header` is the page's shared top bar. With `autoJoin` (a code from the
 * QR link) it joins at once.
 */
export function renderJoin(
	main: HTMLElement,
	header: HTMLElement,
	t: Strings,
	storage: KeyValueStorage,
	initialCode = '',
	autoJoin = false
): void {
	const error = h('p', { class: 'error', id: 'code-error', role: 'alert' })
	const input = h('input', {
		id: 'code',
		name: 'code',
		type: 'text',
		value: initialCode,
		autocomplete: 'off',
		autocapitalize: 'characters',
		spellcheck: 'false',
		enterkeyhint: 'go',
		maxlength: 9,
		'aria-describedby': 'code-hint code-error',
		class: 'code-input',
	})
	const button = h('button', { type: 'submit', class: 'primary' }, t.joinButton)
	const passphraseInput = h('input', {
		id: 'passphrase',
		name: 'passphrase',
		type: 'text',
		autocomplete: 'off',
		autocapitalize: 'none',
		spellcheck: 'false',
		enterkeyhint: 'go',
		maxlength: 100,
		'aria-describedby': 'passphrase-hint code-error',
		class: 'passphrase-input',
	})
	const passphraseField = h(
		'div',
		{ class: 'passphrase', hidden: true },
		h('label', { for: 'passphrase', class: 'label' }, t.passphraseLabel),
		passphraseInput,
		h('p', { id: 'passphrase-hint', class: 'hint' }, t.passphraseHint)
	)
	const form = h(
		'form',
		{ class: 'card', novalidate: true },
		h('label', { for: 'code', class: 'label' }, t.codeLabel),
		input,
		h('p', { id: 'code-hint', class: 'hint' }, t.codeHint),
		passphraseField,
		error,
		button
	)
	// Shown once the server asked for the room's passphrase; the code stays as typed.
	const askPassphrase = () => {
		passphraseField.hidden = false
		passphraseInput.focus()
	}
	form.addEventListener('submit', async (event) => {
		event.preventDefault()
		const typed = input.value.trim()
		const code = normalizeCode(typed)
		if (!code) {
			error.textContent = typed === '' ? t.errors.codeEmpty : t.errors.codeShape
			input.setAttribute('aria-invalid', 'true')
			input.focus()
			return
		}
		const passphraseStep = !passphraseField.hidden
		const passphrase = passphraseInput.value
		if (passphraseStep && passphrase.trim() === '') {
			error.textContent = t.errors.passphraseEmpty
			passphraseInput.setAttribute('aria-invalid', 'true')
			passphraseInput.focus()
			return
		}
		error.textContent = ''
		input.removeAttribute('aria-invalid')
		passphraseInput.removeAttribute('aria-invalid')
		button.disabled = true
		button.textContent = t.joining
		const result = await joinWithCode(code, storage, passphraseStep ? passphrase : undefined)
		if (result.ok) {
			location.replace(`/j/${encodeURIComponent(result.data.roomId)}`)
			return
		}
		button.disabled = false
		button.textContent = t.joinButton
		const reason = result.kind === 'http' ? result.code : null
		if (reason === 'passphrase_required' && !passphraseStep) {
			askPassphrase()
			return
		}
		error.textContent = joinFailureMessage(result, t, passphraseStep)
		if (reason === 'wrong_passphrase' || reason === 'passphrase_required') {
			askPassphrase()
			passphraseInput.setAttribute('aria-invalid', 'true')
			passphraseInput.select()
			return
		}
		input.setAttribute('aria-invalid', 'true')
		input.focus()
	})
	replaceChildren(header, h('h1', {}, t.joinHeading))
	replaceChildren(main, h('p', { class: 'intro' }, t.joinIntro), form)
	if (autoJoin && normalizeCode(initialCode)) form.requestSubmit()
	else if (!initialCode) input.focus()
}
