import { randomBytes } from 'node:crypto'
import os from 'node:os'
import type { FastifyBaseLogger } from 'fastify'
import type { RoomManager } from '../rooms/room-manager'
import { PgRoomStore } from '../store/pg-room-store'
import type { RoomStore } from '../store/room-store'
import { ClusterSync } from './cluster-sync'
import { RedisRoomBus } from './redis-room-bus'
import { PgRoomLocks } from './room-lock'

/** A server's part in a cluster (several servers on one PostgreSQL database and one Redis). */
export interface ClusterMembership {
	/** This server's id on the room bus. */
	readonly serverId: string
	readonly sync: ClusterSync
	/** Stops following the bus (before the store closes). */
	close(): Promise<void>
}

/**
 * Joins the cluster: the room bus on `redisUrl`, per-room advisory locks on the store's database, and the
 * {@link ClusterSync} that ties the loaded rooms to both. The store must be the PostgreSQL one.
 */
export async function joinCluster(
	redisUrl: string,
	store: RoomStore,
	rooms: RoomManager,
	log: FastifyBaseLogger
): Promise<ClusterMembership> {
	if (!(store instanceof PgRoomStore)) throw new Error('REDIS_URL needs the PostgreSQL store (DATABASE_URL)')
	const serverId = `${os.hostname()}-${process.pid}-${randomBytes(4).toString('hex')}`
	const bus = new RedisRoomBus(redisUrl, serverId)
	try {
		await bus.ready()
	} catch (error) {
		await bus.close()
		throw error
	}
	const sync = new ClusterSync(serverId, store, bus, new PgRoomLocks(store.pool), rooms, log)
	log.info({ serverId }, 'joined the cluster (room bus on Redis)')
	return {
		serverId,
		sync,
		async close() {
			sync.close()
			await bus.close()
		},
	}
}
