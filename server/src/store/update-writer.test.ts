import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UpdateCommitError, UpdateWriter, type UpdateWriterOptions } from './update-writer'

/** Creates the database file as the store does: WAL, with the `room_updates` table. */
function createDatabase(file: string): void {
	const db = new Database(file)
	db.pragma('journal_mode = WAL')
	db.exec('CREATE TABLE room_updates (seq INTEGER PRIMARY KEY, room_id TEXT NOT NULL, data BLOB NOT NULL)')
	db.close()
}

function update(n: number, size = 3): Uint8Array {
	return new Uint8Array(size).fill(n % 256)
}

describe('UpdateWriter', () => {
	let dir: string
	let file: string
	let reader: Database.Database | null
	let writer: UpdateWriter | null
	const open = (options: Partial<UpdateWriterOptions> = {}) => {
		writer = new UpdateWriter({ file, synchronous: 'FULL', busyTimeoutMs: 5000, ...options })
		return writer
	}
	/** Rows as another connection sees them. */
	const rows = () => {
		reader ??= new Database(file, { readonly: true })
		return reader
			.prepare<[], { room_id: string; data: Buffer }>('SELECT room_id, data FROM room_updates ORDER BY seq')
			.all()
	}

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-writer-'))
		file = path.join(dir, 'test.sqlite')
		reader = null
		writer = null
	})
	afterEach(async () => {
		await writer?.close()
		reader?.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('commits batches in order; each resolves only once its rows are readable from another connection', async () => {
		createDatabase(file)
		const w = open()
		const resolvedOrder: number[] = []
		const seenAtResolve: number[] = []
		const appends = Array.from({ length: 40 }, (_, i) =>
			w
				.append([
					{ roomId: `r${i % 3}`, update: update(i) },
					{ roomId: 'big', update: update(i, 1000 + i) },
				])
				.then(() => {
					resolvedOrder.push(i)
					seenAtResolve.push(rows().length)
				})
		)
		await Promise.all(appends)
		expect(resolvedOrder).toEqual([...Array(40).keys()])
		// When batch i resolved, its two rows (and every earlier batch's) were committed.
		seenAtResolve.forEach((seen, i) => expect(seen).toBeGreaterThanOrEqual(2 * (i + 1)))
		const all = rows()
		expect(all).toHaveLength(80)
		all.forEach((row, k) => {
			const i = Math.floor(k / 2)
			expect(row.room_id).toBe(k % 2 === 0 ? `r${i % 3}` : 'big')
			expect(new Uint8Array(row.data)).toEqual(k % 2 === 0 ? update(i) : update(i, 1000 + i))
		})
		expect(w.pendingCount).toBe(0)
	})

	it('puts every append made while a transaction is out into the next transaction', async () => {
		createDatabase(file)
		const w = open({ maxInFlight: 1 })
		await w.append([{ roomId: 'r', update: update(0) }])
		const before = w.committedTransactions
		const appends = Array.from({ length: 50 }, (_, i) => w.append([{ roomId: 'r', update: update(i + 1) }]))
		await Promise.all(appends)
		// The first goes at once; the 49 made while it was out go together.
		expect(w.committedTransactions - before).toBe(2)
		expect(rows().map((r) => r.data[0])).toEqual([...Array(51).keys()])
	})

	it('with several messages out, the thread takes every one waiting for it into one transaction', async () => {
		createDatabase(file)
		const w = open({ maxInFlight: 100 })
		await w.append([{ roomId: 'r', update: update(0) }])
		const before = w.committedTransactions
		// Hold the write lock while appending, so the thread cannot commit before all 50 are with it.
		const blocker = new Database(file)
		blocker.exec('BEGIN IMMEDIATE')
		const appends = Array.from({ length: 50 }, (_, i) => w.append([{ roomId: 'r', update: update(i + 1) }]))
		blocker.exec('COMMIT')
		blocker.close()
		await Promise.all(appends)
		// The first transaction holds what the thread had taken before it waited; the second holds the rest.
		expect(w.committedTransactions - before).toBeGreaterThanOrEqual(1)
		expect(w.committedTransactions - before).toBeLessThanOrEqual(2)
		expect(rows().map((r) => r.data[0])).toEqual([...Array(51).keys()])
	})

	it('rejects the appends of a failed transaction and commits the next ones', async () => {
		createDatabase(file)
		const w = open({ busyTimeoutMs: 20 })
		const blocker = new Database(file)
		blocker.exec('BEGIN IMMEDIATE')
		const failed = w.append([{ roomId: 'r', update: update(1) }])
		await expect(failed).rejects.toMatchObject({ name: 'UpdateCommitError', code: 'SQLITE_BUSY' })
		blocker.exec('COMMIT')
		blocker.close()
		await w.append([{ roomId: 'r', update: update(2) }])
		expect(rows().map((r) => r.data[0])).toEqual([2])
	})

	it('rejects pending appends when the thread cannot start, and starts a new thread for the next append', async () => {
		const threadErrors: Error[] = []
		const w = open({ onThreadError: (error) => threadErrors.push(error) })
		// No database file yet: the thread fails to open it.
		const failed = w.append([{ roomId: 'r', update: update(1) }])
		await expect(failed).rejects.toBeInstanceOf(UpdateCommitError)
		await expect(failed).rejects.toThrow(/commit thread ended/)
		expect(threadErrors).toHaveLength(1)
		createDatabase(file)
		await w.append([{ roomId: 'r', update: update(2) }])
		expect(rows().map((r) => r.data[0])).toEqual([2])
	})

	it('rejects the append a terminated thread had; the one waiting behind it goes to a new thread', async () => {
		createDatabase(file)
		const threadErrors: Error[] = []
		const w = open({ onThreadError: (error) => threadErrors.push(error), maxInFlight: 1 })
		const thread = (w as unknown as { worker: Worker }).worker
		// The thread is still starting: it never reads the first append; the second waits for the first.
		const lost = w.append([{ roomId: 'r', update: update(1) }])
		const waiting = w.append([{ roomId: 'r', update: update(2) }])
		await thread.terminate()
		await expect(lost).rejects.toThrow(/commit thread ended/)
		expect(threadErrors).toHaveLength(1)
		await waiting
		await w.append([{ roomId: 'r', update: update(3) }])
		expect(rows().map((r) => r.data[0])).toEqual([2, 3])
		expect(w.pendingCount).toBe(0)
	})

	it('close commits what was appended, closes the connection and refuses later appends', async () => {
		createDatabase(file)
		const w = open()
		const settled: boolean[] = []
		const appends = Array.from({ length: 20 }, (_, i) =>
			w.append([{ roomId: 'r', update: update(i) }]).then(() => {
				settled[i] = true
			})
		)
		await w.close()
		expect(settled.filter(Boolean)).toHaveLength(20)
		await Promise.all(appends)
		// The thread's connection was the only one: closing it checkpointed and removed the WAL.
		expect(fs.existsSync(`${file}-wal`)).toBe(false)
		expect(rows()).toHaveLength(20)
		await expect(w.append([{ roomId: 'r', update: update(0) }])).rejects.toThrow(/closed/)
	})
})
