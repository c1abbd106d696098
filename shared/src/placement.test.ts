import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
	NOTE_GAP,
	NOTE_SCALE_STEPS,
	noteScaleSteps,
	placeNote,
	TEMPLATE_NOTE_SCALE,
	ZONE_PADDING,
	type PlacementRect,
} from './placement'

const NOTE = { w: 200, h: 200 }
const EPS = 1e-6

function overlap(a: PlacementRect, b: PlacementRect): boolean {
	return a.x < b.x + b.w - EPS && b.x < a.x + a.w - EPS && a.y < b.y + b.h - EPS && b.y < a.y + a.h - EPS
}

/** Places `count` notes one after another, growing the zone when asked; returns the notes and final zone. */
function fill(zone: { w: number; h: number }, count: number, topInset = 0, heights: number[] = []) {
	const notes: PlacementRect[] = []
	let size = { ...zone }
	for (let i = 0; i < count; i++) {
		const note = { w: 200, h: heights[i % Math.max(1, heights.length)] ?? 200 }
		const r = placeNote(size, notes, note, { topInset })
		if (r.growTo) size = r.growTo
		notes.push({ x: r.x, y: r.y, w: note.w * r.scale, h: note.h * r.scale })
	}
	return { notes, size }
}

describe('placeNote', () => {
	it('puts the first note in the top-left corner below the header, at the template scale', () => {
		expect(placeNote({ w: 600, h: 600 }, [], NOTE, { topInset: 150 })).toEqual({
			x: ZONE_PADDING,
			y: 150 + ZONE_PADDING,
			scale: TEMPLATE_NOTE_SCALE,
		})
	})

	it('fills rows left to right, then the next row, in a regular grid', () => {
		const { notes } = fill({ w: 564, h: 1000 }, 7)
		const step = 100 + NOTE_GAP
		expect(notes.map((n) => [n.x, n.y])).toEqual([
			[16, 16],
			[16 + step, 16],
			[16 + 2 * step, 16],
			[16 + 3 * step, 16],
			[16 + 4 * step, 16],
			[16, 16 + step],
			[16 + step, 16 + step],
		])
	})

	it('fits 20 notes at full scale in a 564 × 456 body (5 × 4 notes of 100 px)', () => {
		const { notes, size } = fill({ w: 564, h: 456 + 200 }, 20, 200)
		expect(size).toEqual({ w: 564, h: 656 })
		expect(notes.every((n) => n.w === 100)).toBe(true)
	})

	it('shrinks the note step by step when the zone is full, then asks the zone to grow', () => {
		// Room for one 100 px note and, beside it, only a 70 px one.
		const zone = { w: 16 + 100 + 8 + 70 + 16, h: 16 + 100 + 16 }
		const first = placeNote(zone, [], NOTE)
		expect(first.scale).toBe(0.5)
		const existing = [{ x: first.x, y: first.y, w: 100, h: 100 }]
		const second = placeNote(zone, existing, NOTE)
		expect(second).toEqual({ x: 16 + 100 + 8, y: 16, scale: 0.35 })
		existing.push({ x: second.x, y: second.y, w: 70, h: 70 })
		const third = placeNote(zone, existing, NOTE)
		const smallest = NOTE_SCALE_STEPS[NOTE_SCALE_STEPS.length - 1]
		expect(third.scale).toBe(smallest)
		expect(third.growTo).toEqual({ w: zone.w, h: 16 + 100 + 8 + 200 * smallest + 16 })
		expect(third).toMatchObject({ x: 16, y: 16 + 100 + 8 })
	})

	it('grows the width too when the zone is narrower than the smallest note', () => {
		const r = placeNote({ w: 50, h: 50 }, [], NOTE)
		expect(r.growTo).toEqual({ w: 16 + 60 + 16, h: 16 + 60 + 16 })
	})

	it('works around notes a user moved anywhere, also outside the zone', () => {
		const existing = [
			{ x: 10, y: 10, w: 120, h: 120 },
			{ x: 500, y: -40, w: 100, h: 100 },
			{ x: 300, y: 700, w: 100, h: 100 },
		]
		const r = placeNote({ w: 600, h: 600 }, existing, NOTE)
		const placed = { x: r.x, y: r.y, w: 200 * r.scale, h: 200 * r.scale }
		expect(existing.some((e) => overlap(e, placed))).toBe(false)
		expect(r.growTo).toBeUndefined()
	})

	it('is deterministic and validates its input', () => {
		const existing = [{ x: 16, y: 16, w: 100, h: 100 }]
		expect(placeNote({ w: 400, h: 400 }, existing, NOTE)).toEqual(placeNote({ w: 400, h: 400 }, existing, NOTE))
		expect(() => placeNote({ w: 400, h: 400 }, [], { w: 0, h: 200 })).toThrow(RangeError)
		expect(() => placeNote({ w: 400, h: 400 }, [], NOTE, { scales: [] })).toThrow(RangeError)
	})

	it('property: 0–60 notes placed one after another never overlap and never leave the (grown) zone', () => {
		fc.assert(
			fc.property(
				fc.record({
					w: fc.integer({ min: 60, max: 1400 }),
					h: fc.integer({ min: 60, max: 1200 }),
					topInset: fc.integer({ min: 0, max: 400 }),
					count: fc.integer({ min: 0, max: 60 }),
					heights: fc.array(fc.integer({ min: 200, max: 420 }), { minLength: 1, maxLength: 8 }),
				}),
				({ w, h, topInset, count, heights }) => {
					const { notes, size } = fill({ w, h }, count, topInset, heights)
					expect(size.w).toBeGreaterThanOrEqual(w)
					expect(size.h).toBeGreaterThanOrEqual(h)
					for (const [i, n] of notes.entries()) {
						expect(n.x).toBeGreaterThanOrEqual(ZONE_PADDING - EPS)
						expect(n.y).toBeGreaterThanOrEqual(topInset + ZONE_PADDING - EPS)
						expect(n.x + n.w).toBeLessThanOrEqual(size.w - ZONE_PADDING + EPS)
						expect(n.y + n.h).toBeLessThanOrEqual(size.h - ZONE_PADDING + EPS)
						for (const other of notes.slice(0, i)) expect(overlap(n, other)).toBe(false)
					}
				}
			),
			{ numRuns: 150 }
		)
	})

	it('property: a new note never overlaps arbitrary existing obstacles', () => {
		const rect = fc.record({
			x: fc.integer({ min: -200, max: 1000 }),
			y: fc.integer({ min: -200, max: 1000 }),
			w: fc.integer({ min: 1, max: 300 }),
			h: fc.integer({ min: 1, max: 300 }),
		})
		fc.assert(
			fc.property(fc.array(rect, { maxLength: 30 }), fc.integer({ min: 100, max: 1000 }), (existing, side) => {
				const r = placeNote({ w: side, h: side }, existing, NOTE, { topInset: 40 })
				const placed = { x: r.x, y: r.y, w: 200 * r.scale, h: 200 * r.scale }
				for (const e of existing) expect(overlap(placed, e)).toBe(false)
				const size = r.growTo ?? { w: side, h: side }
				expect(placed.x + placed.w).toBeLessThanOrEqual(size.w)
				expect(placed.y + placed.h).toBeLessThanOrEqual(size.h)
				expect(placed.y).toBeGreaterThanOrEqual(40)
			}),
			{ numRuns: 200 }
		)
	})
})

