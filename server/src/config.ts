import path from 'node:path'
import { fileURLToPath } from 'node:url'

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
	/** Built client (Vite output) served as static files; null when not built. */
	clientDistDir: string
	/** SQLite `synchronous` pragma: FULL survives power loss, NORMAL survives a process crash. */
	sqliteSynchronous: 'FULL' | 'NORMAL'
	logLevel: string
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

function intFrom(value: string | undefined, fallback: number, name: string): number {
	if (value === undefined || value === '') return fallback
	const n = Number(value)
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`)
	return n
}

/**
 * Builds the configuration from environment variables (default: `process.env`).
 * `PORT` (8080), `HOST` (0.0.0.0), `DATA_DIR` (./data), `TLDRAW_LICENSE_KEY`, `PUBLIC_URL`,
 * `MAX_MESSAGE_BYTES` (2 MB), `ROOM_IDLE_MS` (30 s), `PING_INTERVAL_MS` (30 s), `CLIENT_DIST_DIR`,
 * `SQLITE_SYNCHRONOUS` (FULL), `LOG_LEVEL` (info).
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): ServerConfig {
	const sync = (env.SQLITE_SYNCHRONOUS ?? 'FULL').toUpperCase()
	if (sync !== 'FULL' && sync !== 'NORMAL') throw new Error('SQLITE_SYNCHRONOUS must be FULL or NORMAL')
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
		clientDistDir: path.resolve(env.CLIENT_DIST_DIR?.trim() || path.join(repoRoot, 'client/dist')),
		sqliteSynchronous: sync,
		logLevel: env.LOG_LEVEL?.trim() || 'info',
	}
}
