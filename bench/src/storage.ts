/**
 * The storage setups of S6: one server on SQLite, one on PostgreSQL, two on PostgreSQL + Redis (a cluster), each
 * started on a database and a Redis key prefix of its own, removed again when it stops.
 */
import { createTestDatabase } from '../../server/src/store/pg-test-database'
import { TEST_REDIS_URL, deleteRedisKeys, testRedisPrefix } from '../../tests/cluster/cluster-services'
import { type RunningServer, type StartOptions, startServer } from './servers'

/** The storage setups S6 compares, in the order each round runs them. */
export const STORAGE_SETUPS = [
	{ id: 'sqlite', label: 'one server, SQLite (as S2)', servers: 1, postgres: false, redis: false },
	{ id: 'postgres', label: 'one server, PostgreSQL', servers: 1, postgres: true, redis: false },
	{ id: 'cluster', label: 'two servers, PostgreSQL + Redis, clients on both', servers: 2, postgres: true, redis: true },
] as const
export type StorageSetup = (typeof STORAGE_SETUPS)[number]

/**
 * Starts a setup's servers: each run on a PostgreSQL database of its own and (two servers) a Redis key prefix of
 * its own; `stop()` stops the servers, drops the database and deletes the prefix's keys.
 */
export async function startSetup(
	setup: StorageSetup,
	options: Pick<StartOptions, 'cpu'> = {}
): Promise<{ servers: RunningServer[]; stop(): Promise<void> }> {
	const database = setup.postgres ? await createTestDatabase() : null
	const prefix = setup.redis ? testRedisPrefix() : null
	const env: Record<string, string> = {}
	if (database) env.DATABASE_URL = database.url
	if (prefix) {
		env.REDIS_URL = TEST_REDIS_URL
		env.REDIS_KEY_PREFIX = prefix
		// A participant token issued by one server is good on the other.
		env.PARTICIPANT_TOKEN_SECRET = `bench-cluster-secret-${process.pid}-${Date.now().toString(36)}`
	}
	const servers: RunningServer[] = []
	const stop = async (): Promise<void> => {
		await Promise.all(servers.map((server) => server.stop()))
		await database?.drop()
		if (prefix) await deleteRedisKeys(prefix)
	}
	try {
		// Every server on the server core, as S2's one: the same CPU budget, so the figure shows what PostgreSQL and
		// the bus cost, not what a second core would add (the machine has two; the load generator has the other).
		for (let i = 0; i < setup.servers; i++) servers.push(await startServer('ours', { ...options, env }))
	} catch (error) {
		await stop()
		throw error
	}
	return { servers, stop }
}
