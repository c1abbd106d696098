import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe } from 'vitest'
import { noteLedgerContract } from './contract/note-ledger.contract'
import { retiredClientsContract } from './contract/retired-clients.contract'
import { roomLifecycleContract } from './contract/room-lifecycle.contract'
import { roomRecordsContract } from './contract/room-records.contract'
import { scoresContract } from './contract/scores.contract'
import { sessionTablesContract } from './contract/session-tables.contract'
import { trajectsContract } from './contract/trajects.contract'
import type { StoreUnderTest } from './contract/store-under-test'
import { SqliteRoomStore } from './sqlite-room-store'

/** A {@link SqliteRoomStore} on a file in a new temporary directory. */
async function sqliteStore(): Promise<StoreUnderTest<SqliteRoomStore>> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-store-contract-'))
	const t: StoreUnderTest<SqliteRoomStore> = {
		store: new SqliteRoomStore(dir),
		async reopen() {
			await t.store.close()
			t.store = new SqliteRoomStore(dir)
			return t.store
		},
		async destroy() {
			await t.store.close()
			fs.rmSync(dir, { recursive: true, force: true })
		},
	}
	return t
}

describe('SQLite backend', () => {
	describe('room records', () => roomRecordsContract(sqliteStore))
	describe('retired clients', () => retiredClientsContract(sqliteStore))
	describe('note ledger', () => noteLedgerContract(sqliteStore))
	describe('session tables', () => sessionTablesContract(sqliteStore))
	describe('room lifecycle', () => roomLifecycleContract(sqliteStore))
	describe('trajects', () => trajectsContract(sqliteStore))
	describe('scores', () => scoresContract(sqliteStore))
})
