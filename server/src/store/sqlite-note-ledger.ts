import type Database from 'better-sqlite3'
import type { NoteEntry, NoteEntryPatch, NoteStatus } from './room-store'

/** The note ledger's table in the SQLite file (see {@link NoteEntry}). */
export const NOTE_LEDGER_SCHEMA = `
CREATE TABLE IF NOT EXISTS notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	client_note_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	zone_id TEXT NOT NULL,
	text TEXT NOT NULL,
	color TEXT NOT NULL,
	author_name TEXT,
	status TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS notes_client_id ON notes(room_id, client_note_id);
CREATE INDEX IF NOT EXISTS notes_participant ON notes(room_id, participant_id, created_at);
`

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
 * The note ledger on a better-sqlite3 database (its table is created by the caller with
 * {@link NOTE_LEDGER_SCHEMA}). Every write is synchronous, hence durable when the call returns.
 */
export class SqliteNoteLedger {
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
		}
	}

	insert(entry: NoteEntry): boolean {
		return this.q.insert.run(entry).changes === 1
	}

	findByClientId(roomId: string, clientNoteId: string): NoteEntry | null {
		const row = this.q.byClientId.get(roomId, clientNoteId)
		return row ? toEntry(row) : null
	}

	get(roomId: string, noteId: string): NoteEntry | null {
		const row = this.q.byNoteId.get(roomId, noteId)
		return row ? toEntry(row) : null
	}

	update(roomId: string, noteId: string, patch: NoteEntryPatch): void {
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

	listByParticipant(roomId: string, participantId: string): NoteEntry[] {
		return this.q.byParticipant.all(roomId, participantId).map(toEntry)
	}
}
