import type Database from 'better-sqlite3'
import type { RetiredClientStore } from './room-records'

/**
 * The {@link RetiredClientStore} on a better-sqlite3 database (table `retired_clients`); {@link retire} runs
 * inside the caller's transaction when there is one (the doc replacement's).
 */
export class SqliteRetiredClients implements RetiredClientStore {
	private readonly insert: Database.Statement<[string, number]>
	private readonly select: Database.Statement<[string], { client_id: number }>

	constructor(db: Database.Database) {
		this.insert = db.prepare('INSERT OR IGNORE INTO retired_clients (room_id, client_id) VALUES (?, ?)')
		this.select = db.prepare('SELECT client_id FROM retired_clients WHERE room_id = ?')
	}

	retire(roomId: string, clientIds: readonly number[]): void {
		for (const id of clientIds) this.insert.run(roomId, id)
	}

	async listRetiredClients(roomId: string): Promise<number[]> {
		return this.select.all(roomId).map((row) => row.client_id)
	}
}
