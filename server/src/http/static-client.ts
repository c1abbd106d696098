import fs from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { errorBody } from './errors'
import { fileInRoot, sendStaticFile } from './static-files'

/** Vite's hashed output: a file's name changes with its content, so it may be cached for good. */
const HASHED_ASSET = `${path.sep}assets${path.sep}`
const CACHED_FOR_GOOD = 'public, max-age=31536000, immutable'
const REVALIDATED = 'no-cache'

/**
 * Serves the built client (`client/dist`): `/j` and `/j/*` the phone page, `/admin` the admin page (only with
 * `ADMIN_TOKEN` set; else it and `admin.html` answer 404), every other page path the board app. Unknown `/api/*`
 * and `/ws/*` paths answer a JSON 404.
 *
 * Files go out pre-compressed (http/static-files.ts): the build writes `<file>.br` and `<file>.gz` beside every
 * text asset (scripts/compress-assets.mjs) and a request whose `Accept-Encoding` allows brotli (or else gzip)
 * gets that copy with `Content-Encoding` and `Vary: Accept-Encoding`; others get the file itself. Files are
 * looked up per request, so a rebuilt client is served without restarting the server. Hashed assets
 * (`/assets/…`) are cached for a year as `immutable`; pages, the service worker and the manifest are
 * revalidated on every load (`no-cache`, answered 304 while unchanged), so a new build reaches every browser.
 */
export const staticClient: FastifyPluginAsync = async (app) => {
	const dist = app.config.clientDistDir
	const hasClient = fs.existsSync(path.join(dist, 'index.html'))
	if (!hasClient) app.log.warn({ dist }, 'client is not built; only the API is served (run npm start)')
	/** The admin page exists only when the operator set ADMIN_TOKEN. */
	const allowed = (urlPath: string) => app.config.adminToken !== null || !urlPath.startsWith('/admin')

	const notFound = (request: FastifyRequest, reply: FastifyReply, url: string) =>
		reply.code(404).send(errorBody('not_found', `No route ${request.method} ${url}`))

	/** Sends a page of the client (revalidated on every load). */
	const sendPage = async (request: FastifyRequest, reply: FastifyReply, page: string) => {
		if (await sendStaticFile(request, reply, path.join(dist, page), REVALIDATED)) return reply
		return notFound(request, reply, request.url.split('?')[0])
	}

	if (hasClient) {
		// GET and HEAD as routes of their own: Fastify's automatic HEAD route would send a HEAD answer without a body
		// as `content-length: 0`.
		const methods = ['GET', 'HEAD']
		app.route({ method: methods, url: '/', handler: (request, reply) => sendPage(request, reply, 'index.html') })
		app.route({
			method: methods,
			url: '/admin',
			handler: (request, reply) => {
				if (!app.config.adminToken) return notFound(request, reply, '/admin')
				return sendPage(request, reply, 'admin.html')
			},
		})
		// Any other path: a file of the client, else (below) a page or a 404.
		app.route({
			method: methods,
			url: '/*',
			handler: async (request, reply) => {
				const url = request.url.split('?')[0]
				const file = allowed(url) ? fileInRoot(dist, url) : null
				const cacheControl = file?.includes(HASHED_ASSET) ? CACHED_FOR_GOOD : REVALIDATED
				if (file && (await sendStaticFile(request, reply, file, cacheControl))) return reply
				return reply.callNotFound()
			},
		})
	}

	app.setNotFoundHandler((request, reply) => {
		const url = request.url.split('?')[0]
		const isPage = request.method === 'GET' || request.method === 'HEAD'
		if (!isPage || url.startsWith('/api/') || url.startsWith('/ws/') || !hasClient || /\.[a-z0-9]+$/i.test(url)) {
			return notFound(request, reply, url)
		}
		const wantsPhone = url === '/j' || url.startsWith('/j/')
		const page = wantsPhone && fs.existsSync(path.join(dist, 'phone.html')) ? 'phone.html' : 'index.html'
		return sendPage(request, reply, page)
	})
}
