import type { ServerConfig } from './config'
import type { RoomManager } from './rooms/room-manager'
import type { GroupCommitter } from './store/group-commit'
import type { RoomStore } from './store/room-store'
import type { ServerMetrics } from './metrics'
import type { HealthChecks } from './observability/health'
import type { PrometheusRecorder } from './observability/prometheus-recorder'
import type { RetentionPurge } from './rooms/retention'

declare module 'fastify' {
	interface FastifyInstance {
		config: ServerConfig
		store: RoomStore
		rooms: RoomManager
		committer: GroupCommitter
		metrics: ServerMetrics
		prometheus: PrometheusRecorder
		health: HealthChecks
		/** The retention purge; null with `RETENTION=off`. */
		retention: RetentionPurge | null
	}
}
