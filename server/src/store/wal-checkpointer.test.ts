import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { WalCheckpointer } from './wal-checkpointer'

const dirs: string[] = []
afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** Polls until `predicate` holds (the checkpoint runs on another thread; its effect is the database file). */
async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error('condition not met in time')
		await new Promise((resolve) => setTimeout(resolve, 20))
	}
}

describe('WalCheckpointer', () => {
	it('copies the WAL into the database file from its own thread while the writer never checkpoints', async () => {
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-wal-'))
		dirs.push(dir)
		const file = path.join(dir, 'test.sqlite')
		const db = new Database(file)
		db.pragma('journal_mode = WAL')
		db.pragma('wal_autocheckpoint = 0')
		db.exec('CREATE TABLE t (data BLOB NOT NULL)')
		const insert = db.prepare('INSERT INTO t (data) VALUES (?)')
		const row = Buffer.alloc(64 * 1024, 7)
		for (let i = 0; i < 32; i++) insert.run(row)
		const written = 32 * row.byteLength
		// Nothing checkpoints yet: the rows are only in the WAL.
		expect(fs.statSync(file).size).toBeLessThan(written / 4)
		expect(fs.statSync(`${file}-wal`).size).toBeGreaterThan(written)

		const checkpointer = new WalCheckpointer({ file, busyTimeoutMs: 1000, intervalMs: 20 })
		await until(() => fs.statSync(file).size >= written)
		// The writer goes on while the thread runs, and close runs a last checkpoint.
		for (let i = 0; i < 8; i++) insert.run(row)
		await checkpointer.close()
		expect(fs.statSync(file).size).toBeGreaterThanOrEqual(written + 8 * row.byteLength)
		expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 40 })
		db.close()
	})
})
