import { afterEach, beforeEach, expect, it } from 'vitest'
import type { NoteLedger } from '../note-ledger'
import type { RoomLifecycleStore } from '../room-lifecycle'
import type { RetiredClientStore, RoomRecordStore } from '../room-records'
import type { SessionTables } from '../session-tables'
import { testRoom } from '../test-fixtures'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/** What the lifecycle contract needs around it: rooms with content in every other store. */
export interface LifecycleStoreUnderTest
	extends RoomLifecycleStore,
		RoomRecordStore,
		RetiredClientStore,
		NoteLedger,
		SessionTables {
	close(): Promise<void>
}

/** The contract of {@link RoomLifecycleStore}; call inside a `describe` with a factory of the backend. */
export function roomLifecycleContract(factory: StoreFactory<LifecycleStoreUnderTest>): void {
	let t: StoreUnderTest<LifecycleStoreUnderTest>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	async function roomWithContent(roomId: string, joinCode: string, createdAt: number): Promise<void> {
		const { store } = t
		await store.createRoom({ ...testRoom(roomId, joinCode), createdAt }, new Uint8Array([0, 0]))
		await store.appendUpdates([{ roomId, update: new Uint8Array([0, 0]) }])
		await store.insertNote({
			roomId,
			noteId: `shape:${roomId}`,
			clientNoteId: `c-${roomId}`,
			participantId: `p-${roomId}`,
			zoneId: 'notities',
			text: 'Tekst',
			color: 'yellow',
			authorName: null,
			status: 'placed',
			createdAt,
			updatedAt: createdAt,
		})
		expect(await store.addVote(roomId, `v-${roomId}`, `shape:${roomId}`, 3)).toBe(true)
		await store.hideNote({ roomId, noteId: 'shape:hidden', records: [{ id: 'shape:hidden' }], hiddenAt: createdAt })
	}

	it('deletes a room with its updates, notes, votes and hidden notes, and only that room', async () => {
		const { store } = t
		await roomWithContent('gone', 'AAAAAA', 1000)
		await roomWithContent('kept', 'BBBBBB', 1000)
		expect(await store.deleteRoom('gone')).toBe(true)
		expect(await store.getRoom('gone')).toBeNull()
		expect((await store.loadUpdates('gone')).updates).toEqual([])
		expect(await store.getNote('gone', 'shape:gone')).toBeNull()
		expect(await store.countVotes('gone')).toEqual(new Map())
		expect(await store.listHiddenNotes('gone')).toEqual([])
		expect(await store.findOpenRoomByJoinCode('AAAAAA')).toBeNull()
		expect(await store.deleteRoom('gone')).toBe(false)
		expect((await store.getRoom('kept'))?.roomId).toBe('kept')
		expect((await store.loadUpdates('kept')).updates.length).toBe(2)
		expect(await store.getNote('kept', 'shape:kept')).not.toBeNull()
		expect((await store.listHiddenNotes('kept')).length).toBe(1)
		const reopened = await t.reopen()
		expect(await reopened.getRoom('gone')).toBeNull()
	})

	it('lists rooms closed or unused before a cutoff; activity never moves back', async () => {
		const { store } = t
		await store.createRoom({ ...testRoom('old', 'AAAAAA'), createdAt: 1000 }, new Uint8Array([0, 0]))
		await store.createRoom({ ...testRoom('used', 'BBBBBB'), createdAt: 1000 }, new Uint8Array([0, 0]))
		await store.createRoom({ ...testRoom('closed', 'CCCCCC'), createdAt: 5000 }, new Uint8Array([0, 0]))
		await store.createRoom({ ...testRoom('new', 'DDDDDD'), createdAt: 9000 }, new Uint8Array([0, 0]))
		await store.touchRoom('used', 8000)
		await store.touchRoom('used', 3000)
		await store.updateRoom('closed', { closedAt: 6000 })
		await store.touchRoom('closed', 9500)
		expect(await store.listExpiredRooms(7000)).toEqual(['old', 'closed'])
		expect(await store.listExpiredRooms(500)).toEqual([])
		expect(await store.listExpiredRooms(8500)).toEqual(['old', 'used', 'closed'])
		const summaries = await store.listRoomSummaries()
		expect(summaries.map((s) => [s.roomId, s.lastActivityAt])).toEqual([
			['closed', 9500],
			['new', 9000],
			['used', 8000],
			['old', 1000],
		])
	})

	it('summarises rooms: participants and stored bytes', async () => {
		const { store } = t
		await roomWithContent('r1', 'AAAAAA', 1000)
		const [summary] = await store.listRoomSummaries()
		expect(summary).toMatchObject({
			roomId: 'r1',
			title: 'Test',
			templateId: 'blanco',
			createdAt: 1000,
			closedAt: null,
		})
		// The note's author and the voter.
		expect(summary.participants).toBe(2)
		expect(summary.bytes).toBeGreaterThanOrEqual(4 + 'Tekst'.length)
	})

	it('replaces the facilitator key hash', async () => {
		const { store } = t
		await store.createRoom(testRoom('r1', 'AAAAAA'), new Uint8Array([0, 0]))
		await store.setFacilitatorKeyHash('r1', 'cd'.repeat(32))
		expect((await store.getRoom('r1'))?.facilitatorKeyHash).toBe('cd'.repeat(32))
	})
}
