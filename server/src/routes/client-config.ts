import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'

/**
 * `GET /api/config`: what the browser needs at run time — the tldraw licence key (so a new key needs no rebuild)
 * the public URL, if the operator set one, and how long boards are kept (`retentionMs`, null: for ever).
 */
export const clientConfigRoutes = routePlugin('kompasbord-config-route', { decorators: ['config'] }, async (app) => {
	typed(app).route({
		...contractRoute('clientConfig'),
		handler: async (_request, reply) => {
			reply.header('cache-control', 'no-store')
			return {
				tldrawLicenseKey: app.config.tldrawLicenseKey,
				publicUrl: app.config.publicUrl,
				retentionMs: app.config.retentionMs,
			}
		},
	})
})
