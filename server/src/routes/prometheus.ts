import type { FastifyPluginAsync } from 'fastify'
import { requireOperatorToken } from '../http/auth'

/**
 * `GET /metrics`: the Prometheus text exposition (observability/prometheus.ts), with
 * `Authorization: Bearer <METRICS_TOKEN>`; 404 when `METRICS_TOKEN` is not set, 401 without the token.
 */
export const prometheusRoutes: FastifyPluginAsync = async (app) => {
	app.get('/metrics', async (request, reply) => {
		requireOperatorToken(request, app.config.metricsToken)
		const { contentType, body } = await app.prometheus.render()
		reply.header('cache-control', 'no-store')
		return reply.type(contentType).send(body)
	})
}
