/**
 * The note colours the phone offers: a subset of tldraw's palette, with the note fill tldraw draws for each
 * (its light theme), so the swatch looks like the note on the board.
 */
export const PHONE_COLOURS = [
	{ name: 'yellow', fill: '#FED49A' },
	{ name: 'orange', fill: '#FAA475' },
	{ name: 'light-red', fill: '#F7A5A1' },
	{ name: 'light-violet', fill: '#DFB0F9' },
	{ name: 'light-blue', fill: '#9BC4FD' },
	{ name: 'light-green', fill: '#98D08A' },
] as const

/** The colour a new note starts with. */
export const DEFAULT_COLOUR = 'yellow'

/** The fill to show for a tldraw colour name (notes can be recoloured on the board to any palette colour). */
export function colourFill(name: string): string {
	const known = PHONE_COLOURS.find((c) => c.name === name)
	if (known) return known.fill
	const others: Record<string, string> = {
		black: '#FCE19C',
		grey: '#C0CAD3',
		'light-blue': '#9BC4FD',
		blue: '#8AA3FF',
		green: '#6FC896',
		red: '#FC8282',
		violet: '#DB91FD',
		white: '#FFFFFF',
	}
	return others[name] ?? '#FED49A'
}
