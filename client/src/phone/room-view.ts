/**
 * `/j/:roomId`: the participant's page. Session title, optional first name, big buttons for the board's zones
 * (a matrix row first, then its column), the note composer with colours, and "my notes" — the ones waiting
 * in the outbox (visibly) and the ones on the board, which the participant can edit or delete.
 */
import { listViewLink } from './list-link'
import type { NoteView, PublicNoteStatus, RoomInfo, RoomZone } from '@kompasbord/shared'
import { type ApiResult, deleteNote, isTokenRefusal, listNotes, patchNote, postNote } from './api'
import { DEFAULT_COLOUR, PHONE_COLOURS, colourFill } from './colours'
import { h, replaceChildren } from './dom'
import { forgetParticipantToken, randomId, saveName, savedName } from './identity'
import { failureMessage } from './messages'
import { Outbox, type KeyValueStorage, type OutboxItem, type SendOutcome } from './outbox'
import { createRoomState, type RoomStateStore } from './room-state'
import { SessionPanel } from './session-view'
import type { Lang, Strings } from './strings'
import { groupZones, type ZoneChoice } from './zone-groups'

/** How often, and with what growing pause, the phone asks for its notes again after a reveal. */
const REVEAL_REFRESH_ATTEMPTS = 8
const REVEAL_REFRESH_PAUSE_MS = 250

/** Longest note, as the server counts it (characters after trimming). */
const MAX_TEXT = 500

/** What the room page needs from the shell. */
export interface RoomPageContext {
	roomId: string
	/** The participant token the server issued for this room (see identity.ts). */
	participantToken: string
	storage: KeyValueStorage
	header: HTMLElement
	main: HTMLElement
	strings(): Strings
	lang(): Lang
	/** Called once, when the room first says which language its board is written in. */
	onRoomLanguage?(lang: Lang): void
}

function characterCount(text: string): number {
	let n = 0
	for (const _ of text.trim()) n++
	return n
}

/** The participant's page for one room. Call {@link RoomPage.start} once, {@link RoomPage.render} on a language switch. */
export class RoomPage {
	readonly state: RoomStateStore
	readonly outbox: Outbox
	private readonly token: string
	private zoneId: string | null = null
	/** The matrix row whose columns are shown (second step). */
	private openRow: string | null = null
	private colour: string = DEFAULT_COLOUR
	private draft = ''
	private name: string
	private notes: NoteView[]
	/**
	 * The participant's notes the facilitator did not place (rejected in the screening queue): the server deleted
	 * them, so only this phone still knows their text; kept here until the participant removes them.
	 */
	private notPlaced: NoteView[]
	private editing: { noteId: string; draft: string } | null = null
	private confirmingDelete: string | null = null
	private noteError: { noteId: string; message: string } | null = null
	private readonly regions = {
		banner: h('div', { class: 'banner', role: 'status', 'aria-live': 'polite' }),
		zones: h('section', { class: 'card', 'aria-labelledby': 'zones-heading' }),
		composer: h('section', { class: 'card composer', 'aria-labelledby': 'composer-heading' }),
		toast: h('p', { class: 'toast', role: 'status', 'aria-live': 'polite' }),
		notes: h('section', { class: 'card', 'aria-labelledby': 'notes-heading' }),
	}
	private textarea: HTMLTextAreaElement | null = null
	/** Phase, timer and dot voting (client/src/phone/session-view.ts). */
	private readonly session: SessionPanel

