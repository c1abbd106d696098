import { readFileSync } from 'node:fs'
import { SourceMap, type SourceMapPayload } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Stack traces of the server bundle that name our TypeScript files, with the bundle's source maps read only when
 * a stack trace needs them.
 *
 * Node's own source map support (`process.setSourceMapsEnabled`, `--enable-source-maps`) reads and keeps the map
 * of every module it loads while it is on, from the start: for the bundle and its chunks some 0.8 MiB of an idle
 * server's heap (docs/benchmarks.md finding 17), held for stack traces that an idle server never prints. Instead
 * {@link installStackSourceMaps} formats stack traces itself (V8's `Error.prepareStackTrace`, which runs when an
 * error's `stack` is first read): a frame in a file of the bundle's directory gets its place in the TypeScript
 * source from that file's map (`<file>.map`, written by scripts/build-server.mjs), read and parsed on the first
 * frame that needs it and kept from then on; every other frame, and a file without a map, is printed as V8
 * prints it. The format is V8's own (`Error: message` and one `    at …` line per frame).
 *
 * @module
 */

/** A V8 call site, as `Error.prepareStackTrace` gets them. */
type CallSite = NodeJS.CallSite

/** Maps read so far, by the bundle file's URL (null: the file has no readable map). */
const maps = new Map<string, { map: SourceMap; dir: string } | null>()

/** The parsed map of a bundle file (a `file:` URL), read on first use. */
function mapOf(fileUrl: string): { map: SourceMap; dir: string } | null {
	let entry = maps.get(fileUrl)
	if (entry !== undefined) return entry
	entry = null
	try {
		const mapFile = `${fileURLToPath(fileUrl)}.map`
		const payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload
		entry = { map: new SourceMap(payload), dir: path.dirname(mapFile) }
	} catch {
		// No map (or not one Node reads): the frame stays as V8 prints it.
	}
	maps.set(fileUrl, entry)
	return entry
}

/** One frame's line: V8's text for it, with the bundle's place replaced by the TypeScript source's. */
function frameLine(site: CallSite, bundleDirUrl: string): string {
	let text: string
	try {
		text = site.toString()
	} catch {
		return '    at <frame>'
	}
	const file = site.getFileName()
	const line = site.getLineNumber()
	const column = site.getColumnNumber()
	if (!file || !file.startsWith(bundleDirUrl) || line === null || column === null) return `    at ${text}`
	const mapped = mapOf(file)
	const origin = mapped?.map.findEntry(line - 1, column - 1)
	if (!mapped || !origin || !('originalSource' in origin) || !origin.originalSource) return `    at ${text}`
	const source = pathToFileURL(path.resolve(mapped.dir, origin.originalSource)).href
	const place = `${file}:${line}:${column}`
	const original = `${source}:${origin.originalLine + 1}:${origin.originalColumn + 1}`
	const at = text.lastIndexOf(place)
	return `    at ${at === -1 ? `${text} [${original}]` : text.slice(0, at) + original + text.slice(at + place.length)}`
}

/** The first line of a stack trace as V8 writes it: `Name: message`. */
function errorHeader(error: unknown): string {
	try {
		return Error.prototype.toString.call(error)
	} catch {
		return '<error>'
	}
}

/**
 * Makes stack traces name the TypeScript files of the bundle in `bundleDir` (the directory of the running
 * bundle: its file and its `chunks/`), reading each file's map when a stack trace first needs it. Replaces
 * `Error.prepareStackTrace` (code that sets its own for a moment and restores it, as some packages do, still
 * works).
 * @param bundleDir directory of the bundle, e.g. `path.dirname(fileURLToPath(import.meta.url))` in it
 */
export function installStackSourceMaps(bundleDir: string): void {
	const bundleDirUrl = `${pathToFileURL(path.resolve(bundleDir)).href}/`
	Error.prepareStackTrace = (error, sites) => {
		let text = errorHeader(error)
		for (const site of sites) text += `\n${frameLine(site, bundleDirUrl)}`
		return text
	}
}
