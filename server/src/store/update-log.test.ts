import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { GroupCommitter, type LoggedCommit, MAX_PACED_BATCH } from './group-commit'
import { SqliteRoomStore } from './sqlite-room-store'
import { testRoom } from './test-fixtures'
import { readUpdateLog, readUpdateLogs, UpdateLog, updateLogFiles } from './update-log'

const DB = 'kompasbord.sqlite'
const LOG = `${DB}-updates.log`

/** An update that sets `key` in the records map of a fresh doc. */
function setUpdate(key: string, value: number): Uint8Array {
	const doc = new Y.Doc()
	doc.getMap('records').set(key, value)
	return Y.encodeStateAsUpdate(doc)
}

/** What a room's stored updates hold, applied to one doc. */
async function storedRecords(store: SqliteRoomStore, roomId: string): Promise<Record<string, unknown>> {
	const doc = new Y.Doc()
	for (const update of (await store.loadUpdates(roomId)).updates) Y.applyUpdate(doc, update)
	return doc.getMap('records').toJSON()
}

/** The size of every batch `store` is handed from now on (its `appendUpdates`, wrapped). */
function batchSizes(store: SqliteRoomStore): number[] {
	const sizes: number[] = []
	const inner = store.appendUpdates.bind(store)
	store.appendUpdates = async (batch) => {
		sizes.push(batch.length)
		return inner(batch)
	}
	return sizes
}

/** Resolves once the current turn of the event loop has ended (its `setImmediate` callbacks ran). */
function endOfTurn(): Promise<void> {
	return new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * Commits `shape:1` of r1 (the first batch after a quiet spell goes at the end of its turn), then logs `shape:2`,
 * which a long pace holds: returns that one once its turn has ended.
 */
async function heldAfterFirstBatch(committer: GroupCommitter): Promise<LoggedCommit> {
	await (committer.commitNowOrLater('r1', setUpdate('shape:1', 1)) as LoggedCommit).stored
	const held = committer.commitNowOrLater('r1', setUpdate('shape:2', 2)) as LoggedCommit
	await endOfTurn()
	return held
}

/** Starts a store with its update log on `dir` (as the server does after a crash), runs `check`, closes it. */
async function restarted(dir: string, check: (store: SqliteRoomStore) => Promise<void>): Promise<void> {
	const store = new SqliteRoomStore(dir, { updateLog: true })
	try {
		await check(store)
	} finally {
		await store.close()
	}
}

/** The data directory as the disk holds it at this moment: what a kill -9 right now would leave. */
function crashCopy(dir: string): string {
	const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-crash-'))
	for (const name of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, name), path.join(copy, name))
	return copy
}

