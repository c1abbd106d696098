import type { FastifyPluginAsync } from 'fastify'
import { templateSummaries } from '@kompasbord/templates'

/** `GET /api/templates`: every board template with its zones. */
export const templateRoutes: FastifyPluginAsync = async (app) => {
	const summaries = templateSummaries()
	app.get('/api/templates', async () => summaries)
}
