import { describe, expect, it } from 'vitest'
import { CARD_GAP_PX, MIN_NOTE_FONT_PX, noteGrid } from './presenter-layout'

describe('noteGrid', () => {
	it('gives 30 notes on a 1920 × 1080 projector text of at least 24 px, within the area', () => {
		const area = { w: 1840, h: 760 }
		const grid = noteGrid(30, area.w, area.h)
		expect(grid.fontPx).toBeGreaterThanOrEqual(MIN_NOTE_FONT_PX)
		expect(grid.columns * grid.rows).toBeGreaterThanOrEqual(30)
		expect(grid.columns * grid.cardWidth + (grid.columns - 1) * CARD_GAP_PX).toBeLessThanOrEqual(area.w)
		expect(grid.rows * grid.cardHeight + (grid.rows - 1) * CARD_GAP_PX).toBeLessThanOrEqual(area.h)
		expect(grid.maxLines).toBeGreaterThanOrEqual(2)
	})

	it('gives few notes large text', () => {
		expect(noteGrid(3, 1840, 760).fontPx).toBeGreaterThan(36)
		expect(noteGrid(1, 1840, 760).columns).toBe(1)
	})

	it('never goes below the minimum text size, however many notes', () => {
		for (const n of [0, 1, 7, 20, 30, 60, 200])
			expect(noteGrid(n, 1840, 760).fontPx, String(n)).toBeGreaterThanOrEqual(MIN_NOTE_FONT_PX)
	})
})