describe('UpdateLog', () => {
	let dir: string
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-log-'))
	})
	afterEach(() => {
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('reads back what was logged, in order, and nothing once it was stored', () => {
		const file = path.join(dir, 'updates.log')
		const log = new UpdateLog(file)
		log.append('room-a', new Uint8Array([1, 2, 3]))
		log.append('kamer-é', new Uint8Array(5000).fill(7))
		log.append('room-a', new Uint8Array([]))
		expect(readUpdateLog(file).map(({ seq, roomId, update }) => [seq, roomId, [...update.subarray(0, 3)]])).toEqual([
			[1, 'room-a', [1, 2, 3]],
			[2, 'kamer-é', [7, 7, 7]],
			[3, 'room-a', []],
		])
		expect(readUpdateLog(file)[1].update.byteLength).toBe(5000)
		log.stored(log.lastSeq)
		expect(log.outstandingBytes).toBe(0)
		// Stored: the older generation no longer reads back, though its bytes are still in the file.
		expect(readUpdateLog(file)).toEqual([])
		expect(fs.statSync(file).size).toBeGreaterThan(5000)
		// The next generation overwrites the start; the rest of the old one beyond it is not read.
		log.append('room-b', new Uint8Array([9]))
		expect(readUpdateLog(file).map((r) => [r.seq, r.roomId, [...r.update]])).toEqual([[4, 'room-b', [9]]])
		log.close()
	})

	it('stops at a torn or corrupted record and keeps the whole ones before it', () => {
		const file = path.join(dir, 'updates.log')
		const log = new UpdateLog(file)
		log.append('r', new Uint8Array([1]))
		log.append('r', new Uint8Array([2, 2]))
		log.append('r', new Uint8Array([3, 3, 3]))
		log.close()
		const whole = fs.readFileSync(file)
		fs.writeFileSync(file, whole.subarray(0, whole.length - 2))
		expect(readUpdateLog(file).map((r) => [...r.update])).toEqual([[1], [2, 2]])
		const flipped = Buffer.from(whole)
		// A byte of the second record's update.
		flipped[16 + 1 + 1 + 4 + 16 + 1] ^= 0xff
		fs.writeFileSync(file, flipped)
		expect(readUpdateLog(file).map((r) => [...r.update])).toEqual([[1]])
		expect(readUpdateLog(path.join(dir, 'missing.log'))).toEqual([])
	})

	it('a new log starts empty; a scrub empties the file once everything logged is stored', () => {
		const file = path.join(dir, 'updates.log')
		fs.writeFileSync(file, Buffer.alloc(100, 1))
		const log = new UpdateLog(file)
		expect(fs.statSync(file).size).toBe(0)
		log.append('r', new Uint8Array([1]))
		log.scrubWhenStored()
		expect(fs.statSync(file).size).toBeGreaterThan(0)
		log.stored(log.lastSeq)
		expect(fs.statSync(file).size).toBe(0)
		log.append('r', new Uint8Array([2]))
		log.stored(log.lastSeq)
		log.scrubWhenStored()
		expect(fs.statSync(file).size).toBe(0)
		log.close()
		expect(() => log.append('r', new Uint8Array([3]))).toThrow(/closed/)
	})

	it('two files take turns: a batch moves the records after it to the free file, and a file goes only once all it holds is stored', () => {
		const file = path.join(dir, 'updates.log')
		const [first, second] = updateLogFiles(file)
		const log = new UpdateLog(file)
		const seqs = (f: string) => readUpdateLog(f).map((r) => r.seq)
		log.append('r', new Uint8Array([1]))
		log.append('r', new Uint8Array([2]))
		const firstBatch = log.batchTaken()
		expect(firstBatch).toBe(2)
		log.append('r', new Uint8Array([3]))
		expect([seqs(first), seqs(second)]).toEqual([[1, 2], [3]])
		// Both read back in the order logged.
		expect(readUpdateLogs(file).map((r) => [r.seq, ...r.update])).toEqual([
			[1, 1],
			[2, 2],
			[3, 3],
		])
		// The first batch is stored: its file starts again; the record after it stays.
		log.stored(firstBatch)
		expect([seqs(first), seqs(second)]).toEqual([[], [3]])
		// The next batch turns back to the first file.
		const secondBatch = log.batchTaken()
		expect(secondBatch).toBe(3)
		log.append('r', new Uint8Array([4]))
		// A batch while the other file still holds records of an earlier one: no turn, records go on in this file.
		expect(log.batchTaken()).toBe(4)
		log.append('r', new Uint8Array([5]))
		expect([seqs(first), seqs(second)]).toEqual([[4, 5], [3]])
		log.stored(secondBatch)
		expect([seqs(first), seqs(second)]).toEqual([[4, 5], []])
		// Not stored while it holds a record the stored batch did not take.
		log.stored(4)
		expect(seqs(first)).toEqual([4, 5])
		log.stored(5)
		expect(log.outstandingBytes).toBe(0)
		expect(readUpdateLogs(file)).toEqual([])
		log.close()
	})

	it('makes its records power-safe with an fdatasync at the end of the turn, one for all of them', async () => {
		const file = path.join(dir, 'updates.log')
		const log = new UpdateLog(file)
		const syncs = vi.spyOn(fs, 'fdatasync')
		try {
			expect(log.whenSynced()).toBeNull()
			log.append('r', new Uint8Array([1]))
			log.append('r', new Uint8Array([2]))
			const synced = log.whenSynced()
			expect(synced).not.toBeNull()
			expect(log.lagMs()).toBeGreaterThanOrEqual(0)
			expect(syncs).not.toHaveBeenCalled()
			await synced
			expect(syncs).toHaveBeenCalledTimes(1)
			expect(log.whenSynced()).toBeNull()
			expect(log.lagMs()).toBe(0)
			expect(log.syncHealth()).toEqual({ ok: true })
		} finally {
			syncs.mockRestore()
			log.close()
		}
	})

	it('an fdatasync that fails is reported and tried again', async () => {
		const file = path.join(dir, 'updates.log')
		const log = new UpdateLog(file)
		const real = fs.fdatasync
		let failures = 1
		const syncs = vi.spyOn(fs, 'fdatasync').mockImplementation(((
			fd: number,
			cb: (e: NodeJS.ErrnoException | null) => void
		) => {
			if (failures-- > 0) {
				setImmediate(() => cb(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })))
				return
			}
			real(fd, cb)
		}) as typeof fs.fdatasync)
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
		try {
			log.append('r', new Uint8Array([1]))
			const synced = log.whenSynced()
			await new Promise((resolve) => setImmediate(resolve))
			await new Promise((resolve) => setImmediate(resolve))
			expect(log.syncHealth()).toMatchObject({ ok: false, error: expect.stringMatching(/update log failed: EIO/) })
			vi.advanceTimersByTime(1000)
			await synced
			expect(log.syncHealth()).toEqual({ ok: true })
			expect(syncs).toHaveBeenCalledTimes(2)
		} finally {
			vi.useRealTimers()
			syncs.mockRestore()
			log.close()
		}
	})
})

