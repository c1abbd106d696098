import { afterEach, beforeEach, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { RetiredClientStore, RoomRecordStore } from '../room-records'
import { testRoom } from '../test-fixtures'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/**
 * The contract of {@link RetiredClientStore} (the client ids {@link RoomRecordStore.replaceDoc} retires) that
 * every backend passes; call inside a `describe` with a factory of the backend.
 */
export function retiredClientsContract(factory: StoreFactory<RoomRecordStore & RetiredClientStore>): void {
	let t: StoreUnderTest<RoomRecordStore & RetiredClientStore>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('replaces a doc by its snapshot and keeps the old client ids, once each, per room', async () => {
		const doc = new Y.Doc()
		doc.getMap('tldraw').set('shape:a', { x: 1 })
		await t.store.createRoom(testRoom('r1', 'ABCDEF'), Y.encodeStateAsUpdate(doc))
		await t.store.createRoom(testRoom('r2', 'GHJKLM'), new Uint8Array([0, 0]))
		await t.store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([0, 0]) }])
		expect(await t.store.listRetiredClients('r1')).toEqual([])

		const rebuilt = new Y.Doc()
		rebuilt.getMap('tldraw').set('shape:a', { x: 1 })
		await t.store.replaceDoc('r1', Y.encodeStateAsUpdate(rebuilt), [doc.clientID, 42])
		await t.store.replaceDoc('r1', Y.encodeStateAsUpdate(rebuilt), [42, 4_294_967_295])
		const store = await t.reopen()
		expect((await store.listRetiredClients('r1')).sort((a, b) => a - b)).toEqual(
			[42, doc.clientID, 4_294_967_295].sort((a, b) => a - b)
		)
		expect(await store.listRetiredClients('r2')).toEqual([])
		const { updates } = await store.loadUpdates('r1')
		expect(updates).toHaveLength(1)
		expect(Buffer.from(updates[0]).equals(Buffer.from(Y.encodeStateAsUpdate(rebuilt)))).toBe(true)
		expect(await store.countUpdates('r2')).toBe(1)
	})
}
