/**
 * The admin page (`/admin`, served only when the server has `ADMIN_TOKEN`): every room with its template, dates,
 * participants, size and status, and the operator's actions — close, reopen, delete (with a confirmation), a new
 * facilitator link. Plain TypeScript, no framework: its own small bundle, never loaded by the board or the phone.
 * The token is asked once and kept in sessionStorage (this tab only); every call sends it as a bearer token.
 */
import type { AdminRoom, AdminRoomList, NewFacilitatorLink } from '@kompasbord/shared'
import { h, replaceChildren } from '../phone/dom'
import { retentionText } from '../retention'
import { adminText, type AdminLanguage, type AdminTextKey } from './strings'
import './admin.css'

const TOKEN_KEY = 'kompasbord:adminToken'
const LANGUAGE_KEY = 'kompasbord:language'

interface State {
	token: string | null
	language: AdminLanguage
	list: AdminRoomList | null
	error: string | null
	notice: { text: string; link?: string } | null
	confirming: string | null
	busy: boolean
}

const root = document.getElementById('admin') as HTMLElement
const state: State = {
	token: sessionStorage.getItem(TOKEN_KEY),
	language: localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'nl',
	list: null,
	error: null,
	notice: null,
	confirming: null,
	busy: false,
}

const t = (key: AdminTextKey, params?: Record<string, string | number>) => adminText(state.language, key, params)

class Unauthorized extends Error {}

async function call<T>(method: string, path: string): Promise<T | null> {
	const response = await fetch(path, { method, headers: { authorization: `Bearer ${state.token ?? ''}` } })
	if (response.status === 401) throw new Unauthorized()
	if (!response.ok) {
		let message = `HTTP ${response.status}`
		try {
			message = ((await response.json()) as { error?: { message?: string } }).error?.message ?? message
		} catch {
			// Not JSON.
		}
		throw new Error(message)
	}
	return response.status === 204 ? null : ((await response.json()) as T)
}

async function load(): Promise<void> {
	try {
		state.list = await call<AdminRoomList>('GET', '/api/admin/rooms')
		state.error = null
	} catch (error) {
		if (error instanceof Unauthorized) {
			signOut(t('wrongToken'))
			return
		}
		state.error = t('loadError', { message: error instanceof Error ? error.message : String(error) })
	}
	render()
}

function signOut(error: string | null = null): void {
	sessionStorage.removeItem(TOKEN_KEY)
	state.token = null
	state.list = null
	state.error = error
	render()
}

async function act(room: AdminRoom, run: () => Promise<void>): Promise<void> {
	state.busy = true
	state.notice = null
	render()
	try {
		await run()
	} catch (error) {
		if (error instanceof Unauthorized) return signOut(t('wrongToken'))
		state.notice = { text: t('failed', { message: error instanceof Error ? error.message : String(error) }) }
	} finally {
		state.busy = false
	}
	void room
	await load()
}

const dateFormat = () =>
	new Intl.DateTimeFormat(state.language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })

