import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { GroupCommitter } from '../store/group-commit'
import { SqliteRoomStore } from '../store/sqlite-room-store'
import { testRoom } from '../store/test-fixtures'
import type { Room, RoomPeer } from './room'
import { DECODE_ON_DEMAND_BYTES } from './room'
import { COMPACT_AFTER_UPDATES, DECODE_AT_LATEST_MS, RoomManager } from './room-manager'

const log = pino({ level: 'silent' })
const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc())

/** A doc of `notes` records, each set `moves + 1` times (tombstones), encoded as one snapshot. */
function boardSnapshot(notes: number, moves = 0): Uint8Array {
	const doc = new Y.Doc()
	const records = doc.getMap('tldraw')
	for (let rev = 0; rev <= moves; rev++) {
		doc.transact(() => {
			for (let i = 0; i < notes; i++) records.set(`shape:n${i}`, { id: `shape:n${i}`, x: i, rev, text: `note ${i}` })
		})
	}
	return Y.encodeStateAsUpdate(doc)
}

/** Notes enough for a board above {@link DECODE_ON_DEMAND_BYTES}: such a room decodes ahead of need. */
const BIG_BOARD_NOTES = 400

/** A doc holding exactly `update`. */
function docOf(...updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc()
	for (const update of updates) Y.applyUpdate(doc, update)
	return doc
}

/** Resolves once the room's doc holds its stored state. */
function decoded(room: Room): Promise<void> {
	return new Promise((resolve) => room.whenDecoded(resolve))
}

/** A peer that records how the room closed it. */
function fakePeer(): RoomPeer & { closedWith: number | null } {
	const peer = {
		role: 'participant' as const,
		awarenessClientIds: new Set<number>(),
		closedWith: null as number | null,
		send() {},
		close(code: number) {
			peer.closedWith = code
		},
	}
	return peer
}

