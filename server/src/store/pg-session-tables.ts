import type pg from 'pg'
import { inTransaction } from './pg-pool'
import type { HiddenNote, SessionTables, VoteAllocation } from './session-tables'

interface HiddenRow {
	room_id: string
	note_id: string
	records: unknown[]
	hidden_at: number
}

function toHidden(row: HiddenRow): HiddenNote {
	return { roomId: row.room_id, noteId: row.note_id, records: row.records, hiddenAt: row.hidden_at }
}

/** Serialises one participant's vote changes across every server (released at the end of the transaction). */
const LOCK_PARTICIPANT = `SELECT pg_advisory_xact_lock(hashtextextended('vote' || chr(31) || $1 || chr(31) || $2, 0))`

/**
 * {@link SessionTables} (votes and hidden notes) on PostgreSQL (tables `vote_allocations`, `hidden_notes`). The
 * vote budget check and the write run in one transaction under an advisory lock of the participant, so no two
 * servers can both spend a participant's last dot.
 */
export class PgSessionTables implements SessionTables {
	constructor(private readonly pool: pg.Pool) {}

	addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean> {
		return inTransaction(this.pool, async (client) => {
			await client.query(LOCK_PARTICIPANT, [roomId, participantId])
			const { rows } = await client.query<{ n: number }>(
				'SELECT COALESCE(SUM(dots), 0) AS n FROM vote_allocations WHERE room_id = $1 AND participant_id = $2',
				[roomId, participantId]
			)
			if (rows[0].n >= budget) return false
			await client.query(
				`INSERT INTO vote_allocations (room_id, participant_id, note_id, dots) VALUES ($1, $2, $3, 1)
				 ON CONFLICT (room_id, participant_id, note_id) DO UPDATE SET dots = vote_allocations.dots + 1`,
				[roomId, participantId, noteId]
			)
			return true
		})
	}

	removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean> {
		return inTransaction(this.pool, async (client) => {
			await client.query(LOCK_PARTICIPANT, [roomId, participantId])
			const { rows } = await client.query<{ dots: number }>(
				`UPDATE vote_allocations SET dots = dots - 1
				 WHERE room_id = $1 AND participant_id = $2 AND note_id = $3 AND dots > 0 RETURNING dots`,
				[roomId, participantId, noteId]
			)
			if (rows.length === 0) return false
			if (rows[0].dots <= 0) {
				await client.query(
					'DELETE FROM vote_allocations WHERE room_id = $1 AND participant_id = $2 AND note_id = $3 AND dots <= 0',
					[roomId, participantId, noteId]
				)
			}
			return true
		})
	}

	async listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]> {
		const { rows } = await this.pool.query<{ note_id: string; dots: number }>(
			`SELECT note_id, dots FROM vote_allocations WHERE room_id = $1 AND participant_id = $2 ORDER BY note_id COLLATE "C"`,
			[roomId, participantId]
		)
		return rows.map((r) => ({ noteId: r.note_id, dots: r.dots }))
	}

	async listVoteAllocations(roomId: string): Promise<(VoteAllocation & { participantId: string })[]> {
		const { rows } = await this.pool.query<{ participant_id: string; note_id: string; dots: number }>(
			`SELECT participant_id, note_id, dots FROM vote_allocations WHERE room_id = $1
			 ORDER BY participant_id COLLATE "C", note_id COLLATE "C"`,
			[roomId]
		)
		return rows.map((r) => ({ participantId: r.participant_id, noteId: r.note_id, dots: r.dots }))
	}

	async countVotes(roomId: string): Promise<Map<string, number>> {
		const { rows } = await this.pool.query<{ note_id: string; n: number }>(
			'SELECT note_id, SUM(dots) AS n FROM vote_allocations WHERE room_id = $1 GROUP BY note_id',
			[roomId]
		)
		return new Map(rows.map((r) => [r.note_id, Number(r.n)]))
	}

	async deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void> {
		if (noteIds.length === 0) return
		await this.pool.query('DELETE FROM vote_allocations WHERE room_id = $1 AND note_id = ANY($2::text[])', [
			roomId,
			[...noteIds],
		])
	}

	async clearVotes(roomId: string): Promise<void> {
		await this.pool.query('DELETE FROM vote_allocations WHERE room_id = $1', [roomId])
	}

	async hideNote(entry: HiddenNote): Promise<void> {
		await this.pool.query(
			`INSERT INTO hidden_notes (room_id, note_id, records, hidden_at) VALUES ($1, $2, $3::jsonb, $4)
			 ON CONFLICT (room_id, note_id) DO UPDATE SET records = EXCLUDED.records, hidden_at = EXCLUDED.hidden_at`,
			[entry.roomId, entry.noteId, JSON.stringify(entry.records), entry.hiddenAt]
		)
	}

	async listHiddenNotes(roomId: string): Promise<HiddenNote[]> {
		const { rows } = await this.pool.query<HiddenRow>(
			'SELECT * FROM hidden_notes WHERE room_id = $1 ORDER BY hidden_at, note_id COLLATE "C"',
			[roomId]
		)
		return rows.map(toHidden)
	}

	async getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null> {
		const { rows } = await this.pool.query<HiddenRow>(
			'SELECT * FROM hidden_notes WHERE room_id = $1 AND note_id = $2',
			[roomId, noteId]
		)
		return rows[0] ? toHidden(rows[0]) : null
	}

	async removeHiddenNote(roomId: string, noteId: string): Promise<boolean> {
		const result = await this.pool.query('DELETE FROM hidden_notes WHERE room_id = $1 AND note_id = $2', [
			roomId,
			noteId,
		])
		return (result.rowCount ?? 0) > 0
	}

	async getScreeningWords(roomId: string): Promise<string[]> {
		const { rows } = await this.pool.query<{ words: string[] }>(
			'SELECT words FROM screening_words WHERE room_id = $1',
			[roomId]
		)
		return rows[0]?.words ?? []
	}

	async setScreeningWords(roomId: string, words: readonly string[], at: number): Promise<void> {
		if (words.length === 0) {
			await this.pool.query('DELETE FROM screening_words WHERE room_id = $1', [roomId])
			return
		}
		await this.pool.query(
			`INSERT INTO screening_words (room_id, words, updated_at) VALUES ($1, $2::jsonb, $3)
			 ON CONFLICT (room_id) DO UPDATE SET words = EXCLUDED.words, updated_at = EXCLUDED.updated_at`,
			[roomId, JSON.stringify(words), at]
		)
	}
}
