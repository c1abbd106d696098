import { afterEach, beforeEach, expect, it } from 'vitest'
import type { TrajectStore } from '../trajects'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/**
 * The contract of {@link TrajectStore} (trajects, their boards, carried notes, board images) that every backend
 * passes; call inside a `describe` with a factory of the backend.
 */
export function trajectsContract(factory: StoreFactory<TrajectStore & { close(): Promise<void> }>): void {
	let t: StoreUnderTest<TrajectStore & { close(): Promise<void> }>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('creates a traject and lists its boards in the order they were added, each board in one traject', async () => {
		const traject = { trajectId: 't1', title: 'Gemeente Zuid', keyHash: 'ab'.repeat(32), createdAt: 1000 }
		await t.store.createTraject(traject)
		expect(await t.store.getTraject('t1')).toEqual(traject)
		expect(await t.store.getTraject('t2')).toBeNull()
		await t.store.addTrajectRoom('t1', 'r2', 20)
		await t.store.addTrajectRoom('t1', 'r1', 30)
		await t.store.addTrajectRoom('t1', 'r2', 40)
		await t.store.createTraject({ ...traject, trajectId: 't2' })
		await t.store.addTrajectRoom('t2', 'r1', 50)
		expect(await t.store.listTrajectRooms('t1')).toEqual(['r2', 'r1'])
		expect(await t.store.listTrajectRooms('t2')).toEqual([])
		expect(await t.store.trajectOfRoom('r1')).toBe('t1')
		expect(await t.store.trajectOfRoom('r9')).toBeNull()
		const store = await t.reopen()
		expect(await store.listTrajectRooms('t1')).toEqual(['r2', 'r1'])
	})

	it('records each carried note once per target board', async () => {
		const note = {
			targetRoomId: 'b',
			sourceRoomId: 'a',
			sourceNoteId: 'shape:1',
			targetNoteId: 'shape:x',
			carriedAt: 5,
		}
		await t.store.recordCarriedNotes([note, { ...note, sourceNoteId: 'shape:2', targetNoteId: 'shape:y' }])
		await t.store.recordCarriedNotes([{ ...note, targetNoteId: 'shape:z', carriedAt: 9 }])
		await t.store.recordCarriedNotes([{ ...note, targetRoomId: 'c' }])
		const store = await t.reopen()
		expect(await store.listCarriedNotes('b')).toEqual([
			note,
			{ ...note, sourceNoteId: 'shape:2', targetNoteId: 'shape:y' },
		])
		expect((await store.listCarriedNotes('c')).length).toBe(1)
		expect(await store.listCarriedNotes('d')).toEqual([])
	})

	it('keeps the last image of a board', async () => {
		await t.store.saveBoardSnapshot({ roomId: 'r1', png: new Uint8Array([1, 2, 3]), updatedAt: 1 })
		await t.store.saveBoardSnapshot({ roomId: 'r1', png: new Uint8Array([4, 5]), updatedAt: 2 })
		const store = await t.reopen()
		expect(await store.getBoardSnapshot('r1')).toEqual({ roomId: 'r1', png: new Uint8Array([4, 5]), updatedAt: 2 })
		expect(await store.getBoardSnapshot('r2')).toBeNull()
	})
}