describe('loading a room', () => {
	let dir: string
	let store: SqliteRoomStore
	let rooms: RoomManager
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-room-load-'))
		store = new SqliteRoomStore(dir)
		rooms = new RoomManager(store, new GroupCommitter(store), log, 60_000)
	})
	afterEach(async () => {
		await rooms.closeAll()
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('answers a fresh peer of a compacted room with the stored bytes, then decodes them; a late joiner gets the same state', async () => {
		const snapshot = boardSnapshot(BIG_BOARD_NOTES, 3)
		expect(snapshot.byteLength).toBeGreaterThan(DECODE_ON_DEMAND_BYTES)
		await store.createRoom(testRoom('r1', 'AAAAAA'), snapshot)
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		expect(room.decoded).toBe(false)
		const first = room.syncUpdateFor(EMPTY_STATE_VECTOR)
		expect(first).toEqual(snapshot)
		// Answering did not decode: that happens after the current I/O callbacks.
		expect(room.decoded).toBe(false)
		await decoded(room)
		const fresh = docOf(first)
		expect(fresh.getMap('tldraw').toJSON()).toEqual(room.doc.getMap('tldraw').toJSON())
		expect(fresh.getMap('tldraw').size).toBe(BIG_BOARD_NOTES)
		// Once decoded, peers are answered from the doc; the state is the same, tombstones included.
		const late = room.syncUpdateFor(EMPTY_STATE_VECTOR)
		expect(Y.encodeStateVector(docOf(late))).toEqual(Y.encodeStateVector(fresh))
		expect(docOf(late).getMap('tldraw').toJSON()).toEqual(fresh.getMap('tldraw').toJSON())
		rooms.release(room)
	})

	it('answers a peer that holds part of the room with only what it lacks', async () => {
		const base = new Y.Doc()
		base.getMap('tldraw').set('shape:old', { x: 1 })
		await store.createRoom(testRoom('r1', 'AAAAAA'), Y.encodeStateAsUpdate(base))
		const peerDoc = docOf(Y.encodeStateAsUpdate(base))
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		await room.change((doc) => doc.getMap('tldraw').set('shape:new', { x: 2 }))
		const answer = room.syncUpdateFor(Y.encodeStateVector(peerDoc))
		Y.applyUpdate(peerDoc, answer)
		expect(peerDoc.getMap('tldraw').toJSON()).toEqual({ 'shape:old': { x: 1 }, 'shape:new': { x: 2 } })
		// Not the whole room again: the answer lacks the part the peer had.
		expect(docOf(answer).getMap('tldraw').has('shape:old')).toBe(false)
		rooms.release(room)
	})

	it('a peer holding part of a room that is still to decode makes it decode at once', async () => {
		const snapshot = boardSnapshot(10)
		await store.createRoom(testRoom('r1', 'AAAAAA'), snapshot)
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		const peerDoc = docOf(snapshot)
		peerDoc.getMap('tldraw').set('shape:offline', { x: 9 })
		const answer = room.syncUpdateFor(Y.encodeStateVector(peerDoc))
		expect(room.decoded).toBe(true)
		// The peer already had everything the room has.
		expect(docOf(answer).getMap('tldraw').size).toBe(0)
		rooms.release(room)
	})

	it('decodes by itself when no one asks, and REST-style use sees the whole board at once', async () => {
		await store.createRoom(testRoom('r1', 'AAAAAA'), boardSnapshot(BIG_BOARD_NOTES))
		const started = performance.now()
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		await decoded(room)
		expect(performance.now() - started).toBeGreaterThanOrEqual(DECODE_AT_LATEST_MS - 20)
		rooms.release(room)
		await store.createRoom(testRoom('r2', 'BBBBBB'), boardSnapshot(5))
		const size = await rooms.use('r2', (r) => r.doc.getMap('tldraw').size)
		expect(size).toBe(5)
	})

	it('a small room is not decoded while peers join and look: they get its stored state, and so does its first change', async () => {
		const snapshot = boardSnapshot(50)
		expect(snapshot.byteLength).toBeLessThanOrEqual(DECODE_ON_DEMAND_BYTES)
		await store.createRoom(testRoom('r1', 'AAAAAA'), snapshot)
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		const peer = fakePeer()
		room.peers.add(peer)
		// A fresh peer's sync: the stored bytes, framed once (the frame holds the stored update, not a copy of it).
		expect(room.syncUpdateFor(EMPTY_STATE_VECTOR)).toEqual(snapshot)
		const frame = room.freshSyncFrame()
		expect(frame.subarray(frame.byteLength - snapshot.byteLength)).toEqual(Buffer.from(snapshot))
		expect(room.freshSyncFrame()).toBe(frame)
		// The server's sync step 1 carries the state vector the decoded doc would have.
		let stateVector: Uint8Array | null = null
		room.withStateVector((sv) => {
			stateVector = sv
		})
		expect(stateVector).toEqual(Y.encodeStateVector(docOf(snapshot)))
		// The peer's answer to it (its doc holds nothing) changes nothing.
		room.applyPeerUpdate(Y.encodeStateAsUpdate(new Y.Doc()), peer)
		expect(peer.closedWith).toBeNull()
		// Nothing asked for the doc: what decodes a bigger room by itself (the room manager's timer calls this) does not.
		room.decodeSoon()
		await new Promise(setImmediate)
		expect(room.decoded).toBe(false)
		// The first change decodes it and is made on the whole board.
		await room.change((doc) => doc.getMap('tldraw').set('shape:n1', { moved: true }))
		expect(room.decoded).toBe(true)
		expect(room.doc.getMap('tldraw').size).toBe(50)
		// (What it commits: the next test.) Fresh peers now get the changed board.
		expect(room.freshSyncFrame()).not.toBe(frame)
		expect(docOf(room.syncUpdateFor(EMPTY_STATE_VECTOR)).getMap('tldraw').get('shape:n1')).toEqual({ moved: true })
		rooms.release(room)
	})

	it('handles changes made before the doc decoded on top of the stored state, and commits only them', async () => {
		const snapshot = boardSnapshot(50)
		await store.createRoom(testRoom('r1', 'AAAAAA'), snapshot)
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		expect(room.decoded).toBe(false)
		await room.change((doc) => doc.getMap('tldraw').set('shape:n0', { moved: true }))
		expect(room.doc.getMap('tldraw').size).toBe(50)
		const { updates } = await store.loadUpdates('r1')
		expect(updates).toHaveLength(2)
		// The second stored update is the change alone, not the loaded board once more.
		expect(updates[1].length).toBeLessThan(100)
		expect(
			docOf(...updates)
				.getMap('tldraw')
				.get('shape:n0')
		).toEqual({ moved: true })
		rooms.release(room)
	})

	it('compacts a long history after the first answers, not before them', async () => {
		const doc = new Y.Doc()
		const updates: Uint8Array[] = []
		doc.on('update', (u: Uint8Array) => updates.push(u))
		for (let i = 0; i <= COMPACT_AFTER_UPDATES + 20; i++) doc.getMap('tldraw').set(`shape:n${i % 30}`, { i })
		await store.createRoom(testRoom('r1', 'AAAAAA'), updates[0])
		await store.appendUpdates(updates.slice(1).map((update) => ({ roomId: 'r1', update })))
		expect(await store.countUpdates('r1')).toBe(COMPACT_AFTER_UPDATES + 21)
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		// The room is usable before any compaction: the history is still stored as it was.
		const answer = room.syncUpdateFor(EMPTY_STATE_VECTOR)
		expect(await store.countUpdates('r1')).toBe(COMPACT_AFTER_UPDATES + 21)
		expect(docOf(answer).getMap('tldraw').toJSON()).toEqual(doc.getMap('tldraw').toJSON())
		await waitUntil(async () => (await store.countUpdates('r1')) === 1)
		const { updates: stored } = await store.loadUpdates('r1')
		expect(
			docOf(...stored)
				.getMap('tldraw')
				.toJSON()
		).toEqual(doc.getMap('tldraw').toJSON())
		rooms.release(room)
	})

	it('a long history unloaded before it was compacted is compacted on unload', async () => {
		const doc = new Y.Doc()
		const updates: Uint8Array[] = []
		doc.on('update', (u: Uint8Array) => updates.push(u))
		for (let i = 0; i <= COMPACT_AFTER_UPDATES + 5; i++) doc.getMap('tldraw').set('shape:a', { i })
		await store.createRoom(testRoom('r1', 'AAAAAA'), updates[0])
		await store.appendUpdates(updates.slice(1).map((update) => ({ roomId: 'r1', update })))
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		rooms.release(room)
		await rooms.closeAll()
		expect(await store.countUpdates('r1')).toBe(1)
		const { updates: stored } = await store.loadUpdates('r1')
		expect(
			docOf(...stored)
				.getMap('tldraw')
				.get('shape:a')
		).toEqual({ i: COMPACT_AFTER_UPDATES + 5 })
	})

	it("a stored state that does not decode closes the room's connections, and the next use loads it again", async () => {
		const snapshot = boardSnapshot(20)
		await store.createRoom(testRoom('r1', 'AAAAAA'), snapshot.slice(0, snapshot.length >> 1))
		const room = await rooms.acquire('r1')
		if (!room) throw new Error('room missing')
		const peer = fakePeer()
		room.peers.add(peer)
		// A small room: the server's sync step 1 is read from the stored update, which does not read either.
		let answered = false
		room.withStateVector(() => {
			answered = true
		})
		expect(answered).toBe(false)
		expect(() => room.doc).toThrow()
		expect(peer.closedWith).toBe(1011)
		expect(room.failed).toBe(true)
		expect(rooms.peek('r1')).toBeUndefined()
		rooms.release(room)
		const again = await rooms.acquire('r1')
		expect(again).not.toBeNull()
		expect(again).not.toBe(room)
		if (again) rooms.release(again)
	})
})

/** Polls an async condition (the compaction runs on its own after the first sync; it has no event). */
async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error('condition not met in time')
		await new Promise((r) => setTimeout(r, 10))
	}
}