	constructor(private readonly ctx: RoomPageContext) {
		this.token = ctx.participantToken
		this.name = savedName(ctx.storage)
		this.notes = this.cachedNotes()
		this.notPlaced = this.cachedNotes('notPlaced')
		this.state = createRoomState(ctx.roomId)
		this.session = new SessionPanel({
			roomId: ctx.roomId,
			participantToken: this.token,
			lang: ctx.lang,
			// A reveal turns held notes into placed ones; a closed session shows at once.
			onPhaseChange: (phase, previous) => {
				void this.state.refresh()
				if (previous === 'private' && phase !== 'private') void this.refreshNotesAfterReveal()
				else void this.refreshNotes()
			},
			zoneLabel: (zoneId) => this.state.get().room?.zones.find((z) => z.id === zoneId)?.label,
			// A waiting note may have been approved or rejected.
			onScreeningChange: () => {
				if (this.notes.some((note) => note.status === 'awaiting_review')) void this.refreshNotes()
			},
		})
		this.outbox = new Outbox({
			storage: ctx.storage,
			key: `kompasbord.outbox.${ctx.roomId}`,
			isOnline: () => navigator.onLine !== false,
			send: (item) => this.send(item),
		})
	}

	/** Fetches the room and the participant's notes, starts polling and sending, and renders. */
	start(): void {
		let languageTold = false
		this.state.subscribe(() => {
			const locale = this.state.get().room?.locale
			if (!languageTold && locale) {
				languageTold = true
				this.ctx.onRoomLanguage?.(locale)
			}
			this.render()
		})
		this.outbox.subscribe((event) => {
			if (event.type === 'sent') this.onSent(event.item, event.noteId, event.status)
			this.renderBanner()
			this.renderNotes()
		})
		window.addEventListener('online', () => {
			this.state.setOnline(true)
			this.outbox.wake()
			void this.refreshNotes()
		})
		window.addEventListener('offline', () => this.state.setOnline(false))
		document.addEventListener('visibilitychange', () => {
			if (document.visibilityState === 'visible') {
				this.outbox.wake()
				void this.refreshNotes()
			}
		})
		this.render()
		this.state.start()
		this.session.start()
		this.outbox.wake()
		void this.refreshNotes()
	}

	private get t(): Strings {
		return this.ctx.strings()
	}

	private zoneLabel(zone: RoomZone | undefined, fallback: string): string {
		return zone ? zone.label[this.ctx.lang()] : fallback
	}

	private zoneById(zoneId: string): RoomZone | undefined {
		return this.state.get().room?.zones.find((z) => z.id === zoneId)
	}

	/** Renders the whole page (on load, room changes, a language switch). */
	render(): void {
		const { room, notFound } = this.state.get()
		const t = this.t
		if (notFound) {
			replaceChildren(this.ctx.header, h('h1', {}, t.joinHeading))
			replaceChildren(
				this.ctx.main,
				h('p', { class: 'error', role: 'alert' }, t.errors.roomNotFound),
				h('a', { href: '/j', class: 'button secondary' }, t.joinButton)
			)
			return
		}
		if (!room) {
			replaceChildren(this.ctx.header, h('h1', {}, t.loading))
			if (!this.ctx.main.firstChild) replaceChildren(this.ctx.main, h('p', { class: 'intro' }, t.loading))
			this.renderBanner()
			return
		}
		const title = this.ctx.header.querySelector('h1')
		if (title?.textContent !== room.title) replaceChildren(this.ctx.header, h('h1', {}, room.title))
		document.title = `${room.title} — Kompasbord`
		if (!this.ctx.main.contains(this.regions.zones)) {
			replaceChildren(
				this.ctx.main,
				this.regions.banner,
				this.session.element,
				this.renderName(room),
				this.regions.zones,
				this.regions.composer,
				this.regions.toast,
				this.regions.notes,
				listViewLink(this.ctx.roomId, this.ctx.lang())
			)
		}
		this.renderBanner()
		this.renderZones(room)
		this.renderComposer(room)
		this.renderNotes()
	}

	/** Re-renders after a language switch: every region is rebuilt in the new language. */
	relabel(): void {
		this.ctx.main.textContent = ''
		// The composer is built once per zone choice (so typing is never interrupted); rebuild it in the new
		// language, keeping the draft.
		this.regions.composer.textContent = ''
		this.textarea = null
		this.setToast('')
		this.render()
		this.session.relabel()
	}

