import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { WAL_PAGES_PER_TRANSACTION, WalCheckpointer } from './wal-checkpointer'
import { WalGrowth } from './wal-growth'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Polls until `predicate` holds (the checkpoint runs on another thread; its effect is the database file). */
async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error('condition not met in time')
		await new Promise((resolve) => setTimeout(resolve, 20))
	}
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

const ROW = Buffer.alloc(64 * 1024, 7)

/** A WAL database whose writer never checkpoints, with `rows` rows of {@link ROW} only in the WAL. */
function walDatabase(rows: number) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-wal-'))
	const file = path.join(dir, 'test.sqlite')
	const db = new Database(file)
	cleanups.push(() => {
		if (db.open) db.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})
	db.pragma('journal_mode = WAL')
	db.pragma('wal_autocheckpoint = 0')
	db.exec('CREATE TABLE t (data BLOB NOT NULL)')
	const insert = db.prepare('INSERT INTO t (data) VALUES (?)')
	const write = (n: number) => {
		for (let i = 0; i < n; i++) insert.run(ROW)
	}
	write(rows)
	// Nothing checkpoints yet: the rows are only in the WAL.
	expect(fs.statSync(file).size).toBeLessThan((rows * ROW.byteLength) / 4 + 8192)
	return { file, db, write, databaseBytes: () => fs.statSync(file).size }
}

function start(options: { file: string; growth: WalGrowth; pages: number; idleMs: number }): WalCheckpointer {
	const checkpointer = new WalCheckpointer({ ...options, busyTimeoutMs: 1000, pollMs: 20 })
	cleanups.push(() => checkpointer.close())
	return checkpointer
}

describe('WalCheckpointer', () => {
	it('checkpoints from its own thread once the counted commits reach the page threshold, and on close', async () => {
		const { file, db, write, databaseBytes } = walDatabase(32)
		const written = 32 * ROW.byteLength
		const growth = new WalGrowth()
		const checkpointer = start({ file, growth, pages: 100, idleMs: 60_000 })
		// 99 pages' worth (one transaction, 96 pages of bytes): below the threshold, no checkpoint however many
		// polls pass.
		growth.committed((99 - WAL_PAGES_PER_TRANSACTION) * 4096)
		await sleep(300)
		expect(checkpointer.completedCheckpoints).toBe(0)
		expect(databaseBytes()).toBeLessThan(written / 4)
		// Past the threshold: one transaction stands for WAL_PAGES_PER_TRANSACTION pages on its own.
		growth.committed(0)
		await until(() => checkpointer.completedCheckpoints === 1)
		expect(databaseBytes()).toBeGreaterThanOrEqual(written)
		// The writer goes on while the thread runs, and close runs a last checkpoint.
		write(8)
		await checkpointer.close()
		expect(checkpointer.completedCheckpoints).toBe(2)
		expect(databaseBytes()).toBeGreaterThanOrEqual(written + 8 * ROW.byteLength)
		expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 40 })
	})

	it('counts pages per transaction and per page of update bytes', async () => {
		const { file, databaseBytes } = walDatabase(4)
		const growth = new WalGrowth()
		const pages = 10 * WAL_PAGES_PER_TRANSACTION
		const checkpointer = start({ file, growth, pages, idleMs: 60_000 })
		for (let i = 0; i < 9; i++) growth.committed(100)
		await sleep(300)
		expect(checkpointer.completedCheckpoints).toBe(0)
		growth.committed(100)
		await until(() => checkpointer.completedCheckpoints === 1)
		expect(databaseBytes()).toBeGreaterThanOrEqual(4 * ROW.byteLength)
	})

	it('checkpoints by growth at most once per minimum interval while commits keep coming', async () => {
		const { file } = walDatabase(0)
		const growth = new WalGrowth()
		const checkpointer = new WalCheckpointer({
			file,
			growth,
			busyTimeoutMs: 1000,
			pollMs: 20,
			pages: 10,
			idleMs: 60_000,
			minIntervalMs: 500,
		})
		cleanups.push(() => checkpointer.close())
		// Past the threshold at every poll for 1.2 s: without the minimum interval, one checkpoint per poll.
		const startedAt = Date.now()
		while (Date.now() - startedAt < 1200) {
			growth.committed(100_000)
			await sleep(20)
		}
		expect(checkpointer.completedCheckpoints).toBeGreaterThanOrEqual(2)
		expect(checkpointer.completedCheckpoints).toBeLessThanOrEqual(3)
	})

	it('does not checkpoint by the clock: an idle WAL with nothing new is left alone', async () => {
		const { file } = walDatabase(0)
		const growth = new WalGrowth()
		// The idle bound passes every few polls, but nothing was committed since the thread started.
		const checkpointer = start({ file, growth, pages: 1000, idleMs: 50 })
		await sleep(500)
		expect(checkpointer.completedCheckpoints).toBe(0)
	})

	it('after the idle bound, folds in what was committed, counted or not (another connection)', async () => {
		const { file, write, databaseBytes } = walDatabase(0)
		const growth = new WalGrowth()
		const checkpointer = start({ file, growth, pages: 1000, idleMs: 400 })
		// An uncounted write is seen through data_version: only once the thread has read it (under load the thread
		// took longer than a fixed pause to start, and the write below was then part of its starting point).
		await checkpointer.ready
		const startedAt = Date.now()
		// Uncounted: the note ledger, votes, compaction commit on the main connection without counting.
		write(4)
		await until(() => checkpointer.completedCheckpoints === 1)
		expect(Date.now() - startedAt).toBeGreaterThanOrEqual(250)
		expect(databaseBytes()).toBeGreaterThanOrEqual(4 * ROW.byteLength)
		// Nothing since: no further checkpoint however many idle bounds pass.
		await sleep(1000)
		expect(checkpointer.completedCheckpoints).toBe(1)
		// Counted but below the threshold: folded in after the idle bound.
		growth.committed(10)
		await until(() => checkpointer.completedCheckpoints === 2)
	})
})
