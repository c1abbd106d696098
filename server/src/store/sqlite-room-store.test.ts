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
})
