#!/usr/bin/env node
/**
 * Pre-compresses the built client: beside every text asset of `client/dist` (JavaScript, CSS, HTML, SVG, JSON,
 * web manifest) it writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9), so the server sends
 * them as they are (server/src/http/static-files.ts) instead of compressing
 * on every request or sending 1.7 MB of JavaScript uncompressed over the venue wifi. A compressed copy that
 * saves less than 5 % is not written (the server then sends the file itself).
 *
 * scripts/build-client.mjs runs it after every client build; the Docker image runs it after its own build.
 * Usage: `node scripts/compress-assets.mjs [<dist dir>]` (default `client/dist`). Prints one summary line.
 *
 * @module
 */
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'

/** File extensions worth compressing (fonts, PNGs and the like are compressed already). */
export const COMPRESSIBLE = /\.(?:m?js|css|html|svg|json|webmanifest|txt|xml|map)$/i

/** A compressed copy must be at most this share of the original to be kept. */
const KEEP_RATIO = 0.95

/**
 * @param {string} dir
 * @returns {string[]} every file below `dir`
 */
function filesBelow(dir) {
	/** @type {string[]} */
	const files = []
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name)
		if (entry.isDirectory()) files.push(...filesBelow(full))
		else if (entry.isFile()) files.push(full)
	}
	return files
}

/**
 * Writes `.br` and `.gz` beside every compressible file of `dist` (old ones are replaced, stale ones removed).
 * @param {string} dist
 * @returns {{ files: number, bytes: number, brotli: number, gzip: number }} totals over the compressible files
 */
export function compressAssets(dist) {
	const totals = { files: 0, bytes: 0, brotli: 0, gzip: 0 }
	const all = filesBelow(dist)
	for (const file of all) {
		if (/\.(?:br|gz)$/.test(file)) rmSync(file)
	}
	for (const file of all) {
		if (!COMPRESSIBLE.test(file)) continue
		const content = readFileSync(file)
		const brotli = brotliCompressSync(content, {
			params: {
				[constants.BROTLI_PARAM_QUALITY]: 11,
				[constants.BROTLI_PARAM_SIZE_HINT]: content.length,
				[constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
			},
		})
		const gzip = gzipSync(content, { level: 9 })
		totals.files++
		totals.bytes += content.length
		const keptBrotli = brotli.length <= content.length * KEEP_RATIO
		const keptGzip = gzip.length <= content.length * KEEP_RATIO
		if (keptBrotli) writeFileSync(`${file}.br`, brotli)
		if (keptGzip) writeFileSync(`${file}.gz`, gzip)
		totals.brotli += keptBrotli ? brotli.length : content.length
		totals.gzip += keptGzip ? gzip.length : content.length
	}
	return totals
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const dist = path.resolve(
		process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'client', 'dist')
	)
	if (!statSync(dist, { throwIfNoEntry: false })?.isDirectory()) {
		console.error(`[compress] ${dist} is not a directory (build the client first)`)
		process.exit(1)
	}
	const t = compressAssets(dist)
	const kb = (n) => `${(n / 1024).toFixed(0)} KB`
	console.log(`[compress] ${t.files} files, ${kb(t.bytes)} → ${kb(t.brotli)} brotli, ${kb(t.gzip)} gzip`)
}
