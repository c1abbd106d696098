import type Database from 'better-sqlite3'
import type { ScoreEntry, ScoreStore } from './scores'

interface ScoreRow {
	participant_id: string
	zone_id: string
	score: number
	updated_at: number
}

/** {@link ScoreStore} on a better-sqlite3 database (table `scores`, see sqlite-migrations.ts). */
export class SqliteScores implements ScoreStore {
	private readonly q

	constructor(db: Database.Database) {
		this.q = {
			set: db.prepare(
				`INSERT INTO scores (room_id, participant_id, zone_id, score, updated_at)
				 VALUES (@roomId, @participantId, @zoneId, @score, @updatedAt)
				 ON CONFLICT (room_id, participant_id, zone_id) DO UPDATE SET score = excluded.score, updated_at = excluded.updated_at`
			),
			list: db.prepare<[string], ScoreRow>(
				'SELECT participant_id, zone_id, score, updated_at FROM scores WHERE room_id = ? ORDER BY zone_id, participant_id'
			),
			clear: db.prepare('DELETE FROM scores WHERE room_id = ?'),
		}
	}

	async setScore(roomId: string, entry: ScoreEntry): Promise<void> {
		this.q.set.run({ roomId, ...entry })
	}

	async listScores(roomId: string): Promise<ScoreEntry[]> {
		return this.q.list.all(roomId).map(fromRow)
	}

	async clearScores(roomId: string): Promise<void> {
		this.q.clear.run(roomId)
	}
}

function fromRow(row: ScoreRow): ScoreEntry {
	return { participantId: row.participant_id, zoneId: row.zone_id, score: row.score, updatedAt: row.updated_at }
}
