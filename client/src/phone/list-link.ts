/** The phone page's link to the board's list view ("Lijstweergave"), for a screen reader or the keyboard. */
import { h } from './dom'
import type { Lang } from './strings'

const TEXT: Record<Lang, string> = {
	nl: 'Lijstweergave: alle zones en notities als lijst (voor schermlezer en toetsenbord)',
	en: 'List view: every zone and note as a list (for screen readers and the keyboard)',
}

/** A link to `/b/<roomId>/lijst` in the phone's language. */
export function listViewLink(roomId: string, lang: Lang): HTMLAnchorElement {
	return h(
		'a',
		{ class: 'list-link', href: `/b/${encodeURIComponent(roomId)}/lijst`, 'data-testid': 'phone-list-link' },
		TEXT[lang]
	)
}
