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
 * SQLite result codes (better-sqlite3's `code`) and our own codes that mean "the store cannot write right now":
 * a full disk or database size limit, an I/O error, a read-only file, a write lock held too long, a commit
 * thread that ended, or a room reloading after one of these (`ROOM_FAILED`).
 */
const WRITE_FAILURE_CODES = /^(SQLITE_(FULL|IOERR|READONLY|BUSY|CANTOPEN|NOLFS|PROTOCOL)|ROOM_FAILED$)/

/**
 * Whether an error means the store cannot write now (disk full, I/O error, …) rather than that the request
 * was wrong: the HTTP layer answers 503 `store_unavailable`, and the client may retry once space returns.
 */
export function isStoreWriteFailure(error: unknown): boolean {
	const e = error as { code?: unknown; name?: unknown } | null
	if (!e) return false
	if (typeof e.code === 'string' && WRITE_FAILURE_CODES.test(e.code)) return true
	// A commit whose thread ended carries no SQLite code.
	return e.name === 'UpdateCommitError'
}

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
