import type { FastifyPluginAsync } from 'fastify'

/**
 * `GET /api/config`: what the browser needs at run time — the tldraw licence key (so a new key needs no rebuild)
 * and the public URL, if the operator set one.
 */
export const clientConfigRoutes: FastifyPluginAsync = async (app) => {
	app.get('/api/config', async (_request, reply) => {
		reply.header('cache-control', 'no-store')
		return { tldrawLicenseKey: app.config.tldrawLicenseKey, publicUrl: app.config.publicUrl }
	})
}
