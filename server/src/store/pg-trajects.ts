import type pg from 'pg'
import type { BoardSnapshot, CarriedNote, TrajectRecord, TrajectStore } from './trajects'

/**
 * {@link TrajectStore} on PostgreSQL (tables `trajects`, `traject_rooms`, `carried_notes`, `board_snapshots`, see
 * pg-migrations.ts). Each write is one statement (carried notes: one multi-row insert), committed when it resolves.
 */
export class PgTrajects implements TrajectStore {
	constructor(private readonly pool: pg.Pool) {}

	async createTraject(traject: TrajectRecord): Promise<void> {
		await this.pool.query('INSERT INTO trajects (traject_id, title, key_hash, created_at) VALUES ($1, $2, $3, $4)', [
			traject.trajectId,
			traject.title,
			traject.keyHash,
			traject.createdAt,
		])
	}

	async getTraject(trajectId: string): Promise<TrajectRecord | null> {
		const { rows } = await this.pool.query<{ title: string; key_hash: string; created_at: string }>(
			'SELECT title, key_hash, created_at FROM trajects WHERE traject_id = $1',
			[trajectId]
		)
		const row = rows[0]
		return row ? { trajectId, title: row.title, keyHash: row.key_hash, createdAt: Number(row.created_at) } : null
	}

	async addTrajectRoom(trajectId: string, roomId: string, addedAt: number): Promise<void> {
		await this.pool.query(
			'INSERT INTO traject_rooms (traject_id, room_id, added_at) VALUES ($1, $2, $3) ON CONFLICT (room_id) DO NOTHING',
			[trajectId, roomId, addedAt]
		)
	}

	async listTrajectRooms(trajectId: string): Promise<string[]> {
		const { rows } = await this.pool.query<{ room_id: string }>(
			'SELECT room_id FROM traject_rooms WHERE traject_id = $1 ORDER BY added_at, position',
			[trajectId]
		)
		return rows.map((row) => row.room_id)
	}

	async trajectOfRoom(roomId: string): Promise<string | null> {
		const { rows } = await this.pool.query<{ traject_id: string }>(
			'SELECT traject_id FROM traject_rooms WHERE room_id = $1',
			[roomId]
		)
		return rows[0]?.traject_id ?? null
	}

	async recordCarriedNotes(notes: readonly CarriedNote[]): Promise<void> {
		if (notes.length === 0) return
		const values: unknown[] = []
		const tuples = notes.map((note, i) => {
			values.push(note.targetRoomId, note.sourceRoomId, note.sourceNoteId, note.targetNoteId, note.carriedAt)
			const b = i * 5
			return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`
		})
		await this.pool.query(
			`INSERT INTO carried_notes (target_room_id, source_room_id, source_note_id, target_note_id, carried_at)
			 VALUES ${tuples.join(', ')} ON CONFLICT (target_room_id, source_room_id, source_note_id) DO NOTHING`,
			values
		)
	}

	async listCarriedNotes(targetRoomId: string): Promise<CarriedNote[]> {
		const { rows } = await this.pool.query<{
			source_room_id: string
			source_note_id: string
			target_note_id: string
			carried_at: string
		}>(
			`SELECT source_room_id, source_note_id, target_note_id, carried_at FROM carried_notes
			 WHERE target_room_id = $1 ORDER BY carried_at, position`,
			[targetRoomId]
		)
		return rows.map((row) => ({
			targetRoomId,
			sourceRoomId: row.source_room_id,
			sourceNoteId: row.source_note_id,
			targetNoteId: row.target_note_id,
			carriedAt: Number(row.carried_at),
		}))
	}

	async saveBoardSnapshot(snapshot: BoardSnapshot): Promise<void> {
		await this.pool.query(
			`INSERT INTO board_snapshots (room_id, png, updated_at) VALUES ($1, $2, $3)
			 ON CONFLICT (room_id) DO UPDATE SET png = EXCLUDED.png, updated_at = EXCLUDED.updated_at`,
			[snapshot.roomId, Buffer.from(snapshot.png), snapshot.updatedAt]
		)
	}

	async getBoardSnapshot(roomId: string): Promise<BoardSnapshot | null> {
		const { rows } = await this.pool.query<{ png: Buffer; updated_at: string }>(
			'SELECT png, updated_at FROM board_snapshots WHERE room_id = $1',
			[roomId]
		)
		const row = rows[0]
		return row ? { roomId, png: new Uint8Array(row.png), updatedAt: Number(row.updated_at) } : null
	}
}
