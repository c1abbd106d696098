import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { httpError } from './errors'

/** A clock in milliseconds; tests pass their own. */
export type Clock = () => number

/** What a limiter says about one attempt. */
export interface LimitDecision {
	allowed: boolean
	/** When not allowed: milliseconds until the next attempt would be allowed. */
	retryAfterMs: number
}

/** Keys kept before old, idle entries are swept out; bounds memory under a flood of distinct keys. */
const SWEEP_ABOVE_KEYS = 10_000

/** Options of {@link TokenBucketLimiter}. */
export interface TokenBucketOptions {
	/** Attempts allowed at once (the burst). */
	capacity: number
	/** Attempts regained per second. */
	refillPerSecond: number
	now?: Clock
}

interface Bucket {
	tokens: number
	updatedAt: number
}

/**
 * A token bucket per key: up to `capacity` attempts in a burst, then `refillPerSecond` on average. Used for
 * note posts per participant, so a phone that flushes its offline queue is not refused while a script is.
 */
export class TokenBucketLimiter {
	private readonly buckets = new Map<string, Bucket>()
	private readonly now: Clock

	constructor(private readonly options: TokenBucketOptions) {
		this.now = options.now ?? Date.now
	}

	/** Takes one token for `key` if there is one. */
	take(key: string): LimitDecision {
		const now = this.now()
		const bucket = this.refill(key, now)
		if (bucket.tokens >= 1) {
			bucket.tokens -= 1
			return { allowed: true, retryAfterMs: 0 }
		}
		const missing = 1 - bucket.tokens
		return { allowed: false, retryAfterMs: Math.ceil((missing / this.options.refillPerSecond) * 1000) }
	}

	private refill(key: string, now: number): Bucket {
		let bucket = this.buckets.get(key)
		if (!bucket) {
			if (this.buckets.size >= SWEEP_ABOVE_KEYS) this.sweep(now)
			bucket = { tokens: this.options.capacity, updatedAt: now }
			this.buckets.set(key, bucket)
			return bucket
		}
		const elapsed = Math.max(0, now - bucket.updatedAt) / 1000
		bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsed * this.options.refillPerSecond)
		bucket.updatedAt = now
		return bucket
	}

	/** Drops buckets that are full again: they hold no information. */
	private sweep(now: number): void {
		const fullAfterMs = (this.options.capacity / this.options.refillPerSecond) * 1000
		for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt >= fullAfterMs) this.buckets.delete(key)
	}
}

/** Options of {@link FailureLimiter}. */
export interface FailureLimiterOptions {
	/** Failures allowed per key within `windowMs`; the next attempt after that many is refused. */
	maxFailures: number
	windowMs: number
	now?: Clock
}

/**
 * Counts failures (not attempts) per key in a sliding window and refuses a key once it failed `maxFailures`
 * times within `windowMs`. Used for join-code look-ups per client address: thirty phones behind one venue NAT
 * that type the right code are never refused, while guessing codes is.
 */
export class FailureLimiter {
	/** Failure times per key, oldest first, at most `maxFailures` kept. */
	private readonly failures = new Map<string, number[]>()
	private readonly now: Clock

	constructor(private readonly options: FailureLimiterOptions) {
		this.now = options.now ?? Date.now
	}

	/** Whether `key` may make another attempt now. */
	check(key: string): LimitDecision {
		const times = this.recent(key, this.now())
		if (times.length < this.options.maxFailures) return { allowed: true, retryAfterMs: 0 }
		return { allowed: false, retryAfterMs: Math.max(1, times[0] + this.options.windowMs - this.now()) }
	}

	/** Records a failed attempt of `key`. */
	fail(key: string): void {
		const now = this.now()
		if (!this.failures.has(key) && this.failures.size >= SWEEP_ABOVE_KEYS) this.sweep(now)
		const times = this.recent(key, now)
		times.push(now)
		if (times.length > this.options.maxFailures) times.shift()
		this.failures.set(key, times)
	}

	private recent(key: string, now: number): number[] {
		const times = this.failures.get(key)
		if (!times) return []
		while (times.length && times[0] <= now - this.options.windowMs) times.shift()
		if (!times.length) this.failures.delete(key)
		return times
	}