	private renderName(room: RoomInfo): HTMLElement {
		const t = this.t
		if (room.anonymous !== false) {
			return h('p', { class: 'hint anonymous' }, t.anonymousNote)
		}
		const input = h('input', {
			id: 'name',
			name: 'name',
			type: 'text',
			value: this.name,
			autocomplete: 'given-name',
			maxlength: 40,
			'aria-describedby': 'name-hint',
			oninput: (event: Event) => {
				this.name = (event.target as HTMLInputElement).value
				saveName(this.ctx.storage, this.name)
			},
		})
		return h(
			'div',
			{ class: 'card' },
			h('label', { for: 'name', class: 'label' }, t.nameLabel),
			input,
			h('p', { id: 'name-hint', class: 'hint' }, t.nameHint)
		)
	}

	private renderBanner(): void {
		const t = this.t
		const { online } = this.state.get()
		const waiting = this.outbox.items().filter((i) => i.roomId === this.ctx.roomId && i.state === 'waiting').length
		const offline = !online || navigator.onLine === false
		const text = offline ? t.offlineBanner(waiting) : waiting > 0 ? t.waitingBanner(waiting) : ''
		if (this.regions.banner.textContent !== text) this.regions.banner.textContent = text
		this.regions.banner.classList.toggle('offline', offline)
		this.regions.banner.hidden = text === ''
	}

	private renderZones(room: RoomInfo): void {
		const t = this.t
		const lang = this.ctx.lang()
		const region = this.regions.zones
		const chosen = this.zoneId ? this.zoneById(this.zoneId) : undefined
		if (chosen) {
			replaceChildren(
				region,
				h('h2', { id: 'zones-heading', class: 'chosen' }, t.writingIn(chosen.label[lang])),
				h(
					'button',
					{
						type: 'button',
						class: 'secondary',
						onclick: () => {
							this.zoneId = null
							this.openRow = null
							this.render()
							this.focusFirstZone()
						},
					},
					t.changeZone
				)
			)
			return
		}
		const choices = groupZones(room.zones)
		const row = choices.find(
			(c): c is Extract<ZoneChoice, { kind: 'row' }> => c.kind === 'row' && c.rowId === this.openRow
		)
		if (row) {
			replaceChildren(
				region,
				h('h2', { id: 'zones-heading' }, t.columnHeading(row.label[lang])),
				h('div', { class: 'zone-grid' }, ...row.cells.map((cell) => this.zoneButton(cell.zone.id, cell.label[lang]))),
				h(
					'button',
					{
						type: 'button',
						class: 'secondary',
						onclick: () => {
							this.openRow = null
							this.render()
							this.focusFirstZone()
						},
					},
					t.otherRow
				)
			)
			return
		}
		replaceChildren(
			region,
			h('h2', { id: 'zones-heading' }, t.zoneHeading),
			h('p', { class: 'hint' }, t.zoneHint),
			h(
				'div',
				{ class: 'zone-grid' },
				...choices.map((choice) =>
					choice.kind === 'zone'
						? this.zoneButton(choice.zone.id, choice.zone.label[lang])
						: h(
								'button',
								{
									type: 'button',
									class: 'zone row',
									'data-row': choice.rowId,
									onclick: () => {
										this.openRow = choice.rowId
										this.render()
										this.focusFirstZone()
									},
								},
								h('span', {}, choice.label[lang]),
								h('span', { class: 'chevron', 'aria-hidden': 'true' }, '›')
							)
				)
			)
		)
	}

	private zoneButton(zoneId: string, label: string): HTMLButtonElement {
		return h(
			'button',
			{
				type: 'button',
				class: 'zone',
				'data-zone': zoneId,
				onclick: () => {
					this.zoneId = zoneId
					this.openRow = null
					this.render()
					this.textarea?.focus()
				},
			},
			label
		)
	}

	private focusFirstZone(): void {
		this.regions.zones.querySelector<HTMLButtonElement>('button')?.focus()
	}

