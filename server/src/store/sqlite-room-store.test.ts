import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { GroupCommitter, MAX_GROUP_WAIT_MS } from './group-commit'
import { MAIN_PAGE_CACHE_KIB, SqliteRoomStore } from './sqlite-room-store'
import { testRoom } from './test-fixtures'
import type { WalGrowth } from './wal-growth'

describe('SqliteRoomStore (beyond the store contracts)', () => {
	let dir: string
	let store: SqliteRoomStore
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-store-'))
		store = new SqliteRoomStore(dir)
	})
	afterEach(async () => {
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('group-commits everything queued in one tick in one transaction', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		let transactions = 0
		const inner = store.appendUpdates.bind(store)
		store.appendUpdates = async (batch) => {
			transactions++
			return inner(batch)
		}
		const committer = new GroupCommitter(store)
		await Promise.all(Array.from({ length: 50 }, () => committer.commit('r1', new Uint8Array([0, 0]))))
		expect(transactions).toBe(1)
		expect(await store.countUpdates('r1')).toBe(51)
	})

	it("durability 'crash': the first update of a turn is committed at once, the rest of the turn as one batch, in order", async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		let batches = 0
		const inner = store.appendUpdates.bind(store)
		store.appendUpdates = async (batch) => {
			batches++
			return inner(batch)
		}
		const committer = new GroupCommitter(store)
		const stored = async () => (await store.loadUpdates('r1')).updates.slice(1).map((u) => u[0])
		expect(committer.commitNowOrLater('r1', new Uint8Array([1]))).toBeNull()
		// Committed before it returned: the broadcast can follow at once.
		expect(await store.countUpdates('r1')).toBe(2)
		const later = [2, 3, 4].map((n) => committer.commitNowOrLater('r1', new Uint8Array([n])))
		for (const queued of later) expect(queued).toBeInstanceOf(Promise)
		expect(await store.countUpdates('r1')).toBe(2)
		await Promise.all(later)
		expect(batches).toBe(1)
		await new Promise((r) => setImmediate(r))
		// A new turn: at once again.
		expect(committer.commitNowOrLater('r1', new Uint8Array([5]))).toBeNull()
		expect(await stored()).toEqual([1, 2, 3, 4, 5])
	})

	it('a queued update that waited longer than MAX_GROUP_WAIT_MS is committed with the next one, not at the end of the turn', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		const committer = new GroupCommitter(store)
		expect(committer.commitNowOrLater('r1', new Uint8Array([1]))).toBeNull()
		const queued = committer.commitNowOrLater('r1', new Uint8Array([2]))
		const waitUntil = performance.now() + MAX_GROUP_WAIT_MS + 1
		while (performance.now() < waitUntil) {
			// A long message handler: the turn does not end.
		}
		const next = committer.commitNowOrLater('r1', new Uint8Array([3]))
		// Both committed in this turn, before any setImmediate ran.
		expect(await store.countUpdates('r1')).toBe(4)
		await Promise.all([queued, next])
	})

	it('votes (a read, then a write) succeed while the commit thread writes', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		const failures: unknown[] = []
		for (let i = 0; i < 150; i++) {
			const commits = Array.from({ length: 3 }, () =>
				store.appendUpdates([{ roomId: 'r1', update: new Uint8Array(200) }])
			)
			for (let k = 0; k < 3; k++) {
				try {
					expect(await store.addVote('r1', `p${i}`, 'n1', 10)).toBe(true)
					expect(await store.removeVote('r1', `p${i}`, 'n1')).toBe(true)
				} catch (error) {
					failures.push(error)
				}
			}
			await Promise.all(commits)
		}
		expect(failures).toEqual([])
		expect(await store.countUpdates('r1')).toBe(1 + 150 * 3)
	})

	it("durability 'crash' (default): no fsync in a commit; every update is reported power-safe after its commit", async () => {
		expect(store.durability).toBe('crash')
		// 1 = NORMAL: a commit is in the WAL (the OS's page cache), which a kill -9 of the process does not lose.
		expect(store.db.pragma('synchronous', { simple: true })).toBe(1)
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		const committed: number[] = []
		const powerSafe: number[] = []
		const committer = new GroupCommitter(
			store,
			(ms) => committed.push(ms),
			(ms) => powerSafe.push(ms)
		)
		for (let round = 0; round < 5; round++)
			await Promise.all(Array.from({ length: 20 }, () => committer.commit('r1', new Uint8Array([0, 0]))))
		await store.whenPowerSafe()
		// The callbacks of the last batch run after whenPowerSafe's waiters resolved.
		await new Promise((r) => setImmediate(r))
		expect(committed).toHaveLength(100)
		expect(powerSafe).toHaveLength(100)
		expect(store.completedSyncs).toBeGreaterThan(0)
		expect(Math.min(...powerSafe)).toBeGreaterThanOrEqual(Math.min(...committed))
		expect(store.powerSafeLagMs()).toBe(0)
		expect(store.powerSafeHealth()).toEqual({ ok: true })
	})

	it("durability 'power': every commit is fsync'd before it is answered (synchronous=FULL)", async () => {
		const powerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-store-power-'))
		const power = new SqliteRoomStore(powerDir, { durability: 'power' })
		try {
			expect(power.db.pragma('synchronous', { simple: true })).toBe(2)
			await power.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
			const committed: number[] = []
			const powerSafe: number[] = []
			const committer = new GroupCommitter(
				power,
				(ms) => committed.push(ms),
				(ms) => powerSafe.push(ms)
			)
			await Promise.all(Array.from({ length: 10 }, () => committer.commit('r1', new Uint8Array([0, 0]))))
			// No synchronous commit with the commit thread: queued like any other.
			const queued = committer.commitNowOrLater('r1', new Uint8Array([0, 0]))
			expect(queued).toBeInstanceOf(Promise)
			await queued
			await new Promise((r) => setImmediate(r))
			expect(powerSafe).toHaveLength(11)
			expect(powerSafe).toEqual(committed)
			expect(power.completedSyncs).toBe(0)
		} finally {
			await power.close()
			fs.rmSync(powerDir, { recursive: true, force: true })
		}
	})

	it('keeps a small page cache on the main connection, and rooms whose state is larger than it load whole', async () => {
		expect(store.db.pragma('cache_size', { simple: true })).toBe(-MAIN_PAGE_CACHE_KIB)
		// Four rooms of 1 MiB each: every one is read past what the cache holds.
		const states = Array.from({ length: 4 }, (_, i) => {
			const bytes = new Uint8Array(4 * MAIN_PAGE_CACHE_KIB * 1024)
			for (let j = 0; j < bytes.length; j++) bytes[j] = (j * 31 + i * 7) & 0xff
			return bytes
		})
		for (const [i, state] of states.entries()) await store.createRoom(testRoom(`big${i}`, `BIGRM${i}`), state)
		await store.close()
		store = new SqliteRoomStore(dir)
		for (const [i, state] of states.entries()) {
			const loaded = await store.loadUpdates(`big${i}`)
			expect(loaded.updates).toHaveLength(1)
			expect(Buffer.from(loaded.updates[0]).equals(Buffer.from(state))).toBe(true)
		}
	})

	it('starts the checkpoint thread with the first room update; until then SQLite checkpoints on the main connection', async () => {
		const checkpointer = () => (store as unknown as { checkpointer: unknown }).checkpointer
		// Room creation and votes: main-connection writes, no thread.
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		expect(await store.addVote('r1', 'p1', 'n1', 10)).toBe(true)
		expect(checkpointer()).toBeNull()
		expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(0)
		await store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([0, 0]) }])
		expect(checkpointer()).not.toBeNull()
		expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
		expect(await store.countUpdates('r1')).toBe(2)
	})

	it('compaction puts the snapshot above the rows it replaces, so a later stale bound cannot reach past it', async () => {
		// r1's rows are the table's top rows: deleting them first would free their seqs for the snapshot (no
		// AUTOINCREMENT since schema step 9) and for the updates after it.
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([1]))
		await store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([2]) }])
		const { lastSeq } = await store.loadUpdates('r1')
		await store.compact('r1', new Uint8Array([3]), lastSeq)
		await store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([4]) }])
		const seqs = () => store.db.prepare('SELECT seq FROM room_updates ORDER BY seq').pluck().all() as number[]
		expect(seqs()[0]).toBeGreaterThan(lastSeq)
		// The same bound once more (a compaction that read it before the first one): the rows written since stay.
		await store.compact('r1', new Uint8Array([5]), lastSeq)
		expect((await store.loadUpdates('r1')).updates.map((u) => [...u])).toEqual([[3], [4], [5]])
		await store.replaceDoc('r1', new Uint8Array([6]), [])
		expect((await store.loadUpdates('r1')).updates.map((u) => [...u])).toEqual([[6]])
		expect(seqs()[0]).toBeGreaterThan(lastSeq + 3)
	})

	it('counts each room-update transaction and its bytes for the checkpoint thread, with either durability', async () => {
		const growthOf = (s: SqliteRoomStore) => (s as unknown as { walGrowth: WalGrowth }).walGrowth
		const powerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-store-'))
		const power = new SqliteRoomStore(powerDir, { durability: 'power' })
		try {
			for (const s of [store, power]) {
				await s.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
				// Room creation is not counted: the checkpoint thread's idle bound covers such writes.
				expect(growthOf(s).transactions).toBe(0)
				await s.appendUpdates([{ roomId: 'r1', update: new Uint8Array(100) }])
				await s.appendUpdates([
					{ roomId: 'r1', update: new Uint8Array(10) },
					{ roomId: 'r1', update: new Uint8Array(5000) },
				])
				expect(growthOf(s).transactions).toBe(2)
				expect(growthOf(s).bytes).toBe(5110)
			}
		} finally {
			await power.close()
			fs.rmSync(powerDir, { recursive: true, force: true })
		}
	})
})
