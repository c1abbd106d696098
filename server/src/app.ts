import type { ServerOptions } from 'node:http'
import Fastify, {
	LogController,
	type FastifyBaseLogger,
	type FastifyError,
	type FastifyInstance,
	type FastifyReply,
} from 'fastify'
import pino from 'pino'
import './types'
import type { ServerConfig } from './config'
import { HttpError, errorBody, type ErrorCode } from './http/errors'
import { lazySchemaController } from './http/lazy-schema-compilers'
import { openApiPlugin } from './http/openapi'
import { LocalLimiterFactory, rateLimitPlugin } from './http/rate-limit'
import { BoundedLogDestination } from './log-destination'
import { requestLogPlugin } from './http/request-log'
import { securityHeadersPlugin } from './http/security-headers'
import { notesPlugin } from './notes/notes-plugin'
import { staticClient } from './http/static-client'
import { releaseFreeMemory, releaseFreeMemoryAfterFullGcs } from './memory/malloc-trim'
import { DurationSamples } from './metrics'
import { logRecordWriter } from './store/log-record-write'
import { ParticipantTokens, loadTokenSecret } from './rooms/participant-tokens'
import { RoomManager } from './rooms/room-manager'
import { RetentionPurge } from './rooms/retention'
import { clientConfigRoutes } from './routes/client-config'
import { exportRoutes } from './routes/export'
import { healthRoutes } from './routes/health'
import { joinInfoRoutes } from './routes/join-info'
import { metricsRoutes } from './routes/metrics'
import { prometheusRoutes } from './routes/prometheus'
import { HealthChecks } from './observability/health'
import { NO_PROMETHEUS, type PrometheusRecorder } from './observability/prometheus-recorder'
import { noteRoutes } from './routes/notes'
import { presenterRoutes } from './routes/presenter'
import { focusRoutes } from './routes/focus'
import { moderationRoutes } from './routes/moderation'
import { screeningRoutes } from './routes/screening'
import { roomAccessRoutes } from './routes/room-access'
import { roomRoutes } from './routes/rooms'
import { roomDeletionRoutes } from './routes/room-deletion'
import { adminRoutes } from './routes/admin'
import { sessionRoutes } from './routes/session'
import { templateRoutes } from './routes/templates'
import { themeRoutes } from './routes/themes'
import { trajectRoutes } from './routes/trajects'
import { scoreRoutes } from './routes/scores'
import { voteRoutes } from './routes/votes'
import { sessionPlugin } from './session'
import { GroupCommitter } from './store/group-commit'
import type { RoomStore } from './store/room-store'
import { isStoreUnavailable, isStoreWriteFailure } from './store/store-errors'
import { SqliteRoomStore } from './store/sqlite-room-store'
import { wsRoutes } from './ws/ws-route'

export { loadConfig, type ServerConfig } from './config'

