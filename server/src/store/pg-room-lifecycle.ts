import type pg from 'pg'
import { inTransaction } from './pg-pool'
import type { RoomLifecycleStore, RoomSummary } from './room-lifecycle'

interface SummaryRow {
	room_id: string
	title: string
	template_id: string
	created_at: string | number
	closed_at: string | number | null
	last_activity_at: string | number | null
	participants: string | number
	bytes: string | number
}

/**
 * The {@link RoomLifecycleStore} on PostgreSQL. A deleted room's rows leave the tables in one transaction;
 * PostgreSQL's (auto)vacuum then reclaims their space in the table files.
 */
export class PgRoomLifecycle implements RoomLifecycleStore {
	constructor(private readonly pool: pg.Pool) {}

	async deleteRoom(roomId: string): Promise<boolean> {
		return inTransaction(this.pool, async (client) => {
			const { rows } = await client.query<{ table_name: string }>(
				`SELECT DISTINCT table_name FROM information_schema.columns
				 WHERE column_name = 'room_id' AND table_schema = current_schema()`
			)
			let removed = false
			for (const { table_name } of rows) {
				const result = await client.query(`DELETE FROM "${table_name.replaceAll('"', '""')}" WHERE room_id = $1`, [
					roomId,
				])
				if (table_name === 'rooms') removed = (result.rowCount ?? 0) > 0
			}
			return removed
		})
	}

	async touchRoom(roomId: string, at: number): Promise<void> {
		await this.pool.query(
			'UPDATE rooms SET last_activity_at = $2 WHERE room_id = $1 AND (last_activity_at IS NULL OR last_activity_at < $2)',
			[roomId, at]
		)
	}

	async listExpiredRooms(cutoff: number): Promise<string[]> {
		const { rows } = await this.pool.query<{ room_id: string }>(
			`SELECT room_id FROM rooms
			 WHERE (closed_at IS NOT NULL AND closed_at < $1) OR COALESCE(last_activity_at, created_at) < $1
			 ORDER BY COALESCE(last_activity_at, created_at)`,
			[cutoff]
		)
		return rows.map((r) => r.room_id)
	}

	async listRoomSummaries(): Promise<RoomSummary[]> {
		const { rows } = await this.pool.query<SummaryRow>(
			`SELECT r.room_id, r.title, r.template_id, r.created_at, r.closed_at, r.last_activity_at,
				(SELECT COUNT(*) FROM (
					SELECT participant_id FROM notes WHERE room_id = r.room_id
					UNION SELECT participant_id FROM vote_allocations WHERE room_id = r.room_id) p) AS participants,
				COALESCE((SELECT SUM(octet_length(data)) FROM room_updates WHERE room_id = r.room_id), 0)
				+ COALESCE((SELECT SUM(octet_length(text)) FROM notes WHERE room_id = r.room_id), 0)
				+ COALESCE((SELECT SUM(octet_length(records::text)) FROM hidden_notes WHERE room_id = r.room_id), 0) AS bytes
			 FROM rooms r
			 ORDER BY COALESCE(r.last_activity_at, r.created_at) DESC`
		)
		return rows.map((r) => ({
			roomId: r.room_id,
			title: r.title,
			templateId: r.template_id,
			createdAt: Number(r.created_at),
			closedAt: r.closed_at === null ? null : Number(r.closed_at),
			lastActivityAt: Math.max(Number(r.last_activity_at ?? 0), Number(r.created_at)),
			participants: Number(r.participants),
			bytes: Number(r.bytes),
		}))
	}

	async setFacilitatorKeyHash(roomId: string, facilitatorKeyHash: string): Promise<void> {
		await this.pool.query('UPDATE rooms SET facilitator_key_hash = $2 WHERE room_id = $1', [roomId, facilitatorKeyHash])
	}
}
