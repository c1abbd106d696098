import type { FastifyPluginAsync } from 'fastify'
import { contractRoute, typed, routePlugin } from '../http/contract-route'

/** `GET /api/metrics`: rooms in memory, connections, and time from an update's arrival to durable. */
export const metricsRoutes = routePlugin(
	'kompasbord-metrics-routes',
	{ dependencies: ['kompasbord-websocket'], decorators: ['metrics', 'rooms'] },
	async (app) => {
		const api = typed(app)
		api.route({
			...contractRoute('metrics'),
			handler: async () => ({
				loadedRooms: app.rooms.loadedCount,
				connections: app.websocketConnections.size,
				durableMs: app.metrics.durable.summary(),
			}),
		})
		api.route({
			...contractRoute('resetMetrics'),
			handler: async (_request, reply) => {
				app.metrics.durable.reset()
				return reply.code(204).send(null)
			},
		})
	}
)
