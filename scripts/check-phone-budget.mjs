#!/usr/bin/env node
/**
 * Checks the phone page's budget (`npm test` runs every `scripts/check-*.mjs`): all JavaScript and CSS that
 * `phone.html` loads — its script and stylesheet tags, modulepreloads, and every chunk those import
 * statically, plus its service worker and web app manifest — must be at most 80 KB gzipped, and none of it may
 * contain tldraw code or TypeBox (the contract's runtime schemas). Dynamically imported
 * chunks are checked for tldraw too (a phone could load them), though they do not count towards the size.
 *
 * To show that the tldraw detector works, the same walk over the board page (`index.html`, dynamic imports
 * followed) must find tldraw; if it does not, the detector is broken and the check fails.
 *
 * Usage: `node scripts/check-phone-budget.mjs [--dist <dir>]`. Without `--dist` it checks `client/dist`,
 * building the client first when its sources changed. Prints one line per file and the total; exits 1 over
 * budget, with tldraw code in the phone page, or when the page is missing.
 *
 * @module
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { clientBuildReason, clientDist, ensureClientBuild } from './build-client.mjs'
import { ensureDeps } from './ensure-deps.mjs'

/** The budget, in bytes gzipped. */
export const PHONE_BUDGET_BYTES = 80 * 1024