function size(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`
	return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

function header(): HTMLElement {
	return h(
		'header',
		{ class: 'kb-admin__header' },
		h('h1', {}, t('title')),
		h(
			'div',
			{ class: 'kb-admin__header-actions' },
			h(
				'button',
				{
					type: 'button',
					class: 'kb-admin__link-button',
					'data-testid': 'admin-language',
					onclick: () => {
						state.language = state.language === 'nl' ? 'en' : 'nl'
						localStorage.setItem(LANGUAGE_KEY, state.language)
						document.documentElement.lang = state.language
						document.title = t('title')
						render()
					},
				},
				t('language')
			),
			state.token &&
				h('button', { type: 'button', class: 'kb-admin__link-button', onclick: () => signOut() }, t('signOut'))
		)
	)
}

function signInForm(): HTMLElement {
	const input = h('input', {
		id: 'admin-token',
		type: 'password',
		autocomplete: 'off',
		required: true,
		'data-testid': 'admin-token',
	})
	return h(
		'form',
		{
			class: 'kb-admin__signin',
			onsubmit: (event: Event) => {
				event.preventDefault()
				const token = input.value.trim()
				if (!token) return
				sessionStorage.setItem(TOKEN_KEY, token)
				state.token = token
				state.error = null
				void load()
			},
		},
		h('label', { for: 'admin-token' }, t('tokenLabel')),
		input,
		h('p', { class: 'kb-admin__muted' }, t('tokenHint')),
		h('button', { type: 'submit', class: 'kb-admin__primary', 'data-testid': 'admin-signin' }, t('signIn')),
		state.error && h('p', { class: 'kb-admin__error', role: 'alert' }, state.error)
	)
}

function roomRow(room: AdminRoom): HTMLElement[] {
	const format = dateFormat()
	const closed = room.status === 'closed'
	const rows: HTMLElement[] = [
		h(
			'tr',
			{ 'data-testid': `admin-room-${room.roomId}`, 'data-room-id': room.roomId },
			h('td', { class: 'kb-admin__title' }, room.title, h('span', { class: 'kb-admin__id' }, room.roomId)),
			h('td', {}, room.templateId),
			h('td', {}, format.format(room.createdAt)),
			h('td', {}, format.format(room.lastActivityAt)),
			h(
				'td',
				{ class: 'kb-admin__num' },
				String(room.participants),
				room.connected > 0 && h('span', { class: 'kb-admin__id' }, t('connected', { n: room.connected }))
			),
			h('td', { class: 'kb-admin__num' }, size(room.bytes)),
			h(
				'td',
				{},
				h(
					'span',
					{ class: `kb-admin__status kb-admin__status--${room.status}` },
					closed ? t('statusClosed') : t('statusOpen')
				)
			),
			h(
				'td',
				{ class: 'kb-admin__actions' },
				h(
					'button',
					{
						type: 'button',
						disabled: state.busy,
						'data-testid': closed ? 'admin-reopen' : 'admin-close',
						onclick: () =>
							void act(room, async () => {
								await call('POST', `/api/admin/rooms/${encodeURIComponent(room.roomId)}/${closed ? 'reopen' : 'close'}`)
							}),
					},
					closed ? t('reopen') : t('close')
				),
				h(
					'button',
					{
						type: 'button',
						disabled: state.busy,
						'data-testid': 'admin-new-link',
						onclick: () =>
							void act(room, async () => {
								const made = await call<NewFacilitatorLink>(
									'POST',
									`/api/admin/rooms/${encodeURIComponent(room.roomId)}/facilitator-key`
								)
								if (made) state.notice = { text: t('linkMade', { title: room.title }), link: made.links.facilitator }
							}),
					},
					t('newLink')
				),
				h(
					'button',
					{
						type: 'button',
						class: 'kb-admin__danger',
						disabled: state.busy,
						'data-testid': 'admin-delete',
						onclick: () => {
							state.confirming = room.roomId
							render()
						},
					},
					t('delete')
				)
			)
		),
	]
	if (state.confirming === room.roomId) {
		rows.push(
			h(
				'tr',
				{ class: 'kb-admin__confirm-row' },
				h(
					'td',
					{ colspan: 8 },
					h(
						'div',
						{
							class: 'kb-admin__confirm',
							role: 'alertdialog',
							'aria-label': t('delete'),
							'data-testid': 'admin-delete-dialog',
						},
						h('p', {}, t('deleteConfirm', { title: room.title })),
						h(
							'button',
							{
								type: 'button',
								class: 'kb-admin__danger kb-admin__danger--solid',
								'data-testid': 'admin-delete-confirm',
								onclick: () => {
									state.confirming = null
									void act(room, async () => {
										await call('DELETE', `/api/admin/rooms/${encodeURIComponent(room.roomId)}`)
										state.notice = { text: t('deleted', { title: room.title }) }
									})
								},
							},
							t('deleteYes')
						),
						h(
							'button',
							{
								type: 'button',
								onclick: () => {
									state.confirming = null
									render()
								},
							},
							t('cancel')
						)
					)
				)
			)
		)
	}
	return rows
}

function notice(): HTMLElement | null {
	if (!state.notice) return null
	const { text, link } = state.notice
	return h(
		'div',
		{ class: 'kb-admin__notice', role: 'status', 'data-testid': 'admin-notice' },
		h('p', {}, text),
		link &&
			h(
				'div',
				{ class: 'kb-admin__link' },
				h('input', { type: 'text', readOnly: true, value: link, 'data-testid': 'admin-new-link-url' }),
				h(
					'button',
					{
						type: 'button',
						onclick: (event: Event) => {
							void navigator.clipboard?.writeText(link)
							;(event.target as HTMLButtonElement).textContent = t('copied')
						},
					},
					t('copy')
				)
			)
	)
}

function roomTable(list: AdminRoomList): HTMLElement {
	const n = list.rooms.length
	return h(
		'section',
		{ class: 'kb-admin__rooms' },
		h(
			'div',
			{ class: 'kb-admin__toolbar' },
			h('p', { 'data-testid': 'admin-count' }, n === 1 ? t('countOne') : t('count', { n })),
			h(
				'p',
				{ class: 'kb-admin__muted', 'data-testid': 'admin-retention' },
				retentionText(list.retentionMs, state.language)
			),
			h('button', { type: 'button', onclick: () => void load() }, t('refresh'))
		),
		notice(),
		n === 0
			? h('p', { class: 'kb-admin__muted' }, t('empty'))
			: h(
					'div',
					{ class: 'kb-admin__table-wrap' },
					h(
						'table',
						{ class: 'kb-admin__table', 'data-testid': 'admin-rooms' },
						h(
							'thead',
							{},
							h(
								'tr',
								{},
								...(
									[
										'colTitle',
										'colTemplate',
										'colCreated',
										'colActivity',
										'colParticipants',
										'colSize',
										'colStatus',
										'colActions',
									] as const
								).map((key) => h('th', { scope: 'col' }, t(key)))
							)
						),
						h('tbody', {}, ...list.rooms.flatMap(roomRow))
					)
				)
	)
}

function render(): void {
	document.documentElement.lang = state.language
	document.title = t('title')
	replaceChildren(
		root,
		header(),
		h(
			'main',
			{ class: 'kb-admin__main' },
			h('p', { class: 'kb-admin__muted' }, t('intro')),
			!state.token
				? signInForm()
				: state.list
					? roomTable(state.list)
					: state.error && h('p', { class: 'kb-admin__error', role: 'alert' }, state.error)
		)
	)
}

render()
if (state.token) void load()
