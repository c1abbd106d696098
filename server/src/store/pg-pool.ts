import pg from 'pg'

/** BIGINT (oid 20) columns as numbers: every BIGINT here is a count, a sequence number or epoch ms (< 2^53). */
const types = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
		oid === 20
			? (value: string) => Number(value)
			: pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
}

/** A pool of connections to `url` with the type parsing the PostgreSQL stores expect. */
export function createPgPool(url: string, max = 10): pg.Pool {
	const pool = new pg.Pool({ connectionString: url, types, max, connectionTimeoutMillis: 10_000 })
	// An idle connection that dies (server restart) must not crash the process; the next query reconnects.
	pool.on('error', () => {})
	// Nor one that is checked out: pg emits 'error' on the client as well as failing its query, and the pool
	// listens only while the client is idle — a connection cut between checkout and query (PostgreSQL restarting,
	// a network blip) would otherwise be an uncaught exception that ends the server. The query's own rejection
	// is what the caller handles (503, a failed commit); the pool drops the broken client on release.
	pool.on('connect', (client) => {
		client.on('error', () => {})
	})
	return pool
}

/** Runs `fn` in one transaction on one connection of the pool (ROLLBACK when it throws). */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
	const client = await pool.connect()
	try {
		await client.query('BEGIN')
		const result = await fn(client)
		await client.query('COMMIT')
		return result
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {})
		throw error
	} finally {
		client.release()
	}
}

/** A Uint8Array as a Buffer over the same bytes (what `pg` sends as BYTEA). */
export function asBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A BYTEA value (a Buffer) as a Uint8Array over the same bytes. */
export function asBytes(buffer: Buffer): Uint8Array {
	return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
