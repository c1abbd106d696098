import type Database from 'better-sqlite3'
import type { RoomLifecycleStore, RoomSummary } from './room-lifecycle'

interface SummaryRow {
	room_id: string
	title: string
	template_id: string
	created_at: number
	closed_at: number | null
	last_activity_at: number | null
	participants: number
	bytes: number
}

/** How often a truncating WAL checkpoint is tried after a delete while another connection keeps it busy. */
const CHECKPOINT_ATTEMPTS = 20

/**
 * Copies the WAL into the database file and empties it, so the older copies of deleted pages are gone from the
 * WAL too (with `secure_delete`, the database file's copies are zeroed). Another connection's write in progress
 * makes it busy: it is tried again a few times.
 */
export function truncateWal(db: Database.Database): void {
	for (let attempt = 0; attempt < CHECKPOINT_ATTEMPTS; attempt++) {
		const [result] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[]
		if (result.busy === 0) return
	}
}

/**
 * The {@link RoomLifecycleStore} on the main better-sqlite3 connection. Every connection to the file runs with
 * `PRAGMA secure_delete = ON` (set by the store, the commit thread and the checkpoint thread), so a deleted
 * row's bytes are overwritten with zeros in the page that held it; after a delete a `wal_checkpoint(TRUNCATE)`
 * copies those pages into the database file and empties the WAL, which still held the older copies.
 */
export class SqliteRoomLifecycle implements RoomLifecycleStore {
	private readonly q

	constructor(private readonly db: Database.Database) {
		this.q = {
			touch: db.prepare(
				'UPDATE rooms SET last_activity_at = @at WHERE room_id = @roomId AND (last_activity_at IS NULL OR last_activity_at < @at)'
			),
			expired: db.prepare<{ cutoff: number }, { room_id: string }>(
				`SELECT room_id FROM rooms
				 WHERE (closed_at IS NOT NULL AND closed_at < @cutoff) OR COALESCE(last_activity_at, created_at) < @cutoff
				 ORDER BY COALESCE(last_activity_at, created_at)`
			),
			summaries: db.prepare<[], SummaryRow>(
				`SELECT r.room_id, r.title, r.template_id, r.created_at, r.closed_at, r.last_activity_at,
					(SELECT COUNT(*) FROM (
						SELECT participant_id FROM notes WHERE room_id = r.room_id
						UNION SELECT participant_id FROM vote_allocations WHERE room_id = r.room_id)) AS participants,
					COALESCE((SELECT SUM(LENGTH(data)) FROM room_updates WHERE room_id = r.room_id), 0)
					+ COALESCE((SELECT SUM(LENGTH(text)) FROM notes WHERE room_id = r.room_id), 0)
					+ COALESCE((SELECT SUM(LENGTH(records)) FROM hidden_notes WHERE room_id = r.room_id), 0) AS bytes
				 FROM rooms r
				 ORDER BY COALESCE(r.last_activity_at, r.created_at) DESC`
			),
			setKey: db.prepare('UPDATE rooms SET facilitator_key_hash = ? WHERE room_id = ?'),
		}
	}

	/** Every table with a `room_id` column: the room's rows in each are deleted with it. */
	private roomTables(): string[] {
		const tables = this.db
			.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
			.all()
			.map((t) => t.name)
		return tables.filter((name) =>
			(this.db.pragma(`table_info("${name.replaceAll('"', '""')}")`) as { name: string }[]).some(
				(c) => c.name === 'room_id'
			)
		)
	}

	async deleteRoom(roomId: string): Promise<boolean> {
		const tables = this.roomTables()
		const removed = this.db
			.transaction(() => {
				let roomRows = 0
				for (const table of tables) {
					const { changes } = this.db
						.prepare(`DELETE FROM "${table.replaceAll('"', '""')}" WHERE room_id = ?`)
						.run(roomId)
					if (table === 'rooms') roomRows = changes
				}
				return roomRows > 0
			})
			.immediate()
		truncateWal(this.db)
		return removed
	}

	async touchRoom(roomId: string, at: number): Promise<void> {
		this.q.touch.run({ roomId, at })
	}

	async listExpiredRooms(cutoff: number): Promise<string[]> {
		return this.q.expired.all({ cutoff }).map((r) => r.room_id)
	}

	async listRoomSummaries(): Promise<RoomSummary[]> {
		return this.q.summaries.all().map((r) => ({
			roomId: r.room_id,
			title: r.title,
			templateId: r.template_id,
			createdAt: r.created_at,
			closedAt: r.closed_at,
			lastActivityAt: Math.max(r.last_activity_at ?? 0, r.created_at),
			participants: r.participants,
			bytes: r.bytes,
		}))
	}

	async setFacilitatorKeyHash(roomId: string, facilitatorKeyHash: string): Promise<void> {
		this.q.setKey.run(facilitatorKeyHash, roomId)
	}
}
