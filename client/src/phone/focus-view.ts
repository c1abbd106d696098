/**
 * Focus on the phone: while the facilitator has a note or theme in focus, the phone shows it large over the
 * page, with its dots (a theme with its notes), from the session answer's `focus`. Leaving focus removes it;
 * the page under it is untouched.
 */
import type { FocusView } from '@kompasbord/shared'
import { h } from './dom'
import type { SessionSync } from './session-sync'
import type { Lang } from './strings'

const TEXTS = {
	nl: {
		label: 'Focus',
		theme: 'Thema',
		dots: (n: number) => (n === 0 ? 'Geen stippen' : n === 1 ? '1 stip' : `${n} stippen`),
	},
	en: {
		label: 'Focus',
		theme: 'Theme',
		dots: (n: number) => (n === 0 ? 'No dots' : n === 1 ? '1 dot' : `${n} dots`),
	},
} as const

/** The phone's focus overlay; put {@link PhoneFocus.element} on the page. */
export class PhoneFocus {
	readonly element = h('div', { class: 'phone-focus', 'data-testid': 'phone-focus', role: 'dialog', hidden: '' })
	private view: FocusView | null = null

	constructor(
		sync: SessionSync,
		private readonly lang: () => Lang
	) {
		sync.subscribe((state) => {
			this.view = state.focus ?? null
			this.render()
		})
	}

	/** Draws the overlay in the page's current language (hidden when focus is off). */
	render(): void {
		const view = this.view
		this.element.hidden = !view
		this.element.replaceChildren()
		if (!view) return
		const t = TEXTS[this.lang()]
		this.element.setAttribute('aria-label', t.label)
		const card = h('div', { class: `phone-focus__card phone-focus__card--${view.kind}` })
		if (view.kind === 'theme') card.append(h('p', { class: 'phone-focus__kind' }, t.theme))
		card.append(
			h('p', { class: 'phone-focus__text', 'data-testid': 'phone-focus-text' }, view.text),
			h(
				'p',
				{ class: 'phone-focus__dots', 'data-testid': 'phone-focus-dots', 'data-dots': String(view.dots) },
				h('span', { class: 'phone-focus__dot-row', 'aria-hidden': 'true' }, '●'.repeat(Math.min(view.dots, 12))),
				` ${t.dots(view.dots)}`
			)
		)
		if (view.notes.length > 0) {
			card.append(
				h(
					'ul',
					{ class: 'phone-focus__notes' },
					...view.notes.map((note) => h('li', {}, h('span', {}, note.text), h('span', {}, t.dots(note.dots))))
				)
			)
		}
		this.element.append(card)
	}
}