	private sweep(now: number): void {
		for (const key of [...this.failures.keys()]) this.recent(key, now)
	}
}

/** Join-code look-ups that may fail per client address within {@link JOIN_FAILURE_WINDOW_MS}. */
export const JOIN_FAILURES_PER_ADDRESS = 20
/** @see JOIN_FAILURES_PER_ADDRESS */
export const JOIN_FAILURE_WINDOW_MS = 10 * 60_000
/** Note posts a participant may make in one burst. */
export const NOTE_POST_BURST = 30
/** Note posts a participant regains per second after a burst. */
export const NOTE_POSTS_PER_SECOND = 1

/** The window of the per-address limits on new rooms and new participants. */
export const ADDRESS_LIMIT_WINDOW_MS = 10 * 60_000

/**
 * Counts up to a limit per key (new participants per room). Kept for the server process's life; bounded by
 * the number of keys it has seen (one small entry per room).
 */
export class KeyCounter {
	private readonly counts = new Map<string, number>()

	constructor(private readonly limit: number) {}

	/** Counts one for `key` unless it reached the limit; whether it was counted. */
	take(key: string): boolean {
		const count = this.counts.get(key) ?? 0
		if (count >= this.limit) return false
		this.counts.set(key, count + 1)
		return true
	}
}

/** A token bucket per key, in this process or shared by every server (Redis). */
export interface BucketLimit {
	/** Takes one attempt of `key` if the bucket has one. */
	take(key: string): Promise<LimitDecision>
}

/** Failures per key in a sliding window, in this process or shared by every server (Redis). */
export interface FailureLimit {
	/** Whether `key` may make another attempt now. */
	check(key: string): Promise<LimitDecision>
	/** Records a failed attempt of `key`. */
	fail(key: string): Promise<void>
}

/** A count up to a limit per key, in this process or shared by every server (Redis). */
export interface CountLimit {
	/** Counts one for `key` unless it reached the limit; whether it was counted. */
	take(key: string): Promise<boolean>
}

/**
 * Makes the app's limiters. `name` tells limiters apart where they share one key space (Redis keys); options as
 * the in-process classes above. {@link LocalLimiterFactory} keeps them in this process; with `REDIS_URL` the
 * cluster's `RedisLimiterFactory` (cluster/redis-rate-limits.ts) shares them between all servers.
 */
export interface LimiterFactory {
	bucket(name: string, options: Omit<TokenBucketOptions, 'now'>): BucketLimit
	failures(name: string, options: Omit<FailureLimiterOptions, 'now'>): FailureLimit
	count(name: string, limit: number): CountLimit
}

/** Limiters of this server process only (one server, or the fallback while Redis does not answer). */
export class LocalLimiterFactory implements LimiterFactory {
	bucket(_name: string, options: Omit<TokenBucketOptions, 'now'>): BucketLimit {
		const limiter = new TokenBucketLimiter(options)
		return { take: async (key) => limiter.take(key) }
	}

	failures(_name: string, options: Omit<FailureLimiterOptions, 'now'>): FailureLimit {
		const limiter = new FailureLimiter(options)
		return { check: async (key) => limiter.check(key), fail: async (key) => limiter.fail(key) }
	}

	count(_name: string, limit: number): CountLimit {
		const counter = new KeyCounter(limit)
		return { take: async (key) => counter.take(key) }
	}
}

/** The limiters of the app, decorated as `app.rateLimits`. */
export interface RateLimits {
	/** Failed join-code look-ups per client address. */
	joinFailures: FailureLimit
	/** Note posts per participant (room id + participant id). */
	notePosts: BucketLimit
	/** Rooms created per client address (`ROOMS_PER_ADDRESS` per ten minutes). */
	roomCreation: BucketLimit
	/** Participant tokens issued per client address (`NEW_PARTICIPANTS_PER_ADDRESS` per ten minutes). */
	newParticipants: BucketLimit
	/** Participant tokens issued per room (`MAX_PARTICIPANTS_PER_ROOM`). */
	participantsPerRoom: CountLimit
	/** Wrong room passphrases per client address (`PASSPHRASE_MISSES_PER_ADDRESS` per ten minutes). */
	passphraseMissesPerAddress: FailureLimit
	/** Wrong passphrases per room from any address (`PASSPHRASE_MISSES_PER_ROOM` per ten minutes). */
	passphraseMissesPerRoom: FailureLimit
	/** Where the routes' own limiters (votes, trajects) come from: shared too when the app's are. */
	factory: LimiterFactory
}

