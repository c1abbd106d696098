import fs from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'
import { errorBody } from './errors'

/** Vite's hashed output: a file's name changes with its content, so it may be cached for good. */
const HASHED_ASSET = `${path.sep}assets${path.sep}`

/**
 * Serves the built client (`client/dist`): `/j` and `/j/*` the phone page, `/admin` the admin page (only with
 * `ADMIN_TOKEN` set; else it and `admin.html` answer 404), every other page path the board app. Unknown `/api/*`
 * and `/ws/*` paths answer a JSON 404.
 *
 * Files go out pre-compressed: the build writes `<file>.br` and `<file>.gz` beside every text asset
 * (scripts/compress-assets.mjs) and a request whose `Accept-Encoding` allows brotli (or else gzip) gets that
 * copy with `Content-Encoding` and `Vary: Accept-Encoding`; others get the file itself. Hashed assets
 * (`/assets/…`) are cached for a year as `immutable`; pages, the service worker and the manifest are
 * revalidated on every load (`no-cache`), so a new build reaches every browser.
 */
export const staticClient: FastifyPluginAsync = async (app) => {
	const dist = app.config.clientDistDir
	const hasClient = fs.existsSync(path.join(dist, 'index.html'))
	if (!hasClient) app.log.warn({ dist }, 'client is not built; only the API is served (run npm start)')
	else {
		await app.register(fastifyStatic, {
			root: dist,
			index: false,
			// Looked up per request, so a rebuilt client is served without restarting the server.
			wildcard: true,
			// The admin page exists only when the operator set ADMIN_TOKEN.
			allowedPath: (pathName) => app.config.adminToken !== null || !pathName.startsWith('/admin'),
			preCompressed: true,
			// Our own Cache-Control below, not @fastify/static's `max-age=0`.
			cacheControl: false,
			setHeaders(res, filePath) {
				res.header(
					'cache-control',
					filePath.includes(HASHED_ASSET) ? 'public, max-age=31536000, immutable' : 'no-cache'
				)
			},
		})
	}

	if (hasClient) {
		app.get('/', (_request, reply) => {
			reply.header('cache-control', 'no-cache')
			return reply.type('text/html').sendFile('index.html')
		})
		app.get('/admin', (request, reply) => {
			if (!app.config.adminToken || !fs.existsSync(path.join(dist, 'admin.html'))) {
				return reply.code(404).send(errorBody('not_found', `No route ${request.method} /admin`))
			}
			reply.header('cache-control', 'no-cache')
			return reply.type('text/html').sendFile('admin.html')
		})
	}

	app.setNotFoundHandler((request, reply) => {
		const url = request.url.split('?')[0]
		const isPage = request.method === 'GET' || request.method === 'HEAD'
		if (!isPage || url.startsWith('/api/') || url.startsWith('/ws/') || !hasClient || /\.[a-z0-9]+$/i.test(url)) {
			return reply.code(404).send(errorBody('not_found', `No route ${request.method} ${url}`))
		}
		const wantsPhone = url === '/j' || url.startsWith('/j/')
		const page = wantsPhone && fs.existsSync(path.join(dist, 'phone.html')) ? 'phone.html' : 'index.html'
		reply.header('cache-control', 'no-cache')
		return reply.type('text/html').sendFile(page)
	})
}
