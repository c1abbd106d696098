import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDuration } from './duration'

/** Server configuration. This module is the only place that reads the environment. */
export interface ServerConfig {
	port: number
	host: string
	/** Directory of the SQLite file (and any other data). */
	dataDir: string
	/** The operator's tldraw licence key, handed to the board client at run time. */
	tldrawLicenseKey: string | null
	/** Public base URL (e.g. https://kompasbord.example.nl); wins over detected LAN addresses in join links. */
	publicUrl: string | null
	/** Largest websocket message accepted; bigger ones close the socket with 1009. */
	maxMessageBytes: number
	/** How long a room without connections stays in memory. */
	roomIdleMs: number
	/** Interval of websocket pings; a socket that missed one pong is terminated. */
	pingIntervalMs: number
	/** Unsent bytes a websocket may have queued; beyond it the socket is closed (1013): a client that does not read. */
	wsMaxBufferedBytes: number
	/** Open websockets per client address; further upgrades are refused with 429. */
	wsMaxSocketsPerAddress: number
	/** Rooms one client address may hold open over websockets (each is loaded in memory); further ones get 429. */
	wsMaxRoomsPerAddress: number
	/** Built client (Vite output) served as static files; null when not built. */
	clientDistDir: string
	/**
	 * `DURABILITY` (SQLite): `crash` — an update is broadcast once committed to the WAL (survives a kill -9 of the
	 * server), and fsync'd right after, off the broadcast path (survives a power cut a few ms later); `power` — every
	 * commit is fsync'd before it is broadcast. PostgreSQL's commit is always the fsync.
	 */
	durability: 'crash' | 'power'
	logLevel: string
	/** Bearer token of `GET /metrics` (Prometheus); null: the route answers 404. */
	metricsToken: string | null
	/** Bearer token of the admin view (`/admin`, `/api/admin/*`); null: those routes answer 404. */
	adminToken: string | null
	/** Rooms closed, or without activity, longer than this are deleted (ms); null keeps everything. */
	retentionMs: number | null
	/** How often the retention purge runs (ms). */
	purgeIntervalMs: number
	/** `DATABASE_URL` (postgres://…): PostgreSQL for all storage instead of the SQLite file; null: SQLite. */
	databaseUrl: string | null
	/** `REDIS_URL` (redis://…): the room bus between servers on one database; null: one server. */
	redisUrl: string | null
	/** `REDIS_KEY_PREFIX`: starts every Redis key and channel of this deployment (several may share one Redis). */
	redisKeyPrefix: string
	/**
	 * Fastify's `trustProxy` from `TRUST_PROXY`: false (default: `X-Forwarded-For` is ignored), a hop count, or a
	 * list of proxy addresses/CIDRs whose `X-Forwarded-For` is believed.
	 */
	trustProxy: false | number | string[]
	/** `CREATE_ROOM_TOKEN`: when set, `POST /api/rooms` needs `Authorization: Bearer <token>` (public hosts). */
	createRoomToken: string | null
	/** `PARTICIPANT_TOKEN_SECRET`: the key participant and view tokens are signed with; else one kept in DATA_DIR. */
	participantTokenSecret: string | null
	/** New participants (tokens issued) per room per server process. */
	maxParticipantsPerRoom: number
	/** New participants one address may add within ten minutes (a venue's phones share one address). */
	newParticipantsPerAddress: number
	/** Rooms one address may create within ten minutes. */
	roomsPerAddress: number
	/** Wrong room passphrases one address may try within ten minutes (then 429). */
	passphraseMissesPerAddress: number
	/** Wrong passphrases of one room, from any address, within ten minutes (then 429): bounds distributed guessing. */
	passphraseMissesPerRoom: number
	/** How long a request (headers and body) may take to arrive, in ms. */
	requestTimeoutMs: number
	/** How long an idle connection without a request is kept open, in ms. */
	connectionTimeoutMs: number
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function intFrom(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback
	const n = Number(value)
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`)
	return n
}

/** Default `RETENTION`: 90 days. */
export const DEFAULT_RETENTION_MS = 90 * 86_400_000

/** `RETENTION`: a duration (default 90 days); `0` or `off` keeps everything (null). */
function retentionFrom(value: string | undefined): number | null {
	const text = value?.trim().toLowerCase()
	if (!text) return DEFAULT_RETENTION_MS
	if (text === 'off') return null
	const ms = parseDuration(text, 'RETENTION')
	return ms === 0 ? null : ms
}

/** `PURGE_INTERVAL`: a duration above zero (default one hour). */
function purgeIntervalFrom(value: string | undefined): number {
	if (!value?.trim()) return 3_600_000
	const ms = parseDuration(value, 'PURGE_INTERVAL')
	if (ms <= 0) throw new Error('PURGE_INTERVAL must be above zero')
	return ms
}

/** An URL with one of these schemes, or null when empty. */
function urlFrom(value: string | undefined, schemes: readonly string[], name: string): string | null {
	const text = value?.trim()
	if (!text) return null
	let url: URL
	try {
		url = new URL(text)
	} catch {
		throw new Error(`${name} is not a URL`)
	}
	if (!schemes.includes(url.protocol))
		throw new Error(`${name} must start with ${schemes.map((s) => `${s}//`).join(' or ')}`)
	return text
}

/** `PARTICIPANT_TOKEN_SECRET`: at least 32 characters when given. */
function secretFrom(value: string | undefined): string | null {
	const secret = value?.trim() || null
	if (secret !== null && secret.length < 32)
		throw new Error('PARTICIPANT_TOKEN_SECRET must have at least 32 characters')
	return secret
}

/** `TRUST_PROXY`: empty/`false` → off; a number → hops; anything else → a comma-separated list of addresses. */
function trustProxyFrom(value: string | undefined): false | number | string[] {
	const text = value?.trim() ?? ''
	if (text === '' || text === 'false' || text === '0') return false
	if (/^\d+$/.test(text)) return Number(text)
	if (text === 'true')
		throw new Error('TRUST_PROXY=true would believe any client; give a hop count or the proxy addresses')
	return text
		.split(',')
		.map((part) => part.trim())
		.filter(Boolean)
}

/**
 * Builds the configuration from environment variables (default: `process.env`).
 * `PORT` (8080), `HOST` (0.0.0.0), `DATA_DIR` (./data), `TLDRAW_LICENSE_KEY`, `PUBLIC_URL`,
 * `MAX_MESSAGE_BYTES` (2 MB), `ROOM_IDLE_MS` (30 s), `PING_INTERVAL_MS` (30 s), `WS_MAX_BUFFERED_BYTES` (8 MB),
 * `WS_MAX_SOCKETS_PER_ADDRESS` (1000), `WS_MAX_ROOMS_PER_ADDRESS` (50), `CLIENT_DIST_DIR`,
 * `DURABILITY` (crash; the older `SQLITE_SYNCHRONOUS=FULL|NORMAL` means power|crash), `LOG_LEVEL` (info), `METRICS_TOKEN` (also `/api/metrics`), `ADMIN_TOKEN`, `RETENTION` (90d),
 * `PURGE_INTERVAL` (1h), `DATABASE_URL` (none: SQLite), `REDIS_URL` (none: one server; needs `DATABASE_URL`), `REDIS_KEY_PREFIX` (`kompasbord:`),
 * `TRUST_PROXY` (off), `CREATE_ROOM_TOKEN`, `PARTICIPANT_TOKEN_SECRET`, `MAX_PARTICIPANTS_PER_ROOM` (500),
 * `NEW_PARTICIPANTS_PER_ADDRESS` (500 per 10 min), `ROOMS_PER_ADDRESS` (30 per 10 min), `REQUEST_TIMEOUT_MS` (30 s),
 * `CONNECTION_TIMEOUT_MS` (10 s).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
	const durability = durabilityFrom(env)
	const publicUrl = env.PUBLIC_URL?.trim().replace(/\/+$/, '') || null
	return {
		port: intFrom(env.PORT, 8080, 'PORT'),
		host: env.HOST?.trim() || '0.0.0.0',
		dataDir: path.resolve(env.DATA_DIR?.trim() || './data'),
		tldrawLicenseKey: env.TLDRAW_LICENSE_KEY?.trim() || null,
		publicUrl,
		maxMessageBytes: intFrom(env.MAX_MESSAGE_BYTES, 2 * 1024 * 1024, 'MAX_MESSAGE_BYTES'),
		roomIdleMs: intFrom(env.ROOM_IDLE_MS, 30_000, 'ROOM_IDLE_MS'),
		pingIntervalMs: intFrom(env.PING_INTERVAL_MS, 30_000, 'PING_INTERVAL_MS'),
		wsMaxBufferedBytes: intFrom(env.WS_MAX_BUFFERED_BYTES, 8 * 1024 * 1024, 'WS_MAX_BUFFERED_BYTES'),
		wsMaxSocketsPerAddress: intFrom(env.WS_MAX_SOCKETS_PER_ADDRESS, 1000, 'WS_MAX_SOCKETS_PER_ADDRESS'),
		wsMaxRoomsPerAddress: intFrom(env.WS_MAX_ROOMS_PER_ADDRESS, 50, 'WS_MAX_ROOMS_PER_ADDRESS'),
		clientDistDir: path.resolve(env.CLIENT_DIST_DIR?.trim() || path.join(repoRoot, 'client/dist')),
		durability,
		logLevel: env.LOG_LEVEL?.trim() || 'info',
		metricsToken: env.METRICS_TOKEN?.trim() || null,
		adminToken: env.ADMIN_TOKEN?.trim() || null,
		retentionMs: retentionFrom(env.RETENTION),
		purgeIntervalMs: purgeIntervalFrom(env.PURGE_INTERVAL),
		databaseUrl: urlFrom(env.DATABASE_URL, ['postgres:', 'postgresql:'], 'DATABASE_URL'),
		redisUrl: redisUrlFrom(env),
		redisKeyPrefix: redisKeyPrefixFrom(env.REDIS_KEY_PREFIX),
		trustProxy: trustProxyFrom(env.TRUST_PROXY),
		createRoomToken: env.CREATE_ROOM_TOKEN?.trim() || null,
		participantTokenSecret: secretFrom(env.PARTICIPANT_TOKEN_SECRET),
		maxParticipantsPerRoom: intFrom(env.MAX_PARTICIPANTS_PER_ROOM, 500, 'MAX_PARTICIPANTS_PER_ROOM'),
		newParticipantsPerAddress: intFrom(env.NEW_PARTICIPANTS_PER_ADDRESS, 500, 'NEW_PARTICIPANTS_PER_ADDRESS'),
		roomsPerAddress: intFrom(env.ROOMS_PER_ADDRESS, 30, 'ROOMS_PER_ADDRESS'),
		passphraseMissesPerAddress: intFrom(env.PASSPHRASE_MISSES_PER_ADDRESS, 20, 'PASSPHRASE_MISSES_PER_ADDRESS'),
		passphraseMissesPerRoom: intFrom(env.PASSPHRASE_MISSES_PER_ROOM, 100, 'PASSPHRASE_MISSES_PER_ROOM'),
		requestTimeoutMs: intFrom(env.REQUEST_TIMEOUT_MS, 30_000, 'REQUEST_TIMEOUT_MS'),
		connectionTimeoutMs: intFrom(env.CONNECTION_TIMEOUT_MS, 10_000, 'CONNECTION_TIMEOUT_MS'),
	}
}

/** `REDIS_KEY_PREFIX` (`kompasbord:`): letters, digits and `:_.-`, at most 64. */
function redisKeyPrefixFrom(value: string | undefined): string {
	const prefix = value?.trim() || 'kompasbord:'
	if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(prefix))
		throw new Error('REDIS_KEY_PREFIX may hold letters, digits and : _ . - (at most 64)')
	return prefix
}

/**
 * `REDIS_URL`: only with `DATABASE_URL` (servers sharing rooms must share their storage) and
 * `PARTICIPANT_TOKEN_SECRET` (a token one server issued must be good on the others; without it each server would
 * make its own secret in its DATA_DIR, and a participant's requests through another server would be refused).
 */
function redisUrlFrom(env: Record<string, string | undefined>): string | null {
	const url = urlFrom(env.REDIS_URL, ['redis:', 'rediss:'], 'REDIS_URL')
	if (url && !env.DATABASE_URL?.trim())
		throw new Error('REDIS_URL needs DATABASE_URL: servers that share rooms share one database')
	if (url && !env.PARTICIPANT_TOKEN_SECRET?.trim())
		throw new Error(
			'REDIS_URL needs PARTICIPANT_TOKEN_SECRET: servers that share rooms sign participant tokens with one secret'
		)
	return url
}

/** `DURABILITY` (crash|power); without it the older `SQLITE_SYNCHRONOUS` (FULL: power, NORMAL: crash); default crash. */
function durabilityFrom(env: Record<string, string | undefined>): 'crash' | 'power' {
	const value = env.DURABILITY?.trim().toLowerCase()
	if (value) {
		if (value !== 'crash' && value !== 'power') throw new Error('DURABILITY must be crash or power')
		return value
	}
	const sync = env.SQLITE_SYNCHRONOUS?.trim().toUpperCase()
	if (!sync) return 'crash'
	if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL')
	return sync === 'FULL' ? 'power' : 'crash'
}
