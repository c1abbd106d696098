import type Database from 'better-sqlite3'

/**
 * The Yjs client ids of a room's replaced docs (see server/src/rooms/doc-rebuild.ts): a peer whose state vector
 * names one of them holds a doc the server no longer has and must reload.
 */
export const RETIRED_CLIENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS retired_clients (
	room_id TEXT NOT NULL,
	client_id INTEGER NOT NULL,
	PRIMARY KEY (room_id, client_id)
) WITHOUT ROWID;
`

/** Reads and writes the `retired_clients` table; writes run inside the caller's transaction when there is one. */
export class SqliteRetiredClients {
	private readonly insert: Database.Statement<[string, number]>
	private readonly select: Database.Statement<[string], { client_id: number }>

	constructor(db: Database.Database) {
		this.insert = db.prepare('INSERT OR IGNORE INTO retired_clients (room_id, client_id) VALUES (?, ?)')
		this.select = db.prepare('SELECT client_id FROM retired_clients WHERE room_id = ?')
	}

	retire(roomId: string, clientIds: readonly number[]): void {
		for (const id of clientIds) this.insert.run(roomId, id)
	}

	list(roomId: string): number[] {
		return this.select.all(roomId).map((row) => row.client_id)
	}
}
