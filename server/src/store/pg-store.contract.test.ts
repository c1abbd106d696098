import { describe, expect, it } from 'vitest'
import { noteLedgerContract } from './contract/note-ledger.contract'
import { retiredClientsContract } from './contract/retired-clients.contract'
import { roomLifecycleContract } from './contract/room-lifecycle.contract'
import { roomRecordsContract } from './contract/room-records.contract'
import { scoresContract } from './contract/scores.contract'
import { sessionTablesContract } from './contract/session-tables.contract'
import { trajectsContract } from './contract/trajects.contract'
import type { StoreUnderTest } from './contract/store-under-test'
import { PgRoomStore } from './pg-room-store'
import { createTestDatabase, postgresUnavailable } from './pg-test-database'
import { testRoom } from './test-fixtures'

/** A {@link PgRoomStore} on a database of its own, dropped by `destroy`. */
async function pgStore(): Promise<StoreUnderTest<PgRoomStore>> {
	const database = await createTestDatabase()
	const t: StoreUnderTest<PgRoomStore> = {
		store: await PgRoomStore.open(database.url, { maxConnections: 4 }),
		async reopen() {
			await t.store.close()
			t.store = await PgRoomStore.open(database.url, { maxConnections: 4 })
			return t.store
		},
		async destroy() {
			await t.store.close()
			await database.drop()
		},
	}
	return t
}

const missing = await postgresUnavailable()
const required = process.env.CI === 'true'
if (missing && !required) console.warn(`[kompasbord] PostgreSQL store contract tests skipped: ${missing}`)

describe.skipIf(missing !== null && !required)(`PostgreSQL backend${missing ? ` (${missing})` : ''}`, () => {
	if (missing) {
		it('PostgreSQL is reachable (required when CI=true)', () => {
			throw new Error(missing)
		})
		return
	}
	describe('room records', () => roomRecordsContract(pgStore))
	describe('retired clients', () => retiredClientsContract(pgStore))
	describe('note ledger', () => noteLedgerContract(pgStore))
	describe('session tables', () => sessionTablesContract(pgStore))
	it('drops appended updates of a room that no longer exists (deleted by another server), keeps the others', async () => {
		const t = await pgStore()
		try {
			await t.store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
			await t.store.createRoom(testRoom('gone', 'GHJKLM'), new Uint8Array([0, 0]))
			await t.store.deleteRoom('gone')
			const seqs = await t.store.records.appendUpdatesWithSeqs([
				{ roomId: 'gone', update: new Uint8Array([1]) },
				{ roomId: 'r1', update: new Uint8Array([2]) },
			])
			expect(seqs).toEqual([0, 2])
			expect(await t.store.countUpdates('gone')).toBe(0)
			expect((await t.store.records.lastSeqs(['gone', 'r1'])).get('gone')).toBeUndefined()
		} finally {
			await t.destroy()
		}
	})
	describe('room lifecycle', () => roomLifecycleContract(pgStore))
	describe('trajects', () => trajectsContract(pgStore))
	describe('scores', () => scoresContract(pgStore))
})
