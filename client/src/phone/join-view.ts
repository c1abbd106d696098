/**
 * `/j`: the form where a participant types the join code shown on the projector (or arrives with it from the
 * QR code). Joining asks the server for a participant token (`POST /api/join/:code`) unless this phone already
 * holds one for that room, keeps it in localStorage and opens the room.
 */
import { type ApiResult, joinByCode, joinRoom } from './api'
import { h, replaceChildren } from './dom'
import { participantToken, saveParticipantToken } from './identity'
import { joinFailureMessage } from './messages'
import type { KeyValueStorage } from './outbox'
import { normalizeCode } from './route'
import type { Strings } from './strings'

export { normalizeCode }

/** Joins the room of `code`: its id once this phone holds a participant token for it. */
export async function joinWithCode(code: string, storage: KeyValueStorage): Promise<ApiResult<{ roomId: string }>> {
	const found = await joinByCode(code)
	if (!found.ok) return found
	const { roomId } = found.data
	const held = participantToken(storage, roomId)
	const joined = await joinRoom(code, held)
	if (!joined.ok) return joined
	if (joined.data.participantToken !== held) saveParticipantToken(storage, roomId, joined.data.participantToken)
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
	const form = h(
		'form',
		{ class: 'card', novalidate: true },
		h('label', { for: 'code', class: 'label' }, t.codeLabel),
		input,
		h('p', { id: 'code-hint', class: 'hint' }, t.codeHint),
		error,
		button
	)
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
		error.textContent = ''
		button.disabled = true
		button.textContent = t.joining
		const result = await joinWithCode(code, storage)
		if (result.ok) {
			location.replace(`/j/${encodeURIComponent(result.data.roomId)}`)
			return
		}
		button.disabled = false
		button.textContent = t.joinButton
		error.textContent = joinFailureMessage(result, t)
		input.setAttribute('aria-invalid', 'true')
		input.focus()
	})
	replaceChildren(header, h('h1', {}, t.joinHeading))
	replaceChildren(main, h('p', { class: 'intro' }, t.joinIntro), form)
	if (autoJoin && normalizeCode(initialCode)) form.requestSubmit()
	else if (!initialCode) input.focus()
}