describe('grow before shrink', () => {
	it('grows the zone up to growLimitH at the first scale, and only then makes notes smaller', () => {
		const zone = { w: 2 * 100 + 2 * 16 + 8, h: 100 + 32 }
		const options = { scales: [0.5, 0.3], growLimitH: 2 * 100 + 8 + 32 }
		const placed: { x: number; y: number; w: number; h: number }[] = []
		let size = { ...zone }
		const scales: number[] = []
		for (let i = 0; i < 5; i++) {
			const r = placeNote(size, placed, { w: 200, h: 200 }, options)
			scales.push(r.scale)
			if (r.growTo) size = r.growTo
			placed.push({ x: r.x, y: r.y, w: 200 * r.scale, h: 200 * r.scale })
		}
		// Two fit; the third and fourth make the zone grow by a row at full scale; the fifth is smaller.
		expect(scales).toEqual([0.5, 0.5, 0.5, 0.5, 0.3])
		expect(size.h).toBeGreaterThan(zone.h)
	})

	it('lists the scale steps from the template scale down to its minimum', () => {
		expect(noteScaleSteps(1, 0.9)).toEqual([1, 0.9])
		expect(noteScaleSteps(0.5, 0.3)).toEqual([0.5, 0.45, 0.4, 0.35, 0.3])
		expect(noteScaleSteps(0.5, 0.8)).toEqual([0.5])
	})
})