	private renderComposer(room: RoomInfo): void {
		const t = this.t
		const region = this.regions.composer
		const closed = room.phase === 'closed'
		region.hidden = !this.zoneId && !closed
		if (closed) {
			replaceChildren(region, h('h2', { id: 'composer-heading' }, t.sessionClosed))
			return
		}
		if (!this.zoneId) return
		if (this.textarea && region.contains(this.textarea)) return
		const counter = h('p', { id: 'note-count', class: 'hint count', 'aria-live': 'polite' })
		const error = h('p', { id: 'note-error', class: 'error', role: 'alert' })
		const updateCount = () => {
			const left = MAX_TEXT - characterCount(this.draft)
			counter.textContent = t.charactersLeft(Math.max(0, left))
			counter.classList.toggle('over', left < 0)
		}
		const textarea = h('textarea', {
			id: 'note-text',
			name: 'text',
			rows: 4,
			value: this.draft,
			maxlength: MAX_TEXT + 50,
			enterkeyhint: 'send',
			'aria-describedby': 'note-count note-error',
			oninput: (event: Event) => {
				this.draft = (event.target as HTMLTextAreaElement).value
				error.textContent = ''
				updateCount()
			},
		})
		this.textarea = textarea
		updateCount()
		const swatches = h(
			'div',
			{ class: 'swatches' },
			...PHONE_COLOURS.map((c) =>
				h(
					'label',
					{ class: 'swatch' },
					h('input', {
						type: 'radio',
						name: 'colour',
						value: c.name,
						checked: c.name === this.colour,
						onchange: () => {
							this.colour = c.name
						},
					}),
					h('span', { class: 'chip', style: `background:${c.fill}`, 'aria-hidden': 'true' }),
					h('span', { class: 'swatch-name' }, t.colours[c.name] ?? c.name)
				)
			)
		)
		const form = h(
			'form',
			{ novalidate: true },
			h('h2', { id: 'composer-heading' }, h('label', { for: 'note-text' }, t.noteLabel)),
			textarea,
			counter,
			h('fieldset', { class: 'colours' }, h('legend', {}, t.colourHeading), swatches),
			error,
			h('button', { type: 'submit', class: 'primary send' }, t.send)
		)
		form.addEventListener('submit', (event) => {
			event.preventDefault()
			const text = this.draft.trim()
			if (!text) {
				error.textContent = t.errors.emptyText
				textarea.focus()
				return
			}
			if (characterCount(text) > MAX_TEXT) {
				error.textContent = t.errors.textTooLong
				textarea.focus()
				return
			}
			this.queue(text)
			this.draft = ''
			textarea.value = ''
			updateCount()
			textarea.focus()
		})
		replaceChildren(region, form)
	}

	/** Puts a note in the outbox (stored first), then the outbox sends it. */
	private queue(text: string): void {
		if (!this.zoneId) return
		const anonymous = this.state.get().room?.anonymous !== false
		const name = this.name.trim()
		this.outbox.add(this.ctx.roomId, {
			zoneId: this.zoneId,
			text,
			color: this.colour,
			clientNoteId: randomId(),
			...(anonymous || !name ? {} : { authorName: name }),
		})
		const waiting = this.outbox.items().some((i) => i.state === 'waiting')
		if (waiting && (navigator.onLine === false || !this.state.get().online)) this.setToast(this.t.queuedToast, 'warn')
	}

	private async send(item: OutboxItem): Promise<SendOutcome> {
		const result = await postNote(item.roomId, item.body, this.token)
		if (result.ok) return { kind: 'sent', noteId: result.data.noteId, status: result.data.status }
		if (this.tokenRefused(result)) return { kind: 'retry', code: 'participant_token', message: 'join again' }
		if (result.kind === 'network') {
			this.state.setOnline(false)
			return { kind: 'retry', code: 'network', message: result.message }
		}
		this.state.setOnline(true)
		const message = failureMessage(result, this.t)
		if (result.status === 429) {
			this.setToast(message, 'warn')
			return { kind: 'retry', code: result.code, message, retryAfterMs: (result.retryAfterSeconds ?? 5) * 1000 }
		}
		if (result.status >= 500 || result.status === 408) return { kind: 'retry', code: result.code, message }
		return { kind: 'rejected', code: result.code, message }
	}

