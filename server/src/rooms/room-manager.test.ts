import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { GroupCommitter } from '../store/group-commit'
import { SqliteRoomStore } from '../store/sqlite-room-store'
import { COMPACT_AFTER_UPDATES, RoomManager } from './room-manager'

const log = pino({ level: 'silent' })

describe('RoomManager', () => {
	let dir: string
	let store: SqliteRoomStore
	let committer: GroupCommitter
	beforeEach(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-rooms-'))
		store = new SqliteRoomStore(dir)
		committer = new GroupCommitter(store)
		const doc = new Y.Doc()
		doc.getMap('tldraw').set('document:document', { id: 'document:document' })
		await store.createRoom(
			{
				roomId: 'room-1',
				title: 't',
				templateId: 'blanco',
				columns: null,
				joinCode: 'ABCDEF',
				facilitatorKeyHash: '00',
				anonymous: true,
				createdAt: 0,
				closedAt: null,
				passphraseHash: null,
				joinCodeExpiresAt: null,
			},
			Y.encodeStateAsUpdate(doc)
		)
	})
	afterEach(async () => {
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('loads a room once when two connections race, and answers null for unknown rooms', async () => {
		let loads = 0
		const inner = store.loadUpdates.bind(store)
		store.loadUpdates = async (id) => {
			loads++
			await new Promise((r) => setTimeout(r, 20))
			return inner(id)
		}
		const rooms = new RoomManager(store, committer, log, 1000)
		const [a, b] = await Promise.all([rooms.acquire('room-1'), rooms.acquire('room-1')])
		expect(loads).toBe(1)
		expect(a).toBe(b)
		expect(a?.doc.getMap('tldraw').get('document:document')).toEqual({ id: 'document:document' })
		expect(await rooms.acquire('nope')).toBeNull()
		await rooms.closeAll()
	})

	it('unloads an idle room after compacting it, and loads it again with the same content', async () => {
		const rooms = new RoomManager(store, committer, log, 10)
		const room = await rooms.acquire('room-1')
		if (!room) throw new Error('room missing')
		for (let i = 0; i < COMPACT_AFTER_UPDATES + 50; i++) {
			await room.change((doc) => doc.getMap('tldraw').set('shape:a', { x: i }))
		}
		expect(await store.countUpdates('room-1')).toBe(COMPACT_AFTER_UPDATES + 51)
		rooms.release(room)
		await new Promise<void>((resolve) => {
			const check = () => (rooms.loadedCount === 0 ? resolve() : setTimeout(check, 5))
			check()
		})
		await new Promise((r) => setTimeout(r, 20))
		expect(await store.countUpdates('room-1')).toBe(1)
		const again = await rooms.acquire('room-1')
		expect(again).not.toBe(room)
		expect(again?.doc.getMap('tldraw').get('shape:a')).toEqual({ x: COMPACT_AFTER_UPDATES + 49 })
		await rooms.closeAll()
	})

	it('change() resolves only after the update is in the store', async () => {
		const rooms = new RoomManager(store, committer, log, 1000)
		const room = await rooms.acquire('room-1')
		if (!room) throw new Error('room missing')
		const before = await store.countUpdates('room-1')
		await room.change((doc) => doc.getMap('tldraw').set('shape:b', { x: 1 }))
		expect(await store.countUpdates('room-1')).toBe(before + 1)
		await rooms.closeAll()
	})
})
