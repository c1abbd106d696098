import { createReadStream, type Stats } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { FastifyReply, FastifyRequest } from 'fastify'

/**
 * Files of one directory sent as they are or as the brotli/gzip copy the build wrote beside them
 * (scripts/compress-assets.mjs: `<file>.br`, `<file>.gz`), with a content type from the file's extension, an
 * `ETag` and `Last-Modified` of the copy sent, and `304 Not Modified` to a browser that holds it already.
 *
 * What the server used `@fastify/static` for, and only that: that plugin (with `@fastify/send`, glob, mime and
 * their kin) held about 1 MiB of an idle server's heap for it (docs/benchmarks.md finding 17). Ranges are not
 * served (the client's files are scripts, styles, fonts, icons and pages that browsers fetch whole): a `Range`
 * header is ignored and the whole file sent, as HTTP allows.
 *
 * @module
 */

/** Content types by extension, for the files a Vite build of the client holds (others: `application/octet-stream`). */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript; charset=utf-8',
	'.mjs': 'text/javascript; charset=utf-8',
	'.css': 'text/css; charset=utf-8',
	'.json': 'application/json; charset=utf-8',
	'.map': 'application/json; charset=utf-8',
	'.webmanifest': 'application/manifest+json; charset=utf-8',
	'.txt': 'text/plain; charset=utf-8',
	'.xml': 'application/xml; charset=utf-8',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.gif': 'image/gif',
	'.webp': 'image/webp',
	'.avif': 'image/avif',
	'.ico': 'image/x-icon',
	'.woff': 'font/woff',
	'.woff2': 'font/woff2',
	'.ttf': 'font/ttf',
	'.otf': 'font/otf',
	'.wasm': 'application/wasm',
	'.pdf': 'application/pdf',
}

/** The content type of a file name by its extension. */
export function contentTypeOf(fileName: string): string {
	return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream'
}

/** The copies a file may have beside it, in the order they are preferred. */
const ENCODINGS = [
	{ encoding: 'br', suffix: '.br' },
	{ encoding: 'gzip', suffix: '.gz' },
] as const

/** Whether an `Accept-Encoding` header accepts `encoding` (listed, and not with `q=0`). */
export function acceptsEncoding(header: string | undefined, encoding: string): boolean {
	if (!header) return false
	for (const part of header.split(',')) {
		const [name, ...params] = part.trim().split(';')
		if (name.trim().toLowerCase() !== encoding) continue
		const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
		return q === undefined || Number(q.slice(2)) > 0
	}
	return false
}

/**
 * The file a URL path names inside `root`, or null when it names none that may be sent: a path that does not
 * decode, holds a NUL, climbs out of `root` or passes through a dot-file or dot-directory (`.git`, `.env`).
 * @param urlPath the request's path, without the query, still percent-encoded
 */
export function fileInRoot(root: string, urlPath: string): string | null {
	let decoded: string
	try {
		decoded = decodeURIComponent(urlPath)
	} catch {
		return null
	}
	if (decoded.includes('\0') || decoded.includes('\\')) return null
	const segments = decoded.split('/').filter((segment) => segment !== '')
	if (segments.some((segment) => segment.startsWith('.'))) return null
	const file = path.resolve(root, ...segments)
	const base = path.resolve(root)
	return file.startsWith(base + path.sep) ? file : null
}

/** A regular file's stats, or null when there is none at `file`. */
async function statFile(file: string): Promise<Stats | null> {
	try {
		const stats = await stat(file)
		return stats.isFile() ? stats : null
	} catch {
		return null
	}
}

/** Whether the browser's copy (`If-None-Match`, else `If-Modified-Since`) is the one we would send. */
function notModified(request: FastifyRequest, etag: string, modified: Stats['mtime']): boolean {
	const ifNoneMatch = request.headers['if-none-match']
	if (ifNoneMatch !== undefined) {
		return ifNoneMatch
			.split(',')
			.map((tag) => tag.trim())
			.some((tag) => tag === '*' || tag === etag || tag.replace(/^W\//, '') === etag.replace(/^W\//, ''))
	}
	const ifModifiedSince = request.headers['if-modified-since']
	if (ifModifiedSince === undefined) return false
	const since = Date.parse(ifModifiedSince)
	return Number.isFinite(since) && Math.floor(modified.getTime() / 1000) * 1000 <= since
}

/**
 * Sends `file` (a path from {@link fileInRoot}) or its brotli/gzip copy, as the request accepts, with
 * `cacheControl` (the reply is sent when it resolves true; the caller returns it). Resolves to false without
 * answering when there is no such file, so the caller can answer (404, or a page).
 */
export async function sendStaticFile(
	request: FastifyRequest,
	reply: FastifyReply,
	file: string,
	cacheControl: string
): Promise<boolean> {
	const stats = await statFile(file)
	if (!stats) return false
	let sent = { file, stats, encoding: null as string | null }
	let hasCopies = false
	for (const { encoding, suffix } of ENCODINGS) {
		const copy = await statFile(file + suffix)
		if (!copy) continue
		hasCopies = true
		if (acceptsEncoding(request.headers['accept-encoding'], encoding)) {
			sent = { file: file + suffix, stats: copy, encoding }
			break
		}
	}
	const etag = `W/"${sent.stats.size.toString(16)}-${Math.floor(sent.stats.mtimeMs).toString(16)}"`
	reply.header('cache-control', cacheControl)
	reply.header('etag', etag)
	reply.header('last-modified', sent.stats.mtime.toUTCString())
	if (hasCopies) reply.header('vary', 'Accept-Encoding')
	if (notModified(request, etag, sent.stats.mtime)) {
		reply.code(304).send()
		return true
	}
	reply.header('content-type', contentTypeOf(file))
	if (sent.encoding) reply.header('content-encoding', sent.encoding)
	reply.header('content-length', sent.stats.size)
	reply.send(request.method === 'HEAD' ? undefined : createReadStream(sent.file))
	return true
}
