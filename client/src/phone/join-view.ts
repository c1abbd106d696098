/** `/j`: the form where a participant types the join code shown on the projector. */
import { joinByCode } from './api'
import { h, replaceChildren } from './dom'
import { joinFailureMessage } from './messages'
import type { Strings } from './strings'

/** Join-code alphabet and length, as the server makes them (no 0/O, 1/I/L look-alikes). */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const CODE_LENGTH = 6

/** What the person typed as a code, normalised (case, spaces, dashes); null when it cannot be a code. */
export function normalizeCode(input: string): string | null {
	const code = input.toUpperCase().replace(/[\s-]/g, '')
	if (code.length !== CODE_LENGTH) return null
	for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null
	return code
}

/** Renders the join form into `main`; `header` is the page's shared top bar. */
export function renderJoin(main: HTMLElement, header: HTMLElement, t: Strings, initialCode = ''): void {
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
		const result = await joinByCode(code)
		if (result.ok) {
			location.assign(`/j/${encodeURIComponent(result.data.roomId)}`)
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
	if (!initialCode) input.focus()
}