	private onSent(item: OutboxItem, noteId: string, status: PublicNoteStatus): void {
		this.state.setOnline(true)
		if (!this.notes.some((n) => n.noteId === noteId)) {
			const now = Date.now()
			this.notes = [
				...this.notes,
				{
					noteId,
					clientNoteId: item.body.clientNoteId,
					zoneId: item.body.zoneId,
					text: item.body.text,
					color: item.body.color ?? DEFAULT_COLOUR,
					status,
					createdAt: now,
					updatedAt: now,
				},
			]
			this.saveNotes()
		}
		this.setToast(
			status === 'awaiting_review'
				? this.t.sentWaitingToast
				: status === 'held'
					? this.t.sentHeldToast
					: this.t.sentToast
		)
	}

	/**
	 * When the server does not know the token (401; e.g. the server's secret changed), forgets it and goes back
	 * to the join form: joining again with the code issues a new one. The outbox keeps its notes for then.
	 */
	private tokenRefused(result: ApiResult<unknown>): boolean {
		if (!isTokenRefusal(result)) return false
		forgetParticipantToken(this.ctx.storage, this.ctx.roomId)
		location.assign('/j')
		return true
	}

	private setToast(text: string, kind: 'ok' | 'warn' = 'ok'): void {
		this.regions.toast.classList.toggle('warn', kind === 'warn')
		this.regions.toast.textContent = text
	}

	private async refreshNotes(): Promise<boolean> {
		const result = await listNotes(this.ctx.roomId, this.token)
		if (this.tokenRefused(result) || !result.ok) return false
		// A note that waited for the facilitator and is gone from the server was rejected (its author's own
		// deletes leave this.notes first): show it as not placed.
		const listed = new Set(result.data.notes.map((note) => note.noteId))
		const rejected = this.notes.filter((note) => note.status === 'awaiting_review' && !listed.has(note.noteId))
		if (rejected.length) this.notPlaced = [...this.notPlaced, ...rejected]
		this.notes = result.data.notes
		this.saveNotes()
		this.renderNotes()
		return true
	}

	/**
	 * After private writing ends: the server publishes the new phase first and then places the held notes (a note
	 * sent in between is placed at once, so none is left behind), so the first list after the phase change can
	 * still show notes as held. Fetch again, a few times with a growing pause, until none is held any more.
	 */
	private async refreshNotesAfterReveal(): Promise<void> {
		for (let attempt = 0; attempt < REVEAL_REFRESH_ATTEMPTS; attempt++) {
			const fetched = await this.refreshNotes()
			if (fetched && !this.notes.some((note) => note.status === 'held')) return
			await new Promise((resolve) => setTimeout(resolve, REVEAL_REFRESH_PAUSE_MS * (attempt + 1)))
		}
	}

	private cachedNotes(which: 'notes' | 'notPlaced' = 'notes'): NoteView[] {
		try {
			const raw = this.ctx.storage.getItem(`kompasbord.${which}.${this.ctx.roomId}`)
			const parsed = raw ? (JSON.parse(raw) as unknown) : []
			return Array.isArray(parsed) ? (parsed as NoteView[]) : []
		} catch {
			return []
		}
	}

	private saveNotes(): void {
		try {
			this.ctx.storage.setItem(`kompasbord.notes.${this.ctx.roomId}`, JSON.stringify(this.notes))
			this.ctx.storage.setItem(`kompasbord.notPlaced.${this.ctx.roomId}`, JSON.stringify(this.notPlaced))
		} catch {
			// Not cached: the list is fetched again next time.
		}
	}

