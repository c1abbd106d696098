import { describe, expect, it } from 'vitest'
import { cameraFor, freeArea } from './fit-beside-panels'

const screen = { x: 0, y: 0, w: 1920, h: 1080 }

describe('freeArea', () => {
	it('cuts a tall left panel off the left, a style panel off the right, bars off the top and bottom', () => {
		const area = freeArea(
			screen,
			[
				{ x: 8, y: 56, w: 290, h: 520 }, // Sessie
				{ x: 1764, y: 42, w: 148, h: 284 }, // style panel
				{ x: 0, y: 0, w: 222, h: 42 }, // menu
				{ x: 741, y: 1024, w: 438, h: 48 }, // toolbar
			],
			10
		)
		expect(area).toEqual({ x: 308, y: 52, w: 1920 - 298 - 156 - 20, h: 1080 - 42 - 56 - 20 })
	})

	it('ignores what lies outside the container', () => {
		expect(freeArea(screen, [{ x: 2000, y: 0, w: 100, h: 100 }], 0)).toEqual(screen)
	})
})

describe('cameraFor', () => {
	it('centres the bounds in the area at the largest zoom that fits', () => {
		const area = { x: 300, y: 50, w: 1000, h: 500 }
		const bounds = { x: 100, y: 100, w: 2000, h: 800 }
		const camera = cameraFor(bounds, area, 0.05, 8)
		expect(camera.z).toBeCloseTo(0.5)
		// The bounds' corners land inside the area.
		const toScreen = (px: number, py: number) => ({ x: (px + camera.x) * camera.z, y: (py + camera.y) * camera.z })
		const a = toScreen(bounds.x, bounds.y)
		const b = toScreen(bounds.x + bounds.w, bounds.y + bounds.h)
		expect(a.x).toBeCloseTo(300)
		expect(b.x).toBeCloseTo(1300)
		expect(a.y).toBeGreaterThanOrEqual(50)
		expect(b.y).toBeLessThanOrEqual(550)
	})
})
