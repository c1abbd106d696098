import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { RoomManager } from '../rooms/room-manager'
import { PgRoomStore } from '../store/pg-room-store'
import type { RoomStore } from '../store/room-store'
import { ClusterSync } from './cluster-sync'
import { RedisRoomBus } from './redis-room-bus'
import { RedisLimiterFactory } from './redis-rate-limits'
import { PgRoomLocks } from './room-lock'

/** A server's part in a cluster (several servers on one PostgreSQL database and one Redis). */
export interface ClusterMembership {
	/** This server's id on the room bus. */
	readonly serverId: string
	readonly sync: ClusterSync
	/** Rate limits shared by every server (counters in Redis). */
	readonly limiters: RedisLimiterFactory
	/** Stops following the bus (before the store closes). */
	close(): Promise<void>
}

/**
 * Joins the cluster: the room bus on `redisUrl`, per-room advisory locks on the store's database, the
 * {@link ClusterSync} that ties the loaded rooms to both, and the shared rate limits. The store must be the
 * PostgreSQL one. Every Redis name (channels, keys) starts with `prefix` (`REDIS_KEY_PREFIX`), so deployments
 * can share one Redis.
 */
export async function joinCluster(
	redisUrl: string,
	prefix: string,
	store: RoomStore,
	rooms: RoomManager,
	log: FastifyBaseLogger
): Promise<ClusterMembership> {
	if (!(store instanceof PgRoomStore)) throw new Error('REDIS_URL needs the PostgreSQL store (DATABASE_URL)')
	const serverId = `${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`
	const bus = new RedisRoomBus(redisUrl, serverId, prefix)
	const limiters = new RedisLimiterFactory(redisUrl, prefix, serverId, log)
	try {
		await Promise.all([bus.ready(), limiters.ready()])
	} catch (error) {
		await bus.close()
		limiters.close()
		throw error
	}
	const sync = new ClusterSync(serverId, store, bus, new PgRoomLocks(store.pool), rooms, log)
	log.info({ serverId }, 'joined the cluster (room bus on Redis)')
	return {
		serverId,
		sync,
		limiters,
		async close() {
			sync.close()
			limiters.close()
			await bus.close()
		},
	}
}
