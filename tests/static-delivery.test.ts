import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compressAssets } from '../scripts/compress-assets.mjs'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'

let dist: string
let server: InProcessServer
const script = `${'export const zones = ["doel", "verhaal", "kennis", "principes"];\n'.repeat(400)}console.log(zones)\n`

async function get(
	url: string,
	acceptEncoding?: string,
	options: { method?: string; headers?: Record<string, string> } = {}
): Promise<{ status: number; headers: Headers; body: Buffer }> {
	// Node's fetch decodes compressed bodies itself; ask through a plain request to see the bytes on the wire.
	// The path goes out as written (no URL parsing, which would resolve `..` and `%2e%2e` segments).
	const { request } = await import('node:http')
	const { hostname, port } = new URL(server.baseUrl)
	return new Promise((resolve, reject) => {
		const req = request(
			{
				hostname,
				port,
				path: url,
				method: options.method ?? 'GET',
				headers: { ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}), ...options.headers },
			},
			(res) => {
				const chunks: Buffer[] = []
				res.on('data', (c: Buffer) => chunks.push(c))
				res.on('end', () => {
					const headers = new Headers()
					for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v)
					resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks) })
				})
			}
		)
		req.on('error', reject)
		req.end()
	})
}

beforeAll(async () => {
	dist = await makeTempDir('kompasbord-dist-')
	await mkdir(path.join(dist, 'assets'))
	await writeFile(path.join(dist, 'index.html'), `<!doctype html><title>Kompasbord</title>${'<p>bord</p>'.repeat(200)}`)
	await writeFile(
		path.join(dist, 'phone.html'),
		`<!doctype html><title>meedoen</title>${'<p>telefoon</p>'.repeat(200)}`
	)
	await writeFile(path.join(dist, 'assets', 'BoardPage-AbC123.js'), script)
	await writeFile(path.join(dist, 'assets', 'font-XyZ789.woff2'), Buffer.alloc(4096, 7))
	const totals = compressAssets(dist)
	expect(totals.files).toBe(3)
	server = await startServerInProcess({ env: { CLIENT_DIST_DIR: dist } })
})

afterAll(async () => {
	await server?.close()
	await removeTempDir(dist)
})

describe('pre-compressed static assets', () => {
	it('sends brotli to a browser that accepts it, cached for a year as immutable', async () => {
		const res = await get('/assets/BoardPage-AbC123.js', 'gzip, deflate, br, zstd')
		expect(res.status).toBe(200)
		expect(res.headers.get('content-encoding')).toBe('br')
		expect(res.headers.get('vary')?.toLowerCase()).toContain('accept-encoding')
		expect(res.headers.get('content-type')).toMatch(/javascript/)
		expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
		expect(res.body.length).toBeLessThan(script.length / 10)
		expect(brotliDecompressSync(res.body).toString()).toBe(script)
		expect(res.body.equals(await readFile(path.join(dist, 'assets', 'BoardPage-AbC123.js.br')))).toBe(true)
	})

	it('sends gzip when brotli is not accepted, and the file itself when nothing is', async () => {
		const gz = await get('/assets/BoardPage-AbC123.js', 'gzip')
		expect(gz.headers.get('content-encoding')).toBe('gzip')
		expect(gunzipSync(gz.body).toString()).toBe(script)
		const plain = await get('/assets/BoardPage-AbC123.js')
		expect(plain.headers.get('content-encoding')).toBeNull()
		expect(plain.headers.get('vary')?.toLowerCase()).toContain('accept-encoding')
		expect(plain.body.toString()).toBe(script)
	})

	it('leaves already compressed files (fonts) as they are', async () => {
		const font = await get('/assets/font-XyZ789.woff2', 'br')
		expect(font.status).toBe(200)
		expect(font.headers.get('content-encoding')).toBeNull()
		expect(font.body.length).toBe(4096)
	})

	it('compresses the pages too but has browsers revalidate them', async () => {
		for (const url of ['/', '/b/some-room', '/j/some-room']) {
			const page = await get(url, 'br')
			expect(page.status).toBe(200)
			expect(page.headers.get('content-encoding')).toBe('br')
			expect(page.headers.get('cache-control')).toBe('no-cache')
			expect(brotliDecompressSync(page.body).toString()).toContain(url.startsWith('/j') ? 'telefoon' : 'bord')
		}
	})
})

describe('static files as a browser and a hostile client ask for them', () => {
	it('answers a revalidation with 304 while the file is unchanged, and sends it whole otherwise', async () => {
		const first = await get('/', 'br')
		const etag = first.headers.get('etag')
		expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/)
		expect(first.headers.get('last-modified')).toBeTruthy()
		const again = await get('/', 'br', { headers: { 'if-none-match': etag! } })
		expect(again.status).toBe(304)
		expect(again.body.length).toBe(0)
		// The gzip copy is another entity: its tag differs, so a cached brotli copy is not taken for it.
		const gzip = await get('/', 'gzip', { headers: { 'if-none-match': etag! } })
		expect(gzip.status).toBe(200)
		expect(gunzipSync(gzip.body).toString()).toContain('bord')
		const since = await get('/assets/font-XyZ789.woff2', undefined, {
			headers: { 'if-modified-since': new Date(Date.now() + 60_000).toUTCString() },
		})
		expect(since.status).toBe(304)
		const stale = await get('/assets/font-XyZ789.woff2', undefined, { headers: { 'if-none-match': 'W/"0-0"' } })
		expect(stale.status).toBe(200)
		expect(stale.body.length).toBe(4096)
	})

	it('names the content type by extension and answers HEAD with the headers only', async () => {
		const font = await get('/assets/font-XyZ789.woff2')
		expect(font.headers.get('content-type')).toBe('font/woff2')
		const head = await get('/assets/BoardPage-AbC123.js', 'br', { method: 'HEAD' })
		expect(head.status).toBe(200)
		expect(head.headers.get('content-encoding')).toBe('br')
		expect(Number(head.headers.get('content-length'))).toBe(
			(await readFile(path.join(dist, 'assets', 'BoardPage-AbC123.js.br'))).length
		)
		expect(head.body.length).toBe(0)
	})

	it('sends nothing from outside the client directory, no dot-files, and answers bad paths with a JSON 404', async () => {
		await writeFile(path.join(dist, '.env'), 'SECRET=1')
		await writeFile(path.join(path.dirname(dist), `outside-${path.basename(dist)}.txt`), 'outside')
		for (const url of [
			'/../package.json',
			'/assets/../../package.json',
			'/%2e%2e/%2e%2e/package.json',
			'/assets/%2e%2e%2f%2e%2e%2fpackage.json',
			`/..%2f${encodeURIComponent(`outside-${path.basename(dist)}.txt`)}`,
			'/.env',
			'/assets/%00.js',
			'/assets/..%5c..%5cpackage.json',
			'/assets/missing-123.js',
		]) {
			const res = await get(url)
			expect(res.status, url).toBe(404)
			expect(JSON.parse(res.body.toString()).error.code, url).toBe('not_found')
		}
		// A path that does not decode is refused by the router before any file is looked up.
		const undecodable = await get('/assets/%E0%A4%A.js')
		expect(undecodable.status).toBe(400)
		expect(JSON.parse(undecodable.body.toString()).error.code).toBeTruthy()
	})
})
