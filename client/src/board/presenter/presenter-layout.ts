/**
 * How the presenter view lays out one zone's notes: a grid of equal cards that fills the space under the
 * zone's question, with the largest text that fits. Text never goes below {@link MIN_NOTE_FONT_PX} (readable
 * from the back of a room at 1920 × 1080); a note longer than its card is cut off with an ellipsis (its whole
 * text stays in the page for screen readers), so cards never overlap.
 */

/** Smallest note text in the presenter view, in CSS pixels. */
export const MIN_NOTE_FONT_PX = 24
/** Largest note text, for a zone with a handful of notes. */
export const MAX_NOTE_FONT_PX = 44
/** Space between cards, in CSS pixels. */
export const CARD_GAP_PX = 16
/** Padding inside a card, in CSS pixels (each side). */
export const CARD_PADDING_PX = 14
/** Line height of note text, as a multiple of its size. */
export const LINE_HEIGHT = 1.2

/** The grid the notes are laid out in. */
export interface NoteGrid {
	columns: number
	rows: number
	cardWidth: number
	cardHeight: number
	fontPx: number
	/** Lines of text a card with a dot count shows before it cuts the text off. */
	maxLines: number
	/** The same for a card without dots (no line kept free for the count). */
	maxLinesAlone: number
}

/**
 * The grid for `count` notes in an area of `width` × `height` CSS pixels: the column count whose cards come
 * closest to a 16:10 shape at the largest size, text sized to show about four lines of a card. When the area
 * is too small for `count` cards at the minimum text size, cards keep the height that size needs and the area
 * scrolls.
 */
export function noteGrid(count: number, width: number, height: number): NoteGrid {
	const n = Math.max(1, count)
	let best: NoteGrid | null = null
	let bestScore = -1
	for (let columns = 1; columns <= n; columns++) {
		const rows = Math.ceil(n / columns)
		const cardWidth = (width - CARD_GAP_PX * (columns - 1)) / columns
		const cardHeight = (height - CARD_GAP_PX * (rows - 1)) / rows
		if (cardWidth <= 0 || cardHeight <= 0) break
		// A card is as useful as its smaller side at 16:10.
		const score = Math.min(cardWidth, cardHeight * 1.6)
		if (score > bestScore) {
			bestScore = score
			best = gridFor(columns, rows, cardWidth, cardHeight)
		}
	}
	return best ?? gridFor(1, n, Math.max(width, 200), 0)
}

function gridFor(columns: number, rows: number, cardWidth: number, cardHeight: number): NoteGrid {
	// About four lines of text, and about 14 characters per line at the least.
	const byHeight = (cardHeight - 2 * CARD_PADDING_PX) / (4.6 * LINE_HEIGHT)
	const byWidth = (cardWidth - 2 * CARD_PADDING_PX) / 8
	const fontPx = Math.round(Math.max(MIN_NOTE_FONT_PX, Math.min(MAX_NOTE_FONT_PX, byHeight, byWidth)))
	const minHeight = Math.ceil(2 * CARD_PADDING_PX + 3 * fontPx * LINE_HEIGHT + fontPx)
	const height = Math.max(cardHeight, minHeight)
	const lines = (space: number) => Math.max(1, Math.floor(space / (fontPx * LINE_HEIGHT)))
	const maxLines = lines(height - 2 * CARD_PADDING_PX - fontPx)
	const maxLinesAlone = lines(height - 2 * CARD_PADDING_PX)
	return {
		columns,
		rows,
		cardWidth: Math.floor(cardWidth),
		cardHeight: Math.floor(height),
		fontPx,
		maxLines,
		maxLinesAlone,
	}
}