/** A token bucket of `capacity` attempts that refills completely within {@link ADDRESS_LIMIT_WINDOW_MS}. */
function perWindow(capacity: number): Omit<TokenBucketOptions, 'now'> {
	return { capacity, refillPerSecond: capacity / (ADDRESS_LIMIT_WINDOW_MS / 1000) }
}

declare module 'fastify' {
	interface FastifyInstance {
		rateLimits: RateLimits
		/** The factory {@link rateLimitPlugin} builds the limiters with (app.ts: Redis in a cluster). */
		limiterFactory: LimiterFactory
	}
}

/** The route whose failures {@link rateLimitPlugin} counts. */
const JOIN_ROUTE = '/api/join/:joinCode'

/**
 * Sets `Retry-After` and throws the 429 every limited route answers (`code: "rate_limited"`), which the phone
 * explains in Dutch.
 */
export function refuseRateLimited(reply: FastifyReply, decision: LimitDecision, message: string): never {
	reply.header('retry-after', String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000))))
	throw httpError(429, 'rate_limited', message)
}

/**
 * Decorates `app.rateLimits` and guards `GET` / `POST /api/join/:joinCode`: every 404 (unknown or closed code)
 * counts as a failure of the client address (`request.ip`: the socket's address, or the one `X-Forwarded-For`
 * names only when `TRUST_PROXY` says which proxies to believe); an address with too many recent failures gets
 * 429 before the look-up runs.
 */
export const rateLimitPlugin: FastifyPluginAsync = fp(
	async (app) => {
		const factory = app.hasDecorator('limiterFactory') ? app.limiterFactory : new LocalLimiterFactory()
		const limits: RateLimits = {
			joinFailures: factory.failures('join-miss', {
				maxFailures: JOIN_FAILURES_PER_ADDRESS,
				windowMs: JOIN_FAILURE_WINDOW_MS,
			}),
			notePosts: factory.bucket('note', { capacity: NOTE_POST_BURST, refillPerSecond: NOTE_POSTS_PER_SECOND }),
			roomCreation: factory.bucket('room', perWindow(app.config.roomsPerAddress)),
			newParticipants: factory.bucket('participant', perWindow(app.config.newParticipantsPerAddress)),
			participantsPerRoom: factory.count('room-participants', app.config.maxParticipantsPerRoom),
			passphraseMissesPerAddress: factory.failures('passphrase-miss-address', {
				maxFailures: app.config.passphraseMissesPerAddress,
				windowMs: ADDRESS_LIMIT_WINDOW_MS,
			}),
			passphraseMissesPerRoom: factory.failures('passphrase-miss-room', {
				maxFailures: app.config.passphraseMissesPerRoom,
				windowMs: ADDRESS_LIMIT_WINDOW_MS,
			}),
			factory,
		}
		app.decorate('rateLimits', limits)
		app.addHook('onRequest', async (request, reply) => {
			if (request.routeOptions.url !== JOIN_ROUTE) return
			const decision = await limits.joinFailures.check(request.ip)
			if (!decision.allowed) {
				refuseRateLimited(reply, decision, 'Too many unknown join codes from this address; try again later')
			}
		})
		// Counted before the 404 goes out (onSend, not onResponse): with Redis the count is a round trip, and a
		// client's next look-up, sent as soon as it has the answer, must already see it.
		app.addHook('onSend', async (request, reply, payload) => {
			if (request.routeOptions.url === JOIN_ROUTE && reply.statusCode === 404)
				await limits.joinFailures.fail(request.ip)
			return payload
		})
	},
	{ name: 'kompasbord-rate-limits' }
)
