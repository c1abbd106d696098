import type Database from 'better-sqlite3'
import type { BoardSnapshot, CarriedNote, TrajectRecord, TrajectStore } from './trajects'

interface TrajectRow {
	traject_id: string
	title: string
	key_hash: string
	created_at: number
}

interface CarriedRow {
	target_room_id: string
	source_room_id: string
	source_note_id: string
	target_note_id: string
	carried_at: number
}

/**
 * {@link TrajectStore} on a better-sqlite3 database (tables `trajects`, `traject_rooms`, `carried_notes` and
 * `board_snapshots`, see sqlite-migrations.ts). Statements run synchronously, so a write is durable when its
 * promise exists.
 */
export class SqliteTrajects implements TrajectStore {
	private readonly q
	private readonly recordTx: (notes: readonly CarriedNote[]) => void

	constructor(db: Database.Database) {
		this.q = {
			insertTraject: db.prepare(
				'INSERT INTO trajects (traject_id, title, key_hash, created_at) VALUES (@trajectId, @title, @keyHash, @createdAt)'
			),
			getTraject: db.prepare<[string], TrajectRow>('SELECT * FROM trajects WHERE traject_id = ?'),
			addRoom: db.prepare(
				'INSERT INTO traject_rooms (traject_id, room_id, added_at) VALUES (?, ?, ?) ON CONFLICT (room_id) DO NOTHING'
			),
			listRooms: db.prepare<[string], { room_id: string }>(
				'SELECT room_id FROM traject_rooms WHERE traject_id = ? ORDER BY added_at, rowid'
			),
			trajectOf: db.prepare<[string], { traject_id: string }>('SELECT traject_id FROM traject_rooms WHERE room_id = ?'),
			insertCarried: db.prepare(
				`INSERT INTO carried_notes (target_room_id, source_room_id, source_note_id, target_note_id, carried_at)
				 VALUES (@targetRoomId, @sourceRoomId, @sourceNoteId, @targetNoteId, @carriedAt)
				 ON CONFLICT (target_room_id, source_room_id, source_note_id) DO NOTHING`
			),
			listCarried: db.prepare<[string], CarriedRow>(
				'SELECT * FROM carried_notes WHERE target_room_id = ? ORDER BY carried_at, rowid'
			),
			saveSnapshot: db.prepare(
				`INSERT INTO board_snapshots (room_id, png, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (room_id) DO UPDATE SET png = excluded.png, updated_at = excluded.updated_at`
			),
			getSnapshot: db.prepare<[string], { room_id: string; png: Buffer; updated_at: number }>(
				'SELECT room_id, png, updated_at FROM board_snapshots WHERE room_id = ?'
			),
		}
		this.recordTx = db.transaction((notes: readonly CarriedNote[]) => {
			for (const note of notes) this.q.insertCarried.run(note)
		})
	}

	async createTraject(traject: TrajectRecord): Promise<void> {
		this.q.insertTraject.run(traject)
	}

	async getTraject(trajectId: string): Promise<TrajectRecord | null> {
		const row = this.q.getTraject.get(trajectId)
		return row
			? { trajectId: row.traject_id, title: row.title, keyHash: row.key_hash, createdAt: row.created_at }
			: null
	}

	async addTrajectRoom(trajectId: string, roomId: string, addedAt: number): Promise<void> {
		this.q.addRoom.run(trajectId, roomId, addedAt)
	}

	async listTrajectRooms(trajectId: string): Promise<string[]> {
		return this.q.listRooms.all(trajectId).map((row) => row.room_id)
	}

	async trajectOfRoom(roomId: string): Promise<string | null> {
		return this.q.trajectOf.get(roomId)?.traject_id ?? null
	}

	async recordCarriedNotes(notes: readonly CarriedNote[]): Promise<void> {
		if (notes.length) this.recordTx(notes)
	}

	async listCarriedNotes(targetRoomId: string): Promise<CarriedNote[]> {
		return this.q.listCarried.all(targetRoomId).map((row) => ({
			targetRoomId: row.target_room_id,
			sourceRoomId: row.source_room_id,
			sourceNoteId: row.source_note_id,
			targetNoteId: row.target_note_id,
			carriedAt: row.carried_at,
		}))
	}

	async saveBoardSnapshot(snapshot: BoardSnapshot): Promise<void> {
		this.q.saveSnapshot.run(snapshot.roomId, Buffer.from(snapshot.png), snapshot.updatedAt)
	}

	async getBoardSnapshot(roomId: string): Promise<BoardSnapshot | null> {
		const row = this.q.getSnapshot.get(roomId)
		return row ? { roomId: row.room_id, png: new Uint8Array(row.png), updatedAt: row.updated_at } : null
	}
}
