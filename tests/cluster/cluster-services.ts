/**
 * PostgreSQL and Redis for the cluster tests: whether they answer (the tests are skipped with the reason when
 * not, and fail instead when `CI=true`), a fresh database per test file, and Redis commands.
 */
import { Redis } from 'ioredis'
import { createTestDatabase, postgresUnavailable } from '../../server/src/store/pg-test-database'

/** Redis of the tests (`KOMPASBORD_TEST_REDIS_URL`, default redis://127.0.0.1:6379). */
export const TEST_REDIS_URL = process.env.KOMPASBORD_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** Null when Redis answers, otherwise why not. */
export async function redisUnavailable(): Promise<string | null> {
	const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 3000 })
	redis.on('error', () => {})
	try {
		await redis.connect()
		await redis.ping()
		return null
	} catch (error) {
		return `Redis at ${TEST_REDIS_URL} is not reachable (${(error as Error).message || String(error)})`
	} finally {
		redis.disconnect()
	}
}

/** Why the cluster tests cannot run here (null: they can). */
export async function clusterServicesUnavailable(): Promise<string | null> {
	const [pg, redis] = await Promise.all([postgresUnavailable(), redisUnavailable()])
	return [pg, redis].filter(Boolean).join('; ') || null
}

/**
 * A `REDIS_KEY_PREFIX` of its own for a test's deployment: its rate-limit counters (all clients are 127.0.0.1)
 * never meet those of another test run using the same Redis. Remove its keys with {@link deleteRedisKeys}.
 */
export function testRedisPrefix(): string {
	return `kbtest-${process.pid}-${Math.random().toString(36).slice(2, 10)}:`
}

/** Deletes every Redis key starting with `prefix` (a test's deployment, see {@link testRedisPrefix}). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
	if (!/^kbtest-/.test(prefix)) throw new Error(`not a test prefix: ${prefix}`)
	const redis = new Redis(TEST_REDIS_URL)
	try {
		let cursor = '0'
		do {
			const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
			if (keys.length) await redis.del(...keys)
			cursor = next
		} while (cursor !== '0')
	} finally {
		redis.disconnect()
	}
}

/** Kills the Redis connections whose name starts with `prefix` (a dropped subscription); returns how many. */
export async function killRedisClients(prefix: string): Promise<number> {
	const redis = new Redis(TEST_REDIS_URL)
	try {
		const list = (await redis.client('LIST')) as string
		let killed = 0
		for (const line of list.split('\n')) {
			const id = /\bid=(\d+)/.exec(line)?.[1]
			const name = /\bname=(\S*)/.exec(line)?.[1]
			if (id && name?.startsWith(prefix)) {
				await redis.client('KILL', 'ID', id)
				killed++
			}
		}
		return killed
	} finally {
		redis.disconnect()
	}
}

export { createTestDatabase }
