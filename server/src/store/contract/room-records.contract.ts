import { afterEach, beforeEach, expect, it } from 'vitest'
import * as Y from 'yjs'
import { GroupCommitter } from '../group-commit'
import { JoinCodeTakenError, type RoomRecordStore } from '../room-records'
import { testRoom } from '../test-fixtures'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/** A store whose pending appends {@link RoomRecordStore} commits on close. */
export interface ClosableRoomRecordStore extends RoomRecordStore {
	close(): Promise<void>
}

function docOf(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc()
	for (const u of updates) Y.applyUpdate(doc, u)
	return doc
}

/**
 * The contract of {@link RoomRecordStore} (room records and their doc updates) that every backend passes; call
 * inside a `describe` with a factory of the backend.
 */
export function roomRecordsContract(factory: StoreFactory<ClosableRoomRecordStore>): void {
	let t: StoreUnderTest<ClosableRoomRecordStore>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('creates, finds and closes rooms; a join code is unique among open rooms only', async () => {
		const { store } = t
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		expect(await store.getRoom('r1')).toEqual(testRoom('r1', 'ABCDEF'))
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r1')
		await expect(store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))).rejects.toBeInstanceOf(
			JoinCodeTakenError
		)
		expect(await store.getRoom('r2')).toBeNull()
		expect(await store.countUpdates('r2')).toBe(0)
		await store.updateRoom('r1', { closedAt: 5 })
		expect(await store.findOpenRoomByJoinCode('ABCDEF')).toBeNull()
		expect((await store.findClosedRoomByJoinCode('ABCDEF'))?.roomId).toBe('r1')
		await store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r2')
		await store.updateRoom('r2', { closedAt: 9 })
		expect((await store.findClosedRoomByJoinCode('ABCDEF'))?.roomId).toBe('r2')
		expect(await store.findClosedRoomByJoinCode('ZZZZZZ')).toBeNull()
	})

	it('keeps every field of a room record, and changes only what a patch names', async () => {
		const { store } = t
		const room = { ...testRoom('r1', 'ABCDEF'), templateId: 'activiteitenmatrix', columns: 3, anonymous: false }
		await store.createRoom(room, new Uint8Array([0, 0]))
		await store.updateRoom('r1', { title: 'Werkplaats' })
		await store.updateRoom('r1', {})
		expect(await store.getRoom('r1')).toEqual({ ...room, title: 'Werkplaats' })
		expect(await store.getRoom('missing')).toBeNull()
		expect(await store.findOpenRoomByJoinCode('GHJKLM')).toBeNull()
	})

	it("keeps a room's passphrase hash and join-code expiry, sets and clears them by patch", async () => {
		const { store } = t
		const room = {
			...testRoom('r1', 'ABCDEF'),
			passphraseHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA',
			joinCodeExpiresAt: 1_800_000_000_000,
		}
		await store.createRoom(room, new Uint8Array([0, 0]))
		expect(await store.getRoom('r1')).toEqual(room)
		await store.updateRoom('r1', { passphraseHash: null })
		expect(await store.getRoom('r1')).toEqual({ ...room, passphraseHash: null })
		await store.updateRoom('r1', { joinCodeExpiresAt: null, passphraseHash: 'scrypt$x' })
		expect(await store.getRoom('r1')).toEqual({ ...room, passphraseHash: 'scrypt$x', joinCodeExpiresAt: null })
		await store.updateRoom('r1', { joinCodeExpiresAt: 2_000_000_000_000 })
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.joinCodeExpiresAt).toBe(2_000_000_000_000)
	})

	it('reopens a room under a new join code when its old one was taken meanwhile', async () => {
		const { store } = t
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		await store.updateRoom('r1', { closedAt: 100 })
		await store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))
		await expect(store.updateRoom('r1', { closedAt: null })).rejects.toBeInstanceOf(JoinCodeTakenError)
		await store.updateRoom('r1', { closedAt: null, joinCode: 'GHJKLM' })
		expect((await store.findOpenRoomByJoinCode('GHJKLM'))?.roomId).toBe('r1')
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r2')
	})

	it('keeps updates byte for byte, in commit order, across a reopen; an unknown room has none', async () => {
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		await t.store.createRoom(testRoom('r2', 'GHJKLM'), new Uint8Array([9]))
		const big = new Uint8Array(1 << 20).map((_, i) => i % 251)
		await t.store.appendUpdates([
			{ roomId: 'r1', update: new Uint8Array([1]) },
			{ roomId: 'r2', update: new Uint8Array([7, 7]) },
			{ roomId: 'r1', update: big },
		])
		await t.store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([0, 255, 0]) }])
		const store = await t.reopen()
		const loaded = await store.loadUpdates('r1')
		expect(loaded.updates.map((u) => Array.from(u.subarray(0, 4)))).toEqual([[0, 0], [1], [0, 1, 2, 3], [0, 255, 0]])
		expect(Buffer.from(loaded.updates[2]).equals(Buffer.from(big))).toBe(true)
		expect(loaded.lastSeq).toBeGreaterThan(0)
		expect((await store.loadUpdates('r2')).updates).toEqual([new Uint8Array([9]), new Uint8Array([7, 7])])
		expect(await store.loadUpdates('nothing')).toEqual({ updates: [], lastSeq: 0 })
		expect(await store.countUpdates('r1')).toBe(4)
		expect(await store.countUpdates('nothing')).toBe(0)
	})

	it('group-committed doc updates survive a reopen and compact into one snapshot', async () => {
		const doc = new Y.Doc()
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), Y.encodeStateAsUpdate(doc))
		const committer = new GroupCommitter(t.store)
		const commits: Promise<void>[] = []
		doc.on('update', (u: Uint8Array) => commits.push(committer.commit('r1', u)))
		for (let i = 0; i < 300; i++) doc.getMap('tldraw').set(`shape:${i % 10}`, { x: i })
		await Promise.all(commits)
		expect(await t.store.countUpdates('r1')).toBe(301)

		const store = await t.reopen()
		const loaded = docOf((await store.loadUpdates('r1')).updates)
		expect(loaded.getMap('tldraw').get('shape:9')).toEqual({ x: 299 })
		await store.compact('r1', Y.encodeStateAsUpdate(loaded), Number.MAX_SAFE_INTEGER)
		expect(await store.countUpdates('r1')).toBe(1)
		expect(
			docOf((await store.loadUpdates('r1')).updates)
				.getMap('tldraw')
				.toJSON()
		).toEqual(loaded.getMap('tldraw').toJSON())
	})

	it('compacts up to a sequence number only: updates appended after it stay', async () => {
		const doc = new Y.Doc()
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), Y.encodeStateAsUpdate(doc))
		const records = doc.getMap('tldraw')
		const log: Uint8Array[] = []
		doc.on('update', (u: Uint8Array) => log.push(u))
		records.set('shape:a', 1)
		await t.store.appendUpdates([{ roomId: 'r1', update: log[0] }])
		const { lastSeq } = await t.store.loadUpdates('r1')
		const snapshot = Y.encodeStateAsUpdate(doc)
		records.set('shape:b', 2)
		await t.store.appendUpdates([{ roomId: 'r1', update: log[1] }])
		await t.store.compact('r1', snapshot, lastSeq)
		expect(await t.store.countUpdates('r1')).toBe(2)
		const loaded = await t.store.loadUpdates('r1')
		expect(docOf(loaded.updates).getMap('tldraw').toJSON()).toEqual({ 'shape:a': 1, 'shape:b': 2 })
	})

	it('acknowledged updates are in loadUpdates at once; a compaction next to commits in flight loses none', async () => {
		const doc = new Y.Doc()
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), Y.encodeStateAsUpdate(doc))
		const committer = new GroupCommitter(t.store)
		const commits: Promise<void>[] = []
		doc.on('update', (u: Uint8Array) => commits.push(committer.commit('r1', u)))
		const records = doc.getMap('tldraw')
		for (let i = 0; i < 100; i++) records.set(`shape:${i}`, { x: i })
		await Promise.all(commits)
		expect((await t.store.loadUpdates('r1')).updates).toHaveLength(101)
		// Changes handed to the backend (and some still queued) while the room is compacted.
		for (let i = 0; i < 50; i++) records.set(`shape:${i}`, { x: -i })
		await new Promise<void>((resolve) => setImmediate(resolve))
		for (let i = 50; i < 100; i++) records.set(`shape:${i}`, { x: -i })
		await t.store.compact('r1', Y.encodeStateAsUpdate(doc), Number.MAX_SAFE_INTEGER)
		await Promise.all(commits)
		expect(
			docOf((await t.store.loadUpdates('r1')).updates)
				.getMap('tldraw')
				.toJSON()
		).toEqual(records.toJSON())
	})

	it('close waits for the updates being committed', async () => {
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		let committed = 0
		const commits = Array.from({ length: 30 }, () =>
			t.store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([1, 2, 3]) }]).then(() => committed++)
		)
		const store = await t.reopen()
		expect(committed).toBe(30)
		await Promise.all(commits)
		expect(await store.countUpdates('r1')).toBe(31)
	})
}