describe('SqliteRoomStore with an update log (durability crash)', () => {
	let dir: string
	const others: string[] = []
	let store: SqliteRoomStore
	beforeEach(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-logstore-'))
		store = new SqliteRoomStore(dir, { updateLog: true })
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		await store.createRoom(testRoom('r2', 'GHJKLM'), new Uint8Array([0, 0]))
	})
	afterEach(async () => {
		await store.close()
		for (const d of [dir, ...others.splice(0)]) fs.rmSync(d, { recursive: true, force: true })
	})

	it('an update is crash-safe in the log before SQLite has it; a restart after a crash commits it', async () => {
		const committer = new GroupCommitter(store)
		const outcome = committer.commitNowOrLater('r1', setUpdate('shape:a', 1)) as LoggedCommit
		expect(outcome).toHaveProperty('stored')
		// Logged, not yet in SQLite (the batch goes at the end of the turn): what a kill -9 now leaves on disk.
		expect(await store.countUpdates('r1')).toBe(1)
		const crashed = crashCopy(dir)
		others.push(crashed)
		await outcome.stored
		expect(await store.countUpdates('r1')).toBe(2)

		await restarted(crashed, async (recovered) => {
			expect(await storedRecords(recovered, 'r1')).toEqual({ 'shape:a': 1 })
			expect(fs.statSync(path.join(crashed, LOG)).size).toBe(0)
		})
	})

	it('at start-up commits only the rooms that still exist, and nothing twice once the log was stored', async () => {
		const committer = new GroupCommitter(store)
		const first = committer.commitNowOrLater('r1', setUpdate('shape:a', 1)) as LoggedCommit
		await first.stored
		// Stored, and power-safe in SQLite (its WAL fdatasync'd): a crash now leaves nothing to commit again.
		await store.whenPowerSafe()
		const afterStore = crashCopy(dir)
		others.push(afterStore)
		const second = committer.commitNowOrLater('r2', setUpdate('shape:b', 2)) as LoggedCommit
		const third = committer.commitNowOrLater('r1', setUpdate('shape:c', 3)) as LoggedCommit
		const crashed = crashCopy(dir)
		others.push(crashed)
		await Promise.all([second.stored, third.stored])

		await restarted(afterStore, async (clean) => {
			expect(await clean.countUpdates('r1')).toBe(2)
		})
		// r2 is gone in the crashed copy before it restarts (deleted while its update was only in the log).
		const sqlite = new SqliteRoomStore(crashed)
		await sqlite.deleteRoom('r2')
		await sqlite.close()
		await restarted(crashed, async (recovered) => {
			expect(await storedRecords(recovered, 'r1')).toEqual({ 'shape:a': 1, 'shape:c': 3 })
			expect(await recovered.countUpdates('r1')).toBe(3)
			expect(await recovered.countUpdates('r2')).toBe(0)
		})
	})

	it('deleting a room empties the log files once what they hold is stored', async () => {
		const committer = new GroupCommitter(store)
		const outcome = committer.commitNowOrLater('r2', setUpdate('shape:private', 1)) as LoggedCommit
		await outcome.stored
		// Committed, the WAL not yet fdatasync'd: the log keeps it until then, and is emptied then.
		expect(fs.statSync(path.join(dir, LOG)).size).toBeGreaterThan(0)
		await store.deleteRoom('r2')
		await store.whenPowerSafe()
		for (const file of updateLogFiles(path.join(dir, LOG))) expect(fs.statSync(file).size).toBe(0)
		expect(fs.readdirSync(dir)).toContain(LOG)
	})

	it("an update is power-safe with the log's fdatasync, before the store commits it; the log lets it go once SQLite has it power-safe", async () => {
		const powerSafe: number[] = []
		const batches = batchSizes(store)
		const committer = new GroupCommitter(store, undefined, (ms) => powerSafe.push(ms), 60_000)
		// The first after a quiet spell goes to the store at the end of its turn; the next is held by the pace.
		await (committer.commitNowOrLater('r1', setUpdate('shape:1', 1)) as LoggedCommit).stored
		await store.whenPowerSafe()
		const held = committer.commitNowOrLater('r1', setUpdate('shape:2', 2)) as LoggedCommit
		const synced = store.whenPowerSafe()
		expect(synced).not.toBeNull()
		await synced
		await endOfTurn()
		expect(powerSafe).toHaveLength(2)
		expect(batches).toEqual([1])
		expect(readUpdateLogs(path.join(dir, LOG)).map((r) => r.roomId)).toEqual(['r1'])
		// What a power cut now leaves: the log holds it, fdatasync'd; a start commits it.
		const crashed = crashCopy(dir)
		others.push(crashed)
		await restarted(crashed, async (recovered) => {
			expect(await storedRecords(recovered, 'r1')).toEqual({ 'shape:1': 1, 'shape:2': 2 })
		})
		await committer.drain()
		await held.stored
		await store.whenPowerSafe()
		expect(readUpdateLogs(path.join(dir, LOG))).toEqual([])
	})

	it("a logged update's time to power-safe is the log's fdatasync, whatever SQLite's WAL sync is doing", async () => {
		const powerSafe: number[] = []
		const committer = new GroupCommitter(store, undefined, (ms) => powerSafe.push(ms), 60_000)
		await (committer.commitNowOrLater('r1', setUpdate('shape:1', 1)) as LoggedCommit).stored
		await store.whenPowerSafe()
		await endOfTurn()
		expect(powerSafe).toHaveLength(1)
		// A WAL fdatasync that does not return (a batch's, on a stalled disk): the logged updates are power-safe
		// in the log all the same, and are reported so as soon as its fdatasync returns.
		store.whenPowerSafe = () => new Promise<void>(() => {})
		committer.commitNowOrLater('r1', setUpdate('shape:2', 2))
		committer.commitNowOrLater('r1', setUpdate('shape:3', 3))
		const logSynced = store.whenLogSynced()
		expect(logSynced).not.toBeNull()
		await logSynced
		await endOfTurn()
		expect(powerSafe).toHaveLength(3)
		await committer.drain()
	})

	it('the group commit commits the logged updates of a turn as one batch after they return, then the log starts again', async () => {
		let batches = 0
		const inner = store.appendUpdates.bind(store)
		store.appendUpdates = async (batch) => {
			batches++
			return inner(batch)
		}
		const committed: number[] = []
		const committer = new GroupCommitter(store, (ms) => committed.push(ms))
		const outcomes = [1, 2, 3].map((n) => committer.commitNowOrLater('r1', setUpdate(`shape:${n}`, n)) as LoggedCommit)
		// Crash-safe (logged) for each at once, committed to SQLite with the turn's batch; their times are reported at
		// the end of the turn (after the broadcasts).
		expect(readUpdateLog(path.join(dir, LOG))).toHaveLength(3)
		expect(committed).toHaveLength(0)
		expect(batches).toBe(0)
		await Promise.all(outcomes.map((o) => o.stored))
		expect(batches).toBe(1)
		expect(committed).toHaveLength(3)
		await store.whenPowerSafe()
		expect(readUpdateLogs(path.join(dir, LOG))).toEqual([])
		expect(await storedRecords(store, 'r1')).toEqual({ 'shape:1': 1, 'shape:2': 2, 'shape:3': 3 })
	})

	it('logged updates within the pace of the last batch gather, and go by the pace timer when no later turn comes', async () => {
		const batches = batchSizes(store)
		const pace = 40
		const committer = new GroupCommitter(store, undefined, undefined, pace)
		// After a quiet spell (no batch yet): at the end of its turn.
		await (committer.commitNowOrLater('r1', setUpdate('shape:1', 1)) as LoggedCommit).stored
		expect(batches).toEqual([1])
		const firstBatchAt = performance.now()
		await store.whenPowerSafe()
		// Within the pace: held, in the log, through the end of their turns.
		const held = [2, 3].map((n) => committer.commitNowOrLater('r1', setUpdate(`shape:${n}`, n)) as LoggedCommit)
		await endOfTurn()
		const later = committer.commitNowOrLater('r2', setUpdate('shape:4', 4)) as LoggedCommit
		await endOfTurn()
		expect(batches).toEqual([1])
		expect(readUpdateLogs(path.join(dir, LOG))).toHaveLength(3)
		// No more traffic: the timer commits them, not before the pace has passed, as one batch.
		await Promise.all([...held, later].map((o) => o.stored))
		expect(performance.now() - firstBatchAt).toBeGreaterThanOrEqual(pace)
		expect(batches).toEqual([1, 3])
		await store.whenPowerSafe()
		expect(readUpdateLogs(path.join(dir, LOG))).toEqual([])
		expect(await storedRecords(store, 'r1')).toEqual({ 'shape:1': 1, 'shape:2': 2, 'shape:3': 3 })
		expect(await storedRecords(store, 'r2')).toEqual({ 'shape:4': 4 })
	})

	it('gathered logged updates go with the first turn that ends once the pace has passed, before the timer', async () => {
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
		try {
			const batches = batchSizes(store)
			const pace = 1000
			const committer = new GroupCommitter(store, undefined, undefined, pace)
			await (committer.commitNowOrLater('r1', setUpdate('shape:1', 1)) as LoggedCommit).stored
			const held = committer.commitNowOrLater('r1', setUpdate('shape:2', 2)) as LoggedCommit
			await endOfTurn()
			vi.advanceTimersByTime(pace - 1)
			const stillHeld = committer.commitNowOrLater('r1', setUpdate('shape:3', 3)) as LoggedCommit
			await endOfTurn()
			expect(batches).toEqual([1])
			// The pace has passed (the timer is due only at twice it): this turn takes them all.
			vi.advanceTimersByTime(1)
			const next = committer.commitNowOrLater('r2', setUpdate('shape:4', 4)) as LoggedCommit
			await Promise.all([held.stored, stillHeld.stored, next.stored])
			expect(batches).toEqual([1, 3])
			expect(vi.getTimerCount()).toBe(0)
		} finally {
			vi.useRealTimers()
		}
	})

	it('gathered logged updates go at the end of the turn once MAX_PACED_BATCH wait, whatever the pace', async () => {
		const batches = batchSizes(store)
		const committer = new GroupCommitter(store, undefined, undefined, 60_000)
		await (committer.commitNowOrLater('r1', setUpdate('shape:0', 0)) as LoggedCommit).stored
		const outcomes: LoggedCommit[] = []
		for (let n = 1; n < MAX_PACED_BATCH; n++) {
			outcomes.push(committer.commitNowOrLater('r1', setUpdate(`shape:${n}`, n)) as LoggedCommit)
		}
		await endOfTurn()
		expect(batches).toEqual([1])
		outcomes.push(committer.commitNowOrLater('r2', setUpdate('shape:last', 1)) as LoggedCommit)
		await Promise.all(outcomes.map((o) => o.stored))
		expect(batches).toEqual([1, MAX_PACED_BATCH])
	})

	it('flushPending() commits the gathered logged updates now (a REST write, an unload waits for them)', async () => {
		const batches = batchSizes(store)
		const committer = new GroupCommitter(store, undefined, undefined, 60_000)
		const held = await heldAfterFirstBatch(committer)
		expect(batches).toEqual([1])
		committer.flushPending()
		await held.stored
		expect(batches).toEqual([1, 1])
		committer.flushPending()
		expect(batches).toEqual([1, 1])
	})

	it('an update that is not logged is not held by the pace, and takes the gathered logged ones along', async () => {
		const batches = batchSizes(store)
		const committer = new GroupCommitter(store, undefined, undefined, 60_000)
		const held = await heldAfterFirstBatch(committer)
		expect(batches).toEqual([1])
		// A commit that is not in the log (e.g. a REST write answering once committed) goes at the end of its turn.
		await committer.commit('r2', setUpdate('shape:3', 3))
		expect(batches).toEqual([1, 2])
		await held.stored
		// And drain() (shutdown, a room's unload) does not wait for the pace either.
		const gathered = committer.commitNowOrLater('r1', setUpdate('shape:4', 4)) as LoggedCommit
		await committer.drain()
		await gathered.stored
		expect(batches).toEqual([1, 2, 1])
		expect(await storedRecords(store, 'r1')).toEqual({ 'shape:1': 1, 'shape:2': 2, 'shape:4': 4 })
	})

	it('a logged update whose batch failed stays in the log and is committed with a later batch', async () => {
		const inner = store.appendUpdates.bind(store)
		let failNext = true
		store.appendUpdates = async (batch) => {
			if (failNext) {
				failNext = false
				throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
			}
			return inner(batch)
		}
		const committer = new GroupCommitter(store)
		const failed = committer.commitNowOrLater('r1', setUpdate('shape:seen', 1)) as LoggedCommit
		await expect(failed.stored).rejects.toThrow(/full/)
		// It may have been broadcast: a crash now must not lose it.
		expect(readUpdateLog(path.join(dir, LOG)).map((r) => r.roomId)).toEqual(['r1'])
		const later = committer.commitNowOrLater('r2', setUpdate('shape:later', 2)) as LoggedCommit
		await later.stored
		expect(await storedRecords(store, 'r1')).toEqual({ 'shape:seen': 1 })
		expect(await storedRecords(store, 'r2')).toEqual({ 'shape:later': 2 })
		await store.whenPowerSafe()
		expect(readUpdateLogs(path.join(dir, LOG))).toEqual([])
	})

	it('on a full disk the log takes what fits in the space it has, and refuses a record that would grow it', async () => {
		const committer = new GroupCommitter(store)
		await (committer.commitNowOrLater('r1', setUpdate('shape:a', 'a'.repeat(200) as never)) as LoggedCommit).stored
		await store.whenPowerSafe()
		// The batch turned the log to its second file, which has no room on this disk: the first one is free again.
		await store.simulateDiskFullForTesting(true)
		const small = committer.commitNowOrLater('r1', setUpdate('shape:b', 2)) as LoggedCommit
		expect(small).toHaveProperty('stored')
		const big = setUpdate('shape:big', 'x'.repeat(5000) as never)
		expect(() => committer.commitNowOrLater('r1', big)).toThrow(/ENOSPC/)
		await store.simulateDiskFullForTesting(false)
		await small.stored
		expect(await storedRecords(store, 'r1')).toEqual({ 'shape:a': 'a'.repeat(200), 'shape:b': 2 })
	})

	it('a log that cannot be written throws, so the update is neither broadcast nor kept', async () => {
		const committer = new GroupCommitter(store)
		await store.close()
		expect(() => committer.commitNowOrLater('r1', setUpdate('shape:a', 1))).toThrow(/closed/)
		store = new SqliteRoomStore(dir, { updateLog: true })
		expect(await store.countUpdates('r1')).toBe(1)
	})
})