	/** Re-renders "my notes"; skipped while the person is typing an edit, unless `force`. */
	private renderNotes(force = false): void {
		const t = this.t
		const region = this.regions.notes
		if (!force && this.editing && region.contains(document.activeElement)) return
		const queued = this.outbox.items().filter((i) => i.roomId === this.ctx.roomId)
		const items: HTMLElement[] = []
		for (const item of [...this.notes].reverse()) items.push(this.noteItem(item))
		for (const item of [...this.notPlaced].reverse()) items.unshift(this.notPlacedItem(item))
		for (const item of [...queued].reverse()) items.unshift(this.queuedItem(item))
		replaceChildren(
			region,
			h('h2', { id: 'notes-heading' }, t.myNotesHeading),
			items.length ? h('ul', { class: 'notes' }, ...items) : h('p', { class: 'hint' }, t.myNotesEmpty)
		)
	}

	private queuedItem(item: OutboxItem): HTMLElement {
		const t = this.t
		const sending = this.outbox.isSending(item.body.clientNoteId)
		const rejected = item.state === 'rejected'
		const status = rejected
			? t.statusRejected(item.error?.message ?? t.errors.generic)
			: sending
				? t.statusSending
				: item.error?.code === 'rate_limited'
					? t.statusRateLimited
					: t.statusQueued
		const retry =
			!rejected && !sending && item.attempts > 0 && item.nextAttemptAt > Date.now()
				? ` (${t.retryIn(Math.ceil((item.nextAttemptAt - Date.now()) / 1000))})`
				: ''
		return h(
			'li',
			{
				class: `note ${rejected ? 'rejected' : 'queued'}`,
				'data-client-note-id': item.body.clientNoteId,
				style: `--note:${colourFill(item.body.color ?? DEFAULT_COLOUR)}`,
			},
			h('p', { class: 'note-text' }, item.body.text),
			h('p', { class: 'note-meta' }, this.zoneLabel(this.zoneById(item.body.zoneId), item.body.zoneId)),
			h('p', { class: 'note-status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), status + retry),
			(rejected || !sending) &&
				h(
					'div',
					{ class: 'actions' },
					h(
						'button',
						{ type: 'button', class: 'secondary small', onclick: () => this.outbox.discard(item.body.clientNoteId) },
						t.discard
					)
				)
		)
	}

	/** A note the facilitator rejected: its text as this phone kept it, "Niet geplaatst", and a button to remove it. */
	private notPlacedItem(note: NoteView): HTMLElement {
		const t = this.t
		return h(
			'li',
			{ class: 'note not-placed', 'data-note-id': note.noteId, 'data-status': 'not-placed' },
			h('p', { class: 'note-text' }, note.text),
			h('p', { class: 'note-meta' }, this.zoneLabel(this.zoneById(note.zoneId), note.zoneId)),
			h('p', { class: 'note-status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), t.statusNotPlaced),
			h(
				'div',
				{ class: 'actions' },
				h(
					'button',
					{
						type: 'button',
						class: 'secondary small',
						onclick: () => {
							this.notPlaced = this.notPlaced.filter((n) => n.noteId !== note.noteId)
							this.saveNotes()
							this.renderNotes()
						},
					},
					t.dismiss
				)
			)
		)
	}

	private noteItem(note: NoteView): HTMLElement {
		const t = this.t
		const status =
			note.status === 'held'
				? t.statusHeld
				: note.status === 'awaiting_review'
					? t.statusAwaitingReview
					: t.statusOnBoard
		const li = h('li', {
			class: `note ${note.status === 'awaiting_review' ? 'waiting' : 'placed'}`,
			'data-note-id': note.noteId,
			'data-status': note.status,
			style: `--note:${colourFill(note.color)}`,
		})
		const error =
			this.noteError?.noteId === note.noteId ? h('p', { class: 'error', role: 'alert' }, this.noteError.message) : null
		if (this.editing?.noteId === note.noteId) {
			const editing = this.editing
			const id = `edit-${note.noteId.replace(/[^A-Za-z0-9_-]/g, '')}`
			const area = h('textarea', {
				id,
				rows: 3,
				value: editing.draft,
				maxlength: MAX_TEXT + 50,
				oninput: (event: Event) => {
					editing.draft = (event.target as HTMLTextAreaElement).value
				},
			})
			replaceChildren(
				li,
				h('label', { for: id, class: 'label' }, t.editLabel),
				area,
				error,
				h(
					'div',
					{ class: 'actions' },
					h(
						'button',
						{ type: 'button', class: 'primary small', onclick: () => void this.saveEdit(note, editing.draft) },
						t.save
					),
					h(
						'button',
						{
							type: 'button',
							class: 'secondary small',
							onclick: () => {
								this.editing = null
								this.noteError = null
								this.renderNotes(true)
							},
						},
						t.cancel
					)
				)
			)
			queueMicrotask(() => area.focus())
			return li
		}
		const confirming = this.confirmingDelete === note.noteId
		replaceChildren(
			li,
			h('p', { class: 'note-text' }, note.text),
			h('p', { class: 'note-meta' }, this.zoneLabel(this.zoneById(note.zoneId), note.zoneId)),
			h('p', { class: 'note-status' }, h('span', { class: 'dot', 'aria-hidden': 'true' }), status),
			error,
			confirming
				? h(
						'div',
						{ class: 'actions confirm' },
						h('p', {}, t.confirmRemove),
						h('button', { type: 'button', class: 'danger small', onclick: () => void this.remove(note) }, t.remove),
						h(
							'button',
							{
								type: 'button',
								class: 'secondary small',
								onclick: () => {
									this.confirmingDelete = null
									this.renderNotes()
								},
							},
							t.cancel
						)
					)
				: h(
						'div',
						{ class: 'actions' },
						h(
							'button',
							{
								type: 'button',
								class: 'secondary small',
								onclick: () => {
									this.editing = { noteId: note.noteId, draft: note.text }
									this.confirmingDelete = null
									this.noteError = null
									this.renderNotes(true)
								},
							},
							t.edit
						),
						h(
							'button',
							{
								type: 'button',
								class: 'secondary small',
								onclick: () => {
									this.confirmingDelete = note.noteId
									this.editing = null
									this.renderNotes()
								},
							},
							t.remove
						)
					)
		)
		return li
	}

	private async saveEdit(note: NoteView, draft: string): Promise<void> {
		const text = draft.trim()
		if (!text || characterCount(text) > MAX_TEXT) {
			this.noteError = { noteId: note.noteId, message: text ? this.t.errors.textTooLong : this.t.errors.emptyText }
			this.editing = { noteId: note.noteId, draft }
			this.renderNotes(true)
			return
		}
		const result = await patchNote(this.ctx.roomId, note.noteId, { text }, this.token)
		if (!result.ok) {
			this.noteError = { noteId: note.noteId, message: failureMessage(result, this.t, 'change') }
			this.renderNotes(true)
			return
		}
		this.editing = null
		this.noteError = null
		this.notes = this.notes.map((n) => (n.noteId === note.noteId ? { ...n, ...result.data } : n))
		this.saveNotes()
		this.renderNotes(true)
	}

	private async remove(note: NoteView): Promise<void> {
		const result = await deleteNote(this.ctx.roomId, note.noteId, this.token)
		if (!result.ok && !(result.kind === 'http' && result.code === 'note_not_found')) {
			this.noteError = { noteId: note.noteId, message: failureMessage(result, this.t, 'change') }
			this.renderNotes()
			return
		}
		this.confirmingDelete = null
		this.noteError = null
		this.notes = this.notes.filter((n) => n.noteId !== note.noteId)
		this.saveNotes()
		this.renderNotes()
		this.regions.notes.querySelector('h2')?.setAttribute('tabindex', '-1')
		this.regions.notes.querySelector<HTMLElement>('h2')?.focus()
	}
}
