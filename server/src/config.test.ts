import { describe, expect, it } from 'vitest'
import { loadConfig } from './config'

describe('DURABILITY', () => {
	it('is crash by default, and power or crash when set', () => {
		expect(loadConfig({}).durability).toBe('crash')
		expect(loadConfig({ DURABILITY: 'power' }).durability).toBe('power')
		expect(loadConfig({ DURABILITY: ' Crash ' }).durability).toBe('crash')
		expect(() => loadConfig({ DURABILITY: 'fsync' })).toThrow(/DURABILITY must be crash or power/)
	})

	it('takes the older SQLITE_SYNCHRONOUS when DURABILITY is not set: FULL is power, NORMAL is crash', () => {
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'FULL' }).durability).toBe('power')
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'normal' }).durability).toBe('crash')
		expect(loadConfig({ SQLITE_SYNCHRONOUS: 'FULL', DURABILITY: 'crash' }).durability).toBe('crash')
		expect(() => loadConfig({ SQLITE_SYNCHRONOUS: 'OFF' })).toThrow(/SQLITE_SYNCHRONOUS must be FULL or NORMAL/)
	})
})

describe('several servers (REDIS_URL)', () => {
	const pg = 'postgres://kompasbord@db:5432/kompasbord'
	const secret = 'a-secret-of-at-least-thirty-two-characters'

	it('needs DATABASE_URL and one PARTICIPANT_TOKEN_SECRET for all servers', () => {
		expect(() => loadConfig({ REDIS_URL: 'redis://redis:6379', PARTICIPANT_TOKEN_SECRET: secret })).toThrow(
			/REDIS_URL needs DATABASE_URL/
		)
		expect(() => loadConfig({ REDIS_URL: 'redis://redis:6379', DATABASE_URL: pg })).toThrow(
			/REDIS_URL needs PARTICIPANT_TOKEN_SECRET/
		)
		// docker-compose passes an unset variable as empty.
		expect(() =>
			loadConfig({ REDIS_URL: 'redis://redis:6379', DATABASE_URL: pg, PARTICIPANT_TOKEN_SECRET: ' ' })
		).toThrow(/REDIS_URL needs PARTICIPANT_TOKEN_SECRET/)
		const config = loadConfig({ REDIS_URL: 'redis://redis:6379', DATABASE_URL: pg, PARTICIPANT_TOKEN_SECRET: secret })
		expect(config.redisUrl).toBe('redis://redis:6379')
		expect(config.participantTokenSecret).toBe(secret)
	})

	it('keeps its Redis names under REDIS_KEY_PREFIX (kompasbord: by default)', () => {
		expect(loadConfig({}).redisKeyPrefix).toBe('kompasbord:')
		expect(loadConfig({ REDIS_KEY_PREFIX: 'regio-noord:' }).redisKeyPrefix).toBe('regio-noord:')
		expect(() => loadConfig({ REDIS_KEY_PREFIX: 'met spatie' })).toThrow(/REDIS_KEY_PREFIX/)
	})
})
