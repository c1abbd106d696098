import type pg from 'pg'
import type { NoteEntry, NoteEntryPatch, NoteLedger, NoteStatus } from './note-ledger'

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

const COLUMNS = `room_id, note_id, client_note_id, participant_id, zone_id, text, color, author_name, status,
	created_at, updated_at`

const PATCH_COLUMNS: Record<keyof NoteEntryPatch, string> = {
	zoneId: 'zone_id',
	text: 'text',
	color: 'color',
	status: 'status',
	updatedAt: 'updated_at',
}

/** The {@link NoteLedger} on PostgreSQL (table `notes`; `ord` keeps insertion order for ties). */
export class PgNoteLedger implements NoteLedger {
	constructor(private readonly pool: pg.Pool) {}

	async insertNote(entry: NoteEntry): Promise<boolean> {
		const result = await this.pool.query(
			`INSERT INTO notes (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
			[
				entry.roomId,
				entry.noteId,
				entry.clientNoteId,
				entry.participantId,
				entry.zoneId,
				entry.text,
				entry.color,
				entry.authorName,
				entry.status,
				entry.createdAt,
				entry.updatedAt,
			]
		)
		return result.rowCount === 1
	}

	async findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null> {
		const { rows } = await this.pool.query<NoteRow>(
			`SELECT ${COLUMNS} FROM notes WHERE room_id = $1 AND client_note_id = $2`,
			[roomId, clientNoteId]
		)
		return rows[0] ? toEntry(rows[0]) : null
	}

	async getNote(roomId: string, noteId: string): Promise<NoteEntry | null> {
		const { rows } = await this.pool.query<NoteRow>(
			`SELECT ${COLUMNS} FROM notes WHERE room_id = $1 AND note_id = $2`,
			[roomId, noteId]
		)
		return rows[0] ? toEntry(rows[0]) : null
	}

	async updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void> {
		const sets: string[] = []
		const values: unknown[] = [roomId, noteId]
		for (const [key, column] of Object.entries(PATCH_COLUMNS) as [keyof NoteEntryPatch, string][]) {
			if (patch[key] === undefined) continue
			values.push(patch[key])
			sets.push(`${column} = $${values.length}`)
		}
		if (sets.length === 0) return
		await this.pool.query(`UPDATE notes SET ${sets.join(', ')} WHERE room_id = $1 AND note_id = $2`, values)
	}

	async listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]> {
		const { rows } = await this.pool.query<NoteRow>(
			`SELECT ${COLUMNS} FROM notes WHERE room_id = $1 AND participant_id = $2 ORDER BY created_at, ord`,
			[roomId, participantId]
		)
		return rows.map(toEntry)
	}

	async deleteNote(roomId: string, noteId: string): Promise<boolean> {
		const result = await this.pool.query('DELETE FROM notes WHERE room_id = $1 AND note_id = $2', [roomId, noteId])
		return (result.rowCount ?? 0) > 0
	}

	async listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]> {
		const { rows } = await this.pool.query<NoteRow>(
			`SELECT ${COLUMNS} FROM notes WHERE room_id = $1 AND status = $2 ORDER BY created_at, ord`,
			[roomId, status]
		)
		return rows.map(toEntry)
	}
}