/** Strings only tldraw's code carries (its package names and version registration). */
const TLDRAW_MARKERS = [/@tldraw\//, /["'`]tldraw["'`]/, /tl-container/, /tldraw_/i]
/**
 * TypeBox's runtime (its kind symbol): the contract's schemas must stay out of the phone page, which imports the
 * contract's types and its dependency-free modules only.
 */
const TYPEBOX_MARKERS = [/TypeBox\.Kind/]

/**
 * The local asset URLs an HTML page loads: module scripts, stylesheets and modulepreloads.
 * @param {string} html
 * @returns {string[]}
 */
export function htmlAssets(html) {
	const urls = []
	for (const match of html.matchAll(/<script\b[^>]*\bsrc=["']([^"']+)["'][^>]*>/gi)) urls.push(match[1])
	for (const match of html.matchAll(/<link\b[^>]*>/gi)) {
		const tag = match[0]
		const rel = /\brel=["']([^"']+)["']/i.exec(tag)?.[1] ?? ''
		const href = /\bhref=["']([^"']+)["']/i.exec(tag)?.[1]
		if (href && /\b(stylesheet|modulepreload)\b/i.test(rel)) urls.push(href)
	}
	return urls.filter((url) => !/^(https?:)?\/\//i.test(url) && !url.startsWith('data:'))
}

/**
 * The chunks a (minified) ES module imports: static (`import … from "x"`, `import "x"`, `export … from "x"`)
 * and dynamic (`import("x")`, plus the dependency lists of Vite's preload helper).
 * @param {string} code
 * @returns {{ statics: string[], dynamics: string[] }}
 */
export function moduleImports(code) {
	const statics = new Set()
	const dynamics = new Set()
	for (const match of code.matchAll(
		/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*?\s*from\s*)?["']([^"']+\.(?:m?js|css))["']/g
	)) {
		statics.add(match[1])
	}
	for (const match of code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) dynamics.add(match[1])
	for (const match of code.matchAll(/["']((?:\.{0,2}\/)?assets\/[^"']+\.(?:m?js|css))["']/g)) dynamics.add(match[1])
	for (const s of statics) dynamics.delete(s)
	return { statics: [...statics], dynamics: [...dynamics] }
}

/**
 * Resolves an import specifier or page URL to a file in `dist`.
 * @param {string} dist
 * @param {string} fromFile absolute path of the importer (the HTML page or a chunk)
 * @param {string} spec
 */
function resolveAsset(dist, fromFile, spec) {
	const clean = spec.split(/[?#]/)[0]
	if (clean.startsWith('/')) return path.join(dist, clean)
	if (clean.startsWith('./') || clean.startsWith('../')) return path.resolve(path.dirname(fromFile), clean)
	// Vite's preload lists name assets from the site root without a slash ("assets/x.js").
	return path.join(dist, clean)
}

/**
 * Walks what a page loads: static imports (counted) and dynamic ones (marked `dynamic`).
 * @param {string} dist
 * @param {string} page e.g. `phone.html`
 * @returns {{ files: Map<string, { bytes: number, gzip: number, tldraw: boolean, typebox: boolean, dynamic: boolean }>, missing: string[] }}
 */
export function walkPage(dist, page) {
	const pagePath = path.join(dist, page)
	const files = new Map()
	const missing = []
	/** @type {{ file: string, dynamic: boolean }[]} */
	const queue = htmlAssets(readFileSync(pagePath, 'utf8')).map((url) => ({
		file: resolveAsset(dist, pagePath, url),
		dynamic: false,
	}))
	while (queue.length) {
		const next = /** @type {{ file: string, dynamic: boolean }} */ (queue.shift())
		const { file, dynamic } = next
		const known = files.get(file)
		if (known) {
			if (!dynamic && known.dynamic) known.dynamic = false
			else continue
		}
		if (!existsSync(file)) {
			missing.push(path.relative(dist, file))
			continue
		}
		const content = readFileSync(file)
		const text = content.toString('utf8')
		files.set(file, {
			bytes: content.length,
			gzip: gzipSync(content, { level: 9 }).length,
			tldraw: TLDRAW_MARKERS.some((marker) => marker.test(text)),
			typebox: TYPEBOX_MARKERS.some((marker) => marker.test(text)),
			dynamic,
		})
		if (/\.m?js$/.test(file)) {
			const { statics, dynamics } = moduleImports(text)
			for (const spec of statics) queue.push({ file: resolveAsset(dist, file, spec), dynamic })
			for (const spec of dynamics) queue.push({ file: resolveAsset(dist, file, spec), dynamic: true })
		}
	}
	return { files, missing }
}

/** @param {number} bytes */
function kb(bytes) {
	return `${(bytes / 1024).toFixed(1)} KB`
}

function main() {
	const args = process.argv.slice(2)
	const distIndex = args.indexOf('--dist')
	let dist = clientDist
	if (distIndex >= 0) dist = path.resolve(args[distIndex + 1] ?? '')
	else if (clientBuildReason()) ensureClientBuild(ensureDeps())
	const phonePage = path.join(dist, 'phone.html')
	if (!existsSync(phonePage)) {
		console.error(`[phone-budget] FAIL: ${path.relative(process.cwd(), phonePage)} is missing (build the client)`)
		return 1
	}
	let failed = false
	const { files, missing } = walkPage(dist, 'phone.html')
	for (const file of missing) {
		console.error(`[phone-budget] FAIL: phone.html loads ${file}, which is not in the build`)
		failed = true
	}
	let total = 0
	for (const [file, info] of files) {
		if (!info.dynamic) total += info.gzip
		const flags = [
			info.dynamic ? 'dynamic, not counted' : '',
			info.tldraw ? 'CONTAINS TLDRAW' : '',
			info.typebox ? 'CONTAINS TYPEBOX' : '',
		].filter(Boolean)
		console.log(
			`[phone-budget] ${path.relative(dist, file)}: ${kb(info.bytes)} raw, ${kb(info.gzip)} gzip${flags.length ? ` (${flags.join(', ')})` : ''}`
		)
		if (info.tldraw || info.typebox) failed = true
	}
	// The service worker and the web app manifest are loaded by the page too (scripts/compress-assets.mjs gzips them).
	for (const extra of ['phone-sw.js', 'manifest.webmanifest']) {
		const file = path.join(dist, extra)
		if (!existsSync(file)) continue
		const content = readFileSync(file)
		const gzip = gzipSync(content, { level: 9 }).length
		total += gzip
		console.log(`[phone-budget] ${extra}: ${kb(content.length)} raw, ${kb(gzip)} gzip`)
	}
	const over = total > PHONE_BUDGET_BYTES
	console.log(
		`[phone-budget] phone page total: ${kb(total)} gzipped of ${kb(PHONE_BUDGET_BYTES)} (${((total / PHONE_BUDGET_BYTES) * 100).toFixed(0)}%)`
	)
	if (over) {
		console.error(`[phone-budget] FAIL: over budget by ${kb(total - PHONE_BUDGET_BYTES)}`)
		failed = true
	}
	if ([...files.values()].some((info) => info.tldraw))
		console.error('[phone-budget] FAIL: the phone page loads tldraw code')
	if ([...files.values()].some((info) => info.typebox))
		console.error('[phone-budget] FAIL: the phone page loads TypeBox (import only types from the contract schemas)')
	// The detector must see tldraw where it is: in the board page's chunks.
	if (existsSync(path.join(dist, 'index.html'))) {
		const board = walkPage(dist, 'index.html')
		const found = [...board.files].filter(([, info]) => info.tldraw).map(([file]) => path.relative(dist, file))
		if (found.length === 0) {
			console.error('[phone-budget] FAIL: the tldraw detector finds no tldraw in the board page either; it is broken')
			failed = true
		} else console.log(`[phone-budget] detector check: tldraw found in the board page's ${found.join(', ')}`)
		if (![...board.files.values()].some((info) => info.typebox)) {
			console.error('[phone-budget] FAIL: the TypeBox detector finds no TypeBox in the board page either; it is broken')
			failed = true
		}
	}
	console.log(`[phone-budget] ${failed ? 'FAIL' : 'ok'}`)
	return failed ? 1 : 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
	try {
		process.exitCode = main()
	} catch (error) {
		console.error(`[phone-budget] FAIL: ${error instanceof Error ? error.message : String(error)}`)
		process.exitCode = 1
	}
}
