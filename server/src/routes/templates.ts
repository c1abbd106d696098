import { templateSummaries } from '@kompasbord/templates'
import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'

/** `GET /api/templates`: every board template with its zones. */
export const templateRoutes = routePlugin('kompasbord-template-routes', {}, async (app) => {
	const summaries = templateSummaries()
	typed(app).route({ ...contractRoute('templates'), handler: async () => summaries })
})
