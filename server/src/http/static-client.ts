import fs from 'node:fs'
import path from 'node:path'
import type { FastifyPluginAsync } from 'fastify'
import fastifyStatic from '@fastify/static'
import { errorBody } from './errors'

/**
 * Serves the built client (`client/dist`): assets with long caching, `/j` and `/j/*` the phone page, every
 * other page path the board app. Unknown `/api/*` and `/ws/*` paths answer a JSON 404.
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
			setHeaders(res, filePath) {
				if (filePath.includes(`${path.sep}assets${path.sep}`)) {
					res.header('cache-control', 'public, max-age=31536000, immutable')
				}
			},
		})
	}

	if (hasClient) {
		app.get('/', (_request, reply) => {
			reply.header('cache-control', 'no-cache')
			return reply.type('text/html').sendFile('index.html')
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
