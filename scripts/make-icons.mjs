#!/usr/bin/env node
/**
 * Draws the phone page's app icons (a white compass rose on Kompasbord blue) as PNG files in
 * `client/public/icons/`: `icon-192.png`, `icon-512.png` and `icon-maskable-512.png` (the rose inside the
 * maskable safe zone). No image library: pixels are computed with 4×4 supersampling and written with zlib.
 * The files are committed; run `node scripts/make-icons.mjs` again only to change the design.
 *
 * @module
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'

const outDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'client', 'public', 'icons')

const BLUE = [29, 78, 137]
const WHITE = [255, 255, 255]
const ORANGE = [240, 140, 40]

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
	return c >>> 0
})

/** @param {Buffer} bytes */
function crc32(bytes) {
	let c = 0xffffffff
	for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8)
	return (c ^ 0xffffffff) >>> 0
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
	const length = Buffer.alloc(4)
	length.writeUInt32BE(data.length)
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
	const crc = Buffer.alloc(4)
	crc.writeUInt32BE(crc32(body))
	return Buffer.concat([length, body, crc])
}

/**
 * An RGB PNG of `size`² pixels; `colour(x, y)` in unit coordinates (0…1) answers [r, g, b].
 * @param {number} size
 * @param {(x: number, y: number) => number[]} colour
 */
function png(size, colour) {
	const raw = Buffer.alloc((size * 3 + 1) * size)
	const samples = 4
	for (let y = 0; y < size; y++) {
		const row = y * (size * 3 + 1)
		raw[row] = 0
		for (let x = 0; x < size; x++) {
			const sum = [0, 0, 0]
			for (let sy = 0; sy < samples; sy++) {
				for (let sx = 0; sx < samples; sx++) {
					const c = colour((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size)
					for (let i = 0; i < 3; i++) sum[i] += c[i]
				}
			}
			for (let i = 0; i < 3; i++) raw[row + 1 + x * 3 + i] = Math.round(sum[i] / (samples * samples))
		}
	}
	const header = Buffer.alloc(13)
	header.writeUInt32BE(size, 0)
	header.writeUInt32BE(size, 4)
	header[8] = 8 // bit depth
	header[9] = 2 // RGB
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0)),
	])
}

/**
 * Whether (px, py) lies in the rhombus with tip at distance `long` along `angle` and half-width `wide`.
 * @param {number} px @param {number} py @param {number} angle @param {number} long @param {number} wide
 */
function inNeedle(px, py, angle, long, wide) {
	const along = px * Math.cos(angle) + py * Math.sin(angle)
	const across = -px * Math.sin(angle) + py * Math.cos(angle)
	if (along < 0) return false
	return Math.abs(across) <= wide * (1 - along / long)
}

/** The compass rose, scaled by `scale` around the centre (1 fills the icon, 0.7 keeps the maskable safe zone). */
/** @param {number} scale @returns {(x: number, y: number) => number[]} */
function rose(scale) {
	return (x, y) => {
		const px = (x - 0.5) / scale
		const py = (y - 0.5) / scale
		const r = Math.hypot(px, py)
		if (r > 0.36 && r < 0.41) return WHITE
		if (inNeedle(px, py, -Math.PI / 2, 0.33, 0.085)) return ORANGE
		for (const angle of [Math.PI / 2, 0, Math.PI]) if (inNeedle(px, py, angle, 0.33, 0.085)) return WHITE
		for (const angle of [Math.PI / 4, (3 * Math.PI) / 4, (5 * Math.PI) / 4, (7 * Math.PI) / 4]) {
			if (inNeedle(px, py, angle, 0.22, 0.05)) return WHITE
		}
		if (r < 0.035) return BLUE
		return BLUE
	}
}

mkdirSync(outDir, { recursive: true })
writeFileSync(path.join(outDir, 'icon-192.png'), png(192, rose(1)))
writeFileSync(path.join(outDir, 'icon-512.png'), png(512, rose(1)))
writeFileSync(path.join(outDir, 'icon-maskable-512.png'), png(512, rose(0.72)))
console.log(`[icons] wrote ${outDir}`)
