import { templateSummaries } from '@kompasbord/templates'
import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'

/**
 * `GET /api/templates`: every board template with its zones and preview. Made on the first request and kept:
 * an idle server holds neither the summaries nor their SVG previews, nor the code that draws them.
 */
export const templateRoutes = routePlugin('kompasbord-template-routes', {}, async (app) => {
	let summaries: ReturnType<typeof templateSummaries> | null = null
	typed(app).route({
		...contractRoute('templates'),
		handler: async () => {
			summaries ??= templateSummaries()
			return summaries
		},
	})
})