/** The contract's code for Fastify's own 4xx errors (a body too large, a media type without a parser, …). */
const FRAMEWORK_ERROR_CODES: Partial<Record<number, ErrorCode>> = {
	404: 'not_found',
	413: 'body_too_large',
	415: 'unsupported_media_type',
	429: 'rate_limited',
}

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
		// Logs go to stderr (fd 2), so stdout carries only what server.ts prints for people and scripts
		// (never blocking the process, see log-destination.ts).
		loggerInstance: pino(
			{ level: options.logger === false ? 'silent' : config.logLevel },
			new BoundedLogDestination()
		) as FastifyBaseLogger,
		bodyLimit: 256 * 1024,
		forceCloseConnections: true,
		// Each route's validator and serializer compiled on its first request, not all at start (4.5 MiB of heap).
		schemaController: lazySchemaController(),
		// X-Forwarded-For only from the proxies TRUST_PROXY names (off by default): otherwise any client could
		// pick the address every per-address limit keys on.
		// Fastify takes a hop count too (its types leave numbers out).
		trustProxy: config.trustProxy as boolean | string[],
		// A request whose headers and body have not all arrived within requestTimeoutMs is answered 408 and
		// closed (a body that trickles in holds no connection for long); idle connections end after
		// connectionTimeoutMs. Node checks the request deadline every connectionsCheckingInterval.
		requestTimeout: config.requestTimeoutMs,
		connectionTimeout: config.connectionTimeoutMs,
		http: {
			headersTimeout: Math.min(60_000, config.requestTimeoutMs || 60_000),
			connectionsCheckingInterval: Math.max(
				100,
				Math.min(30_000, Math.floor((config.requestTimeoutMs || 120_000) / 4))
			),
		} as ServerOptions,
		// requestLogPlugin logs each request without query values or headers.
		logController: new LogController({ disableRequestLogging: true }),
		// While closing, requests are answered 503 by our hook below (the contract's body), not Fastify's own.
		return503OnClosing: false,
		// A URL Fastify cannot route (bad percent-encoding): the contract's body, not Fastify's own.
		frameworkErrors: (error, request, reply) => {
			// A websocket upgrade request's connection left Node's HTTP server: it ends once the answer is out.
			if ((request.raw as { upgrade?: boolean }).upgrade) reply.raw.once('finish', () => request.raw.socket.destroy())
			const answer = reply as FastifyReply
			return (error.statusCode ?? 500) < 500
				? answer.code(400).send(errorBody('bad_request', error.message))
				: answer.code(500).send(errorBody('internal', 'Internal server error'))
		},
	})
	// Set by the first preClose hook: Fastify starts closing and runs the preClose hooks in one go.
	let closing = false
	app.addHook('preClose', async () => {
		closing = true
	})
	const store =
		options.store ??
		(config.databaseUrl
			? // PostgreSQL (pg) and the room bus (ioredis) load only when configured: a SQLite server never needs them.
				await (await import('./store/pg-room-store')).PgRoomStore.open(config.databaseUrl)
			: new SqliteRoomStore(config.dataDir, {
					durability: config.durability,
					updateLog: true,
					onCommitThreadError: (error) => app.log.error({ err: error }, 'commit thread ended; pending commits failed'),
				}))
	const powerSafeLag = 'powerSafeLagMs' in store && typeof store.powerSafeLagMs === 'function'
	const metrics = {
		durability: 'durability' in store && store.durability === 'crash' ? ('crash' as const) : ('power' as const),
		durable: new DurationSamples(),
		powerSafe: new DurationSamples(),
		powerSafeLagMs: () => (powerSafeLag ? (store as { powerSafeLagMs(): number }).powerSafeLagMs() : 0),
	}
	if (metrics.durability === 'crash') {
		// Our addon checksums and writes each logged update in one call; without it, Node's fs (store/log-record-write.ts).
		app.log.debug({ writer: logRecordWriter() }, 'update log records written')
	}
	// prom-client loads only when /metrics can be read (METRICS_TOKEN): about 1 MiB of heap otherwise.
	const prometheus: PrometheusRecorder = config.metricsToken
		? new (await import('./observability/prometheus')).PrometheusMetrics({
				connections: () => (app.hasDecorator('websocketConnections') ? app.websocketConnections.size : 0),
				loadedRooms: () => rooms.loadedCount,
				powerSafeLagMs: () => metrics.powerSafeLagMs(),
			})
		: NO_PROMETHEUS
	const committer = new GroupCommitter(
		store,
		(ms) => {
			metrics.durable.add(ms)
			prometheus.committed(ms)
		},
		(ms) => {
			metrics.powerSafe.add(ms)
			prometheus.powerSafe(ms)
		}
	)
	const rooms = new RoomManager(store, committer, app.log, config.roomIdleMs)
	rooms.onRoomLoaded((room) => {
		room.onChangeRefused = (reason) => prometheus.rejectedChange(reason)
	})
	// The memory glibc keeps free goes back to the system after full GCs, and when the last loaded room has
	// unloaded: in the turn after, once the room is destroyed (memory/malloc-trim.ts).
	const stopTrimmingAfterGcs = releaseFreeMemoryAfterFullGcs(app.log)
	const noRoomLoaded = () => rooms.loadedCount === 0
	rooms.onRoomUnloaded(() => {
		if (noRoomLoaded()) setImmediate(() => noRoomLoaded() && releaseFreeMemory(app.log, 'rooms-unloaded'))
	})
	// Several servers on one database (REDIS_URL): rooms follow each other over the room bus (see cluster/).
	const cluster = config.redisUrl
		? await (await import('./cluster')).joinCluster(config.redisUrl, config.redisKeyPrefix, store, rooms, app.log)
		: null
	const health = new HealthChecks()
	if ('writeHealth' in store && typeof store.writeHealth === 'function') {
		const writable = store as RoomStore & {
			writeHealth(): Record<'store' | 'commitThread', { ok: boolean; error?: string }>
		}
		health.register('store', () => writable.writeHealth().store)
		health.register('commitThread', () => writable.writeHealth().commitThread)
	}
	if ('powerSafeHealth' in store && typeof store.powerSafeHealth === 'function') {
		const syncing = store as RoomStore & { powerSafeHealth(): { ok: boolean; error?: string } }
		health.register('powerSafe', () => syncing.powerSafeHealth())
	}
	app.decorate('config', config)
	app.decorate('store', store)
	app.decorate('committer', committer)
	app.decorate('rooms', rooms)
	// Rate limits: shared by every server through Redis in a cluster, else this process's own.
	app.decorate('limiterFactory', cluster?.limiters ?? new LocalLimiterFactory())
	app.decorate('metrics', metrics)
	app.decorate('prometheus', prometheus)
	app.decorate('health', health)
	const retention =
		config.retentionMs === null
			? null
			: new RetentionPurge(store, rooms, app.log, config.retentionMs, config.purgeIntervalMs)
	app.decorate('retention', retention)
	// The first purge runs before the server takes requests; then every PURGE_INTERVAL.
	app.addHook('onReady', async () => {
		await retention?.start()
	})
	app.addHook('preClose', async () => {
		await retention?.stop()
	})
	// Requests refused by a rate limit, wherever it is (notes, votes, …), for `GET /metrics`.
	app.addHook('onResponse', async (request, reply) => {
		if (reply.statusCode === 429) prometheus.rateLimitedRequest(request.routeOptions.url ?? 'unknown')
	})
	app.decorate(
		'participantTokens',
		new ParticipantTokens(loadTokenSecret(config.dataDir, config.participantTokenSecret))
	)

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
		if (isStoreUnavailable(error)) {
			request.log.warn({ err: error }, 'store unavailable')
			return reply.code(503).send(errorBody('store_unavailable', 'The database cannot be reached; try again shortly'))
		}
		if (isStoreWriteFailure(error)) {
			request.log.error({ err: error }, 'the store cannot write')
			return reply
				.code(503)
				.send(
					errorBody(
						'store_unavailable',
						'The server cannot store changes right now (is its disk full?); try again shortly'
					)
				)
		}
		const status = error.statusCode ?? 500
		if (status >= 400 && status < 500) {
			return reply.code(status).send(errorBody(FRAMEWORK_ERROR_CODES[status] ?? 'bad_request', error.message))
		}
		request.log.error({ err: error }, 'request failed')
		return reply.code(500).send(errorBody('internal', 'Internal server error'))
	})

	// First, so that on shutdown the sockets close (1012) before the rooms are flushed and unloaded.
	// Before the websocket layer closes every socket (its preClose hook runs after this one): which rooms are
	// in use now decides which may be rebuilt without history on the way down (see RoomManager.closeAll).
	app.addHook('preClose', async () => {
		rooms.noteRoomsInUse()
	})
	await app.register(openApiPlugin)
	await app.register(securityHeadersPlugin)
	await app.register(requestLogPlugin)
	await app.register(wsRoutes)
	// After the websocket layer's hooks (an upgrade request refused here is ended like its other refusals).
	app.addHook('onRequest', async (_request, reply) => {
		if (closing) return reply.code(503).send(errorBody('shutting_down', 'The server is shutting down'))
	})
	await app.register(rateLimitPlugin)
	await app.register(healthRoutes)
	await app.register(clientConfigRoutes)
	await app.register(metricsRoutes)
	await app.register(prometheusRoutes)
	await app.register(templateRoutes)
	await app.register(trajectRoutes)
	await app.register(roomRoutes)
	await app.register(roomDeletionRoutes)
	await app.register(roomAccessRoutes)
	await app.register(joinInfoRoutes)
	await app.register(notesPlugin)
	await app.register(noteRoutes)
	await app.register(sessionPlugin)
	await app.register(sessionRoutes)
	await app.register(presenterRoutes)
	await app.register(focusRoutes)
	await app.register(voteRoutes)
	await app.register(scoreRoutes)
	await app.register(moderationRoutes)
	await app.register(screeningRoutes)
	await app.register(themeRoutes)
	await app.register(exportRoutes)
	await app.register(adminRoutes)
	await app.register(staticClient)

	app.addHook('preClose', async () => {
		// Make everything durable and compact the loaded rooms.
		await rooms.closeAll()
		await committer.drain()
	})
	app.addHook('onClose', async () => {
		stopTrimmingAfterGcs()
		await cluster?.close()
		await store.close()
	})
	return app
}
