import type { FastifyPluginAsync } from 'fastify'

/** `GET /api/metrics`: rooms in memory, connections, and time from an update's arrival to durable. */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
	app.get('/api/metrics', async () => ({
		loadedRooms: app.rooms.loadedCount,
		connections: app.websocketConnections.size,
		durableMs: app.metrics.durable.summary(),
	}))
	app.delete('/api/metrics', async (_request, reply) => {
		app.metrics.durable.reset()
		return reply.code(204).send()
	})
}
