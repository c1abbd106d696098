import type Database from 'better-sqlite3'
import type { NoteEntry, NoteEntryPatch, NoteLedger, NoteStatus } from './note-ledger'
import { truncateWal } from './sqlite-room-lifecycle'

interface NoteRow {
	room_id: string
	note_id: string
	client_note_id: string
	participant_id: string
	zone_id: string
	text: string
	color: string
	author_name: string | null
	status: string
	created_at: number
	updated_at: number
}

function toEntry(row: NoteRow): NoteEntry {
	return {
		roomId: row.room_id,
		noteId: row.note_id,
		clientNoteId: row.client_note_id,
		participantId: row.participant_id,
		zoneId: row.zone_id,
		text: row.text,
		color: row.color,
		authorName: row.author_name,
		status: row.status as NoteStatus,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
	}
}

const PATCH_COLUMNS: Record<keyof NoteEntryPatch, string> = {
	zoneId: 'zone_id',
	text: 'text',
	color: 'color',
	status: 'status',
	updatedAt: 'updated_at',
}

/**
 * The {@link NoteLedger} on a better-sqlite3 database (table `notes`, see sqlite-migrations.ts). Every write is
 * synchronous, hence durable when the call returns.
 */
export class SqliteNoteLedger implements NoteLedger {
	private readonly q

	constructor(private readonly db: Database.Database) {
		this.q = {
			insert: db.prepare(
				`INSERT OR IGNORE INTO notes (room_id, note_id, client_note_id, participant_id, zone_id, text, color,
				 author_name, status, created_at, updated_at)
				 VALUES (@roomId, @noteId, @clientNoteId, @participantId, @zoneId, @text, @color, @authorName, @status,
				 @createdAt, @updatedAt)`
			),
			byClientId: db.prepare<[string, string], NoteRow>('SELECT * FROM notes WHERE room_id = ? AND client_note_id = ?'),
			byNoteId: db.prepare<[string, string], NoteRow>('SELECT * FROM notes WHERE room_id = ? AND note_id = ?'),
			byParticipant: db.prepare<[string, string], NoteRow>(
				'SELECT * FROM notes WHERE room_id = ? AND participant_id = ? ORDER BY created_at, rowid'
			),
			byStatus: db.prepare<[string, string], NoteRow>(
				'SELECT * FROM notes WHERE room_id = ? AND status = ? ORDER BY created_at, rowid'
			),
			remove: db.prepare<[string, string]>('DELETE FROM notes WHERE room_id = ? AND note_id = ?'),
		}
	}

	async insertNote(entry: NoteEntry): Promise<boolean> {
		return this.q.insert.run(entry).changes === 1
	}

	async findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null> {
		const row = this.q.byClientId.get(roomId, clientNoteId)
		return row ? toEntry(row) : null
	}

	async getNote(roomId: string, noteId: string): Promise<NoteEntry | null> {
		const row = this.q.byNoteId.get(roomId, noteId)
		return row ? toEntry(row) : null
	}

	async updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void> {
		const sets: string[] = []
		const values: Record<string, unknown> = { roomId, noteId }
		for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof NoteEntryPatch, string][]) {
			if (patch[key] === undefined) continue
			sets.push(`${column} = @${key}`)
			values[key] = patch[key]
		}
		if (sets.length === 0) return
		this.db.prepare(`UPDATE notes SET ${sets.join(', ')} WHERE room_id = @roomId AND note_id = @noteId`).run(values)
	}

	async listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]> {
		return this.q.byParticipant.all(roomId, participantId).map(toEntry)
	}

	async listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]> {
		return this.q.byStatus.all(roomId, status).map(toEntry)
	}

	/** `secure_delete` zeroes the row in its page; the WAL's older copies go with a truncating checkpoint. */
	async deleteNote(roomId: string, noteId: string): Promise<boolean> {
		const removed = this.q.remove.run(roomId, noteId).changes > 0
		if (removed) truncateWal(this.db)
		return removed
	}
}
