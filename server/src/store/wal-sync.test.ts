import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UpdateCommitError } from './update-writer'
import { MainThreadAppender, WAL_SYNC_POLL_MS, WalSyncer } from './wal-sync'

/** Polls `condition` every 5 ms (up to 10 s). */
async function until(condition: () => boolean): Promise<void> {
	const deadline = Date.now() + 10_000
	while (!condition()) {
		if (Date.now() > deadline) throw new Error('timed out')
		await new Promise((r) => setTimeout(r, 5))
	}
}

describe('MainThreadAppender + WalSyncer (DURABILITY=crash)', () => {
	let dir: string
	let file: string
	let db: Database.Database
	let syncer: WalSyncer
	let appender: MainThreadAppender
	const rows = () => {
		const reader = new Database(file, { readonly: true })
		try {
			return reader.prepare<[], { data: Buffer }>('SELECT data FROM room_updates ORDER BY seq').all()
		} finally {
			reader.close()
		}
	}

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-walsync-'))
		file = path.join(dir, 'test.sqlite')
		db = new Database(file)
		db.pragma('journal_mode = WAL')
		db.pragma('synchronous = NORMAL')
		db.exec('CREATE TABLE room_updates (seq INTEGER PRIMARY KEY, room_id TEXT NOT NULL, data BLOB NOT NULL)')
		syncer = new WalSyncer(db, file)
		appender = new MainThreadAppender(db, syncer)
	})
	afterEach(() => {
		syncer.close()
		if (db.open) db.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('commits at once (readable from another connection), then every commit becomes power-safe', async () => {
		const powerSafe: number[] = []
		const appends: Promise<void>[] = []
		for (let i = 0; i < 50; i++) {
			const appended = appender.append([{ roomId: 'r', update: new Uint8Array([i]) }])
			// Committed before append returns: the group commit answers in the same turn.
			expect(rows()).toHaveLength(i + 1)
			appends.push(
				appended.then(() => (syncer.whenPowerSafe() ?? Promise.resolve()).then(() => void powerSafe.push(i)))
			)
			if (i % 10 === 9) await new Promise((r) => setImmediate(r))
		}
		await Promise.all(appends)
		expect(powerSafe).toHaveLength(50)
		expect(syncer.whenPowerSafe()).toBeNull()
		// Group fsync: one fdatasync covers every commit before it; fewer syncs than commits under a burst.
		expect(syncer.completedSyncs).toBeGreaterThan(0)
		expect(syncer.completedSyncs).toBeLessThanOrEqual(appender.committedTransactions)
		expect(syncer.lagMs()).toBe(0)
		expect(syncer.health()).toEqual({ ok: true })
	})

	it('fdatasyncs after the other writes on the connection too (notes, votes), within the poll interval', async () => {
		await appender.append([{ roomId: 'r', update: new Uint8Array([1]) }])
		await syncer.whenPowerSafe()
		const before = syncer.completedSyncs
		db.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)').run('r', Buffer.from([2]))
		const started = performance.now()
		await until(() => syncer.completedSyncs > before)
		expect(performance.now() - started).toBeLessThan(WAL_SYNC_POLL_MS + 5000)
	})

	it('a failed transaction rejects with the SQLite code and shows in health; the next one commits', async () => {
		db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`)
		const failed = appender.append([{ roomId: 'r', update: new Uint8Array(64 * 1024) }])
		await expect(failed).rejects.toBeInstanceOf(UpdateCommitError)
		await expect(failed).rejects.toMatchObject({ code: 'SQLITE_FULL' })
		expect(appender.health().ok).toBe(false)
		db.pragma('max_page_count = 4294967294')
		await appender.append([{ roomId: 'r', update: new Uint8Array([3]) }])
		expect(appender.health()).toEqual({ ok: true })
		expect(rows().map((r) => r.data[0])).toEqual([3])
	})

	it('close syncs what is committed and resolves the waiters', async () => {
		await appender.append([{ roomId: 'r', update: new Uint8Array([1]) }])
		const waiting = syncer.whenPowerSafe() ?? Promise.resolve()
		syncer.close()
		await waiting
		expect(syncer.lagMs()).toBe(0)
	})
})
