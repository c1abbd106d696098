import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'

/**
 * `GET /api/health`: `{"status":"ok","checks":{…}}` with 200 when every registered check passes (the store can
 * write, the commit thread works, …), else `status: "failing"` with 503 and the failing check's `error`.
 */
export const healthRoutes = routePlugin('kompasbord-health-route', { decorators: ['health'] }, async (app) => {
	typed(app).route({
		...contractRoute('health'),
		handler: async (_request, reply) => {
			const report = app.health.report()
			reply.header('cache-control', 'no-store')
			reply.code(report.status === 'ok' ? 200 : 503)
			return report
		},
	})
})
