/**
 * Deterministic packing of sticky notes into a zone: where a new note goes so that it overlaps no note
 * already there and stays inside the zone, below the zone's header. Pure geometry in frame coordinates.
 *
 * @packageDocumentation
 */

/** Width and height of a tldraw note at scale 1 (before `growY`). */
export const NOTE_SIZE = 200
/** The scale new notes get in a template zone: 200 × 0.5 = 100 board units. */
export const TEMPLATE_NOTE_SCALE = 0.5
/** Scales tried in order when a zone fills up: the first that fits wins. */
export const NOTE_SCALE_STEPS: readonly number[] = [0.5, 0.45, 0.4, 0.35, 0.3]
/** Space kept free between a zone's edges and its notes (board units). */
export const ZONE_PADDING = 16
/** Space kept free between two notes (board units). */
export const NOTE_GAP = 8

/** A rectangle in frame coordinates; for a note, its size with `props.scale` applied. */
export interface PlacementRect {
	x: number
	y: number
	w: number
	h: number
}

/** Options of {@link placeNote}. */
export interface PlacementOptions {
	/** Height of the zone's header (label, question, hint) at the top; notes go below it. Default 0. */
	topInset?: number
	/** Free space along the zone's edges; default {@link ZONE_PADDING}. */
	padding?: number
	/** Free space between notes; default {@link NOTE_GAP}. */
	gap?: number
	/** Scales to try, largest first; default {@link NOTE_SCALE_STEPS}. */
	scales?: readonly number[]
	/**
	 * The height the zone may grow to before notes get smaller: at each scale, a place that needs the zone to
	 * grow up to this height wins over any smaller scale. Default: the zone's height (no growth before shrinking).
	 */
	growLimitH?: number
}

/**
 * The scales a template zone tries, largest first: `scale`, then steps of 10 % of it down to `minScale`
 * (inclusive). `minScale` above `scale` counts as `scale`.
 */
export function noteScaleSteps(scale: number, minScale: number): number[] {
	const steps: number[] = []
	const floor = Math.min(scale, minScale)
	for (let s = scale; s > floor + 1e-9; s = Math.round((s - scale * 0.1) * 1000) / 1000) steps.push(s)
	steps.push(floor)
	return steps
}

/** Where a new note goes. */
export interface PlacementResult {
	/** Frame-relative position of the note's top-left corner. */
	x: number
	y: number
	/** The note's `props.scale`. */
	scale: number
	/**
	 * Present when even the smallest scale does not fit: the size the zone must grow to (never smaller than
	 * it is) for the note to fit at (x, y).
	 */
	growTo?: { w: number; h: number }
}

function overlaps(a: PlacementRect, b: PlacementRect, gap: number): boolean {
	return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

function sortedUnique(values: number[]): number[] {
	return [...new Set(values)].sort((a, b) => a - b)
}

/**
 * Finds a free place for a note of `note` size (at scale 1, e.g. 200 × (200 + growY)) in a zone of `zone`
 * size, given the notes already in it. Tries each scale of `options.scales` from largest to smallest, and at
 * each scale the candidate corners in reading order (top to bottom, left to right): the content area's
 * top-left corner and the corners right of and below every existing note. The first candidate that keeps
 * `gap` to every existing note and `padding` to the zone's edges — the bottom edge taken at
 * `options.growLimitH` when that is more than the zone's height — wins; when it lies below the zone's
 * bottom, `growTo` says how tall the zone must become. So a full zone grows (up to `growLimitH`) before notes
 * get smaller. When nothing fits at any scale, the note goes at the smallest scale into a new row below
 * everything, and `growTo` says how large the zone must become. Same input, same answer.
 * @param zone - the zone frame's size.
 * @param existing - notes (or other obstacles) in the zone, frame-relative, scale applied.
 * @param note - the new note's size at scale 1.
 */
export function placeNote(
	zone: { w: number; h: number },
	existing: readonly PlacementRect[],
	note: { w: number; h: number },
	options: PlacementOptions = {}
): PlacementResult {
	const topInset = Math.max(0, options.topInset ?? 0)
	const padding = Math.max(0, options.padding ?? ZONE_PADDING)
	const gap = Math.max(0, options.gap ?? NOTE_GAP)
	const scales = (options.scales ?? NOTE_SCALE_STEPS).filter((s) => s > 0)
	if (scales.length === 0) throw new RangeError('placeNote needs at least one positive scale')
	if (!(note.w > 0 && note.h > 0)) throw new RangeError('placeNote needs a note with a positive size')
	const left = padding
	const top = topInset + padding
	const right = zone.w - padding
	const bottom = Math.max(zone.h, options.growLimitH ?? 0) - padding
	const xs = sortedUnique([left, ...existing.map((r) => r.x + r.w + gap)])
	const ys = sortedUnique([top, ...existing.map((r) => r.y + r.h + gap)])
	for (const scale of scales) {
		const w = note.w * scale
		const h = note.h * scale
		for (const y of ys) {
			if (y < top || y + h > bottom) continue
			for (const x of xs) {
				if (x < left || x + w > right) continue
				const candidate = { x, y, w, h }
				if (existing.some((r) => overlaps(candidate, r, gap))) continue
				if (y + h + padding <= zone.h) return { x, y, scale }
				return { x, y, scale, growTo: { w: zone.w, h: Math.ceil(y + h + padding) } }
			}
		}
	}
	const scale = scales[scales.length - 1]
	const w = note.w * scale
	const h = note.h * scale
	const y = Math.max(top, ...existing.map((r) => r.y + r.h + gap))
	return {
		x: left,
		y,
		scale,
		growTo: { w: Math.max(zone.w, left + w + padding), h: Math.max(zone.h, y + h + padding) },
	}
}
