import type { FastifyBaseLogger } from 'fastify'
import { Redis, type Result } from 'ioredis'
import {
	type BucketLimit,
	type CountLimit,
	type FailureLimit,
	type FailureLimiterOptions,
	type LimitDecision,
	type LimiterFactory,
	LocalLimiterFactory,
	type TokenBucketOptions,
} from '../http/rate-limit'

/**
 * A token bucket in a Redis hash (`t`: tokens, `ts`: last refill in ms), refilled and taken in one script on the
 * Redis clock (servers' clocks never disagree); the key expires once the bucket would be full again.
 * ARGV: capacity, tokens per ms, ttl ms. Returns {allowed (0|1), retryAfterMs}.
 */
const TAKE_BUCKET = `
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 't', 'ts')
local tokens = tonumber(state[1]) or capacity
local updated = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - updated) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
	tokens = tokens - 1
	allowed = 1
else
	retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {allowed, retry}
`

/**
 * Failures in a sorted set scored by their time (Redis clock); with ARGV[3] = '1' one failure is added first.
 * Keeps at most `max` members, expires with the window. ARGV: max, window ms, add (0|1), a unique member.
 * Returns {allowed (0|1), retryAfterMs}.
 */
const FAILURES = `
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if ARGV[3] == '1' then
	redis.call('ZADD', KEYS[1], now, ARGV[4])
	redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -(max + 1))
	redis.call('PEXPIRE', KEYS[1], window)
end
local count = redis.call('ZCARD', KEYS[1])
if count < max then return {1, 0} end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, math.max(1, tonumber(oldest[2]) + window - now)}
`

/** A count up to ARGV[1], kept ARGV[2] ms after its last increase. Returns 1 when counted, 0 at the limit. */
const TAKE_COUNT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`

/** How long a count (new participants of a room) is kept after its last increase. */
export const COUNT_TTL_MS = 30 * 24 * 3600_000
/** How long the limiters use this server's own counters after Redis failed to answer, before trying it again. */
export const REDIS_RETRY_AFTER_MS = 2_000
/** How long one limiter command may take before the request goes on with this server's own counter. */
export const REDIS_COMMAND_TIMEOUT_MS = 500

declare module 'ioredis' {
	interface RedisCommander<Context> {
		kbTakeBucket(key: string, capacity: number, perMs: number, ttlMs: number): Result<[number, number], Context>
		kbFailures(
			key: string,
			max: number,
			windowMs: number,
			add: 0 | 1,
			member: string
		): Result<[number, number], Context>
		kbTakeCount(key: string, limit: number, ttlMs: number): Result<number, Context>
	}
}

/**
 * Rate limits shared by every server of a deployment: the counters live in Redis under `<prefix>rl:<name>:<key>`
 * (atomic scripts, keys with a TTL), so misses, posts and new participants through any server count together.
 *
 * When Redis does not answer (down, restarting, slower than {@link REDIS_COMMAND_TIMEOUT_MS}) a limiter fails
 * over to this server's own counter — never open, never closed: a workshop is not locked out by a Redis blip,
 * and each server still stops guessing and flooding on its own (at most the limit per server meanwhile). Redis is
 * tried again after {@link REDIS_RETRY_AFTER_MS}; the switch each way is logged once.
 */
export class RedisLimiterFactory implements LimiterFactory {
	private readonly redis: Redis
	private readonly local = new LocalLimiterFactory()
	private downUntil = 0
	private sequence = 0

	constructor(
		url: string,
		private readonly prefix: string,
		private readonly serverId: string,
		private readonly log: FastifyBaseLogger,
		private readonly now: () => number = Date.now
	) {
		this.redis = new Redis(url, {
			connectionName: `kompasbord-limits-${serverId}`,
			// Commands fail at once while disconnected (the local counter answers) instead of waiting in a queue.
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
		})
		this.redis.on('error', () => {})
		this.redis.defineCommand('kbTakeBucket', { numberOfKeys: 1, lua: TAKE_BUCKET })
		this.redis.defineCommand('kbFailures', { numberOfKeys: 1, lua: FAILURES })
		this.redis.defineCommand('kbTakeCount', { numberOfKeys: 1, lua: TAKE_COUNT })
	}

	/** Resolves once the connection is up (startup waits for it, so the first requests are shared too). */
	async ready(): Promise<void> {
		if (this.redis.status === 'ready') return
		await new Promise<void>((resolve, reject) => {
			this.redis.once('ready', resolve)
			this.redis.once('end', () => reject(new Error('the rate-limit connection to Redis ended')))
		})
	}

	bucket(name: string, options: Omit<TokenBucketOptions, 'now'>): BucketLimit {
		const fallback = this.local.bucket(name, options)
		const perMs = options.refillPerSecond / 1000
		const ttlMs = Math.ceil(options.capacity / perMs) + 1000
		return {
			take: (key) =>
				this.shared(
					async () => decision(await this.redis.kbTakeBucket(this.key(name, key), options.capacity, perMs, ttlMs)),
					() => fallback.take(key)
				),
		}
	}

	failures(name: string, options: Omit<FailureLimiterOptions, 'now'>): FailureLimit {
		const fallback = this.local.failures(name, options)
		const run = (key: string, add: 0 | 1) =>
			this.redis.kbFailures(this.key(name, key), options.maxFailures, options.windowMs, add, this.member())
		return {
			check: (key) =>
				this.shared(
					async () => decision(await run(key, 0)),
					() => fallback.check(key)
				),
			fail: (key) =>
				this.shared(
					async () => {
						await run(key, 1)
					},
					() => fallback.fail(key)
				),
		}
	}

	count(name: string, limit: number): CountLimit {
		const fallback = this.local.count(name, limit)
		return {
			take: (key) =>
				this.shared(
					async () => (await this.redis.kbTakeCount(this.key(name, key), limit, COUNT_TTL_MS)) === 1,
					() => fallback.take(key)
				),
		}
	}

	close(): void {
		this.redis.disconnect()
	}

	private key(name: string, key: string): string {
		return `${this.prefix}rl:${name}:${key}`
	}

	/** A member no other failure of any server has (time alone is not unique). */
	private member(): string {
		return `${this.serverId}:${++this.sequence}`
	}

	/** Runs `inRedis`, or `inProcess` while Redis is failing (see the class comment). */
	private async shared<T>(inRedis: () => Promise<T>, inProcess: () => Promise<T>): Promise<T> {
		if (this.now() < this.downUntil) return inProcess()
		try {
			const result = await inRedis()
			if (this.downUntil) {
				this.downUntil = 0
				this.log.info('rate limits are shared through Redis again')
			}
			return result
		} catch (error) {
			if (!this.downUntil) {
				this.log.warn({ err: error }, "Redis did not answer: rate limits use this server's own counters meanwhile")
			}
			this.downUntil = this.now() + REDIS_RETRY_AFTER_MS
			return inProcess()
		}
	}
}

function decision([allowed, retryAfterMs]: [number, number]): LimitDecision {
	return { allowed: allowed === 1, retryAfterMs: allowed === 1 ? 0 : Number(retryAfterMs) }
}
