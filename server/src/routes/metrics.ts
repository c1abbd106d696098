import { requireOperatorToken } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'

/**
 * `GET /api/metrics`: rooms in memory, connections, the durability setting, and time from an update's arrival to
 * crash-safe (committed) and to power-safe (fsync'd), and how long the oldest commit not yet power-safe waits; `DELETE`
 * clears the samples. Both need `Authorization: Bearer <METRICS_TOKEN>` (404 when the server has no token).
 */
export const metricsRoutes = routePlugin(
	'kompasbord-metrics-routes',
	{ dependencies: ['kompasbord-websocket'], decorators: ['metrics', 'rooms'] },
	async (app) => {
		app.addHook('onRequest', async (request) => {
			if (request.routeOptions.url === '/api/metrics') requireOperatorToken(request, app.config.metricsToken)
		})
		const api = typed(app)
		api.route({
			...contractRoute('metrics'),
			handler: async () => ({
				loadedRooms: app.rooms.loadedCount,
				connections: app.websocketConnections.size,
				durability: app.metrics.durability,
				durableMs: app.metrics.durable.summary(),
				powerSafeMs: app.metrics.powerSafe.summary(),
				powerSafeLagMs: app.metrics.powerSafeLagMs(),
			}),
		})
		api.route({
			...contractRoute('resetMetrics'),
			handler: async (_request, reply) => {
				app.metrics.durable.reset()
				app.metrics.powerSafe.reset()
				return reply.code(204).send(null)
			},
		})
	}
)
