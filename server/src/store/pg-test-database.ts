import { randomBytes } from 'node:crypto'
import pg from 'pg'

/**
 * PostgreSQL for tests: a server where the test user may create databases (default
 * `postgres://postgres@127.0.0.1:5432/postgres`, or `KOMPASBORD_TEST_POSTGRES_URL`). Each test makes its own
 * database with {@link createTestDatabase} and drops it afterwards.
 */
export const TEST_POSTGRES_URL =
	process.env.KOMPASBORD_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

/** Null when the test PostgreSQL answers, otherwise why not (for the "skipped" line). */
export async function postgresUnavailable(): Promise<string | null> {
	const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 3000 })
	try {
		await client.connect()
		await client.query('SELECT 1')
		return null
	} catch (error) {
		return `PostgreSQL at ${TEST_POSTGRES_URL.replace(/\/\/[^@]*@/, '//')} is not reachable (${(error as Error).message || String(error)})`
	} finally {
		await client.end().catch(() => {})
	}
}

/** A fresh database on the test server: its URL, and `drop()` (closes nothing of the caller's). */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
	const name = `kb_test_${randomBytes(6).toString('hex')}`
	await adminQuery(`CREATE DATABASE ${name}`)
	const url = new URL(TEST_POSTGRES_URL)
	url.pathname = `/${name}`
	return { url: url.toString(), name, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

async function adminQuery(sql: string): Promise<void> {
	const client = new pg.Client({ connectionString: TEST_POSTGRES_URL })
	await client.connect()
	try {
		await client.query(sql)
	} finally {
		await client.end()
	}
}
