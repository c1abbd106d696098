import { describe, expect, it } from 'vitest'
import { create } from 'qrcode'
import { qrPath, spacedCode } from './join-qr'

/** Rasterises the path back into a module grid. */
function raster(size: number, d: string): boolean[][] {
	const grid = Array.from({ length: size }, () => Array<boolean>(size).fill(false))
	for (const match of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-?\d+z/g)) {
		const [x, y, w] = [Number(match[1]), Number(match[2]), Number(match[3])]
		for (let i = 0; i < w; i++) grid[y][x + i] = true
	}
	return grid
}

describe('qrPath', () => {
	it('draws exactly the dark modules of the QR code, finder patterns included', () => {
		const url = 'http://192.168.1.20:8080/j/V1StGXR8_Z5jdHi6B-myT'
		const { size, d } = qrPath(url)
		const { modules } = create(url, { errorCorrectionLevel: 'M' })
		expect(size).toBe(modules.size)
		const grid = raster(size, d)
		for (let row = 0; row < size; row++) {
			for (let col = 0; col < size; col++) expect(grid[row][col]).toBe(modules.get(row, col) === 1)
		}
		// The top-left finder pattern: a 7×7 dark ring.
		for (let i = 0; i < 7; i++) {
			expect(grid[0][i] && grid[6][i] && grid[i][0] && grid[i][6]).toBe(true)
		}
	})

	it('gives different codes for different links', () => {
		expect(qrPath('http://a/j/1').d).not.toBe(qrPath('http://a/j/2').d)
	})
})

describe('spacedCode', () => {
	it('splits six-character codes in two groups', () => {
		expect(spacedCode('K7M2QX')).toBe('K7M 2QX')
		expect(spacedCode('ABC')).toBe('ABC')
	})
})
