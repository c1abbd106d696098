import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import fastifyWebsocket from '@fastify/websocket'
import './types'
import type { ServerConfig } from './config'
import { HttpError, errorBody } from './http/errors'
import { staticClient } from './http/static-client'
import { DurationSamples } from './metrics'
import { RoomManager } from './rooms/room-manager'
import { clientConfigRoutes } from './routes/client-config'
import { healthRoutes } from './routes/health'
import { metricsRoutes } from './routes/metrics'
import { roomRoutes } from './routes/rooms'
import { templateRoutes } from './routes/templates'
import { GroupCommitter } from './store/group-commit'
import type { RoomStore } from './store/room-store'
import { SqliteRoomStore } from './store/sqlite-room-store'
import { wsRoutes } from './ws/ws-route'

export { loadConfig, type ServerConfig } from './config'

/** Options for {@link buildApp} beyond the configuration. */
export interface BuildAppOptions {
	/** A store to use instead of the SQLite file in `config.dataDir`. */
	store?: RoomStore
	/** Log to stderr (default) or not at all. */
	logger?: boolean
}

/**
 * Builds the Kompasbord Fastify app (not listening yet): the room store, the room manager, the REST routes,
 * the y-websocket endpoint and the static client. `server.ts` starts it.
 */
export async function buildApp(config: ServerConfig, options: BuildAppOptions = {}): Promise<FastifyInstance> {
	const app = Fastify({
		logger: options.logger === false ? false : { level: config.logLevel, file: '/dev/stderr' },
		bodyLimit: 256 * 1024,
		forceCloseConnections: true,
		trustProxy: true,
	})
	const store = options.store ?? new SqliteRoomStore(config.dataDir, { synchronous: config.sqliteSynchronous })
	const metrics = { durable: new DurationSamples() }
	const committer = new GroupCommitter(store, (ms) => metrics.durable.add(ms))
	const rooms = new RoomManager(store, committer, app.log, config.roomIdleMs)
	app.decorate('config', config)
	app.decorate('store', store)
	app.decorate('committer', committer)
	app.decorate('rooms', rooms)
	app.decorate('metrics', metrics)

	app.setErrorHandler((error: FastifyError, request, reply) => {
		if (error instanceof HttpError) {
			return reply.code(error.statusCode).send(errorBody(error.code, error.message))
		}
		if (error.validation) {
			return reply.code(400).send(errorBody('bad_request', error.message))
		}
		if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error.statusCode === 400 && error instanceof SyntaxError)) {
			return reply.code(400).send(errorBody('invalid_json', 'The request body is not valid JSON'))
		}
		const status = error.statusCode ?? 500
		if (status >= 400 && status < 500) {
			return reply.code(status).send(errorBody(error.code?.toLowerCase() ?? 'bad_request', error.message))
		}
		request.log.error({ err: error }, 'request failed')
		return reply.code(500).send(errorBody('internal', 'Internal server error'))
	})

	await app.register(fastifyWebsocket, { options: { maxPayload: config.maxMessageBytes } })
	await app.register(healthRoutes)
	await app.register(clientConfigRoutes)
	await app.register(metricsRoutes)
	await app.register(templateRoutes)
	await app.register(roomRoutes)
	await app.register(wsRoutes)
	await app.register(staticClient)

	app.addHook('preClose', async () => {
		// Tell every client we are restarting (1012) and stop taking updates, then make everything durable.
		for (const client of app.websocketServer?.clients ?? []) client.close(1012, 'server restarting')
		await rooms.closeAll()
		await committer.drain()
	})
	app.addHook('onClose', async () => {
		await store.close()
	})
	return app
}
