import type pg from 'pg'
import type { ScoreEntry, ScoreStore } from './scores'

interface ScoreRow {
	participant_id: string
	zone_id: string
	score: number
	updated_at: string
}

/** {@link ScoreStore} on PostgreSQL (table `scores`, see pg-migrations.ts). */
export class PgScores implements ScoreStore {
	constructor(private readonly pool: pg.Pool) {}

	async setScore(roomId: string, entry: ScoreEntry): Promise<void> {
		await this.pool.query(
			`INSERT INTO scores (room_id, participant_id, zone_id, score, updated_at) VALUES ($1, $2, $3, $4, $5)
			 ON CONFLICT (room_id, participant_id, zone_id) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at`,
			[roomId, entry.participantId, entry.zoneId, entry.score, entry.updatedAt]
		)
	}

	async listScores(roomId: string): Promise<ScoreEntry[]> {
		const { rows } = await this.pool.query<ScoreRow>(
			`SELECT participant_id, zone_id, score, updated_at FROM scores WHERE room_id = $1
			 ORDER BY zone_id COLLATE "C", participant_id COLLATE "C"`,
			[roomId]
		)
		return rows.map((row) => ({
			participantId: row.participant_id,
			zoneId: row.zone_id,
			score: row.score,
			updatedAt: Number(row.updated_at),
		}))
	}

	async clearScores(roomId: string): Promise<void> {
		await this.pool.query('DELETE FROM scores WHERE room_id = $1', [roomId])
	}
}
