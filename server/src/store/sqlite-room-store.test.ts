import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { GroupCommitter } from './group-commit'
import { JoinCodeTakenError } from './room-store'
import { SqliteRoomStore } from './sqlite-room-store'
import { testRoom } from './test-fixtures'

describe('SqliteRoomStore', () => {
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

	it('creates, finds and closes rooms; a join code is unique among open rooms only', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		expect((await store.getRoom('r1'))?.joinCode).toBe('ABCDEF')
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r1')
		await expect(store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))).rejects.toBeInstanceOf(
			JoinCodeTakenError
		)
		expect(await store.getRoom('r2')).toBeNull()
		await store.updateRoom('r1', { closedAt: 5 })
		expect(await store.findOpenRoomByJoinCode('ABCDEF')).toBeNull()
		await store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r2')
	})

	it('keeps updates across a reopen and compacts them into one snapshot', async () => {
		const doc = new Y.Doc()
		const first = Y.encodeStateAsUpdate(doc)
		await store.createRoom(testRoom('r1', 'ABCDEF'), first)
		const committer = new GroupCommitter(store)
		const commits: Promise<void>[] = []
		doc.on('update', (u: Uint8Array) => commits.push(committer.commit('r1', u)))
		for (let i = 0; i < 300; i++) doc.getMap('tldraw').set(`shape:${i % 10}`, { x: i })
		await Promise.all(commits)
		expect(await store.countUpdates('r1')).toBe(301)
		await store.close()

		store = new SqliteRoomStore(dir)
		const loaded = new Y.Doc()
		for (const u of (await store.loadUpdates('r1')).updates) Y.applyUpdate(loaded, u)
		expect(loaded.getMap('tldraw').get('shape:9')).toEqual({ x: 299 })

		await store.compact('r1', Y.encodeStateAsUpdate(loaded), Number.MAX_SAFE_INTEGER)
		expect(await store.countUpdates('r1')).toBe(1)
		const again = new Y.Doc()
		for (const u of (await store.loadUpdates('r1')).updates) Y.applyUpdate(again, u)
		expect(again.getMap('tldraw').toJSON()).toEqual(loaded.getMap('tldraw').toJSON())
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

	it('acknowledged updates are in loadUpdates at once; a compaction next to commits in flight loses none', async () => {
		const doc = new Y.Doc()
		await store.createRoom(testRoom('r1', 'ABCDEF'), Y.encodeStateAsUpdate(doc))
		const committer = new GroupCommitter(store)
		const commits: Promise<void>[] = []
		doc.on('update', (u: Uint8Array) => commits.push(committer.commit('r1', u)))
		const records = doc.getMap('tldraw')
		for (let i = 0; i < 100; i++) records.set(`shape:${i}`, { x: i })
		await Promise.all(commits)
		expect((await store.loadUpdates('r1')).updates).toHaveLength(101)
		// Changes handed to the commit thread (and some still queued) while the room is compacted.
		for (let i = 0; i < 50; i++) records.set(`shape:${i}`, { x: -i })
		await new Promise<void>((resolve) => setImmediate(resolve))
		for (let i = 50; i < 100; i++) records.set(`shape:${i}`, { x: -i })
		await store.compact('r1', Y.encodeStateAsUpdate(doc), Number.MAX_SAFE_INTEGER)
		await Promise.all(commits)
		const loaded = new Y.Doc()
		for (const u of (await store.loadUpdates('r1')).updates) Y.applyUpdate(loaded, u)
		expect(loaded.getMap('tldraw').toJSON()).toEqual(records.toJSON())
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

	it('close waits for the updates being committed', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		let committed = 0
		const commits = Array.from({ length: 30 }, () =>
			store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([1, 2, 3]) }]).then(() => committed++)
		)
		await store.close()
		expect(committed).toBe(30)
		await Promise.all(commits)
		store = new SqliteRoomStore(dir)
		expect(await store.countUpdates('r1')).toBe(31)
	})
})
