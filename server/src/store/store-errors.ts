/** PostgreSQL SQLSTATE classes and Node socket errors that mean "the database cannot be reached right now". */
const UNREACHABLE_CODES = new Set([
	'ECONNREFUSED',
	'ECONNRESET',
	'ETIMEDOUT',
	'EHOSTUNREACH',
	'ENOTFOUND',
	'EPIPE',
	'57P01', // admin_shutdown
	'57P02', // crash_shutdown
	'57P03', // cannot_connect_now
	'53300', // too_many_connections
])

/**
 * Whether an error from a store means the database is unreachable (a restart, a network cut), not that the
 * request was wrong: the HTTP layer answers 503 `store_unavailable` and the client may retry.
 */
export function isStoreUnavailable(error: unknown): boolean {
	const e = error as { code?: unknown; message?: unknown } | null
	if (!e) return false
	if (typeof e.code === 'string' && (UNREACHABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true
	return (
		typeof e.message === 'string' &&
		/Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(e.message)
	)
}
