import type Database from 'better-sqlite3'
import type { HiddenNote, SessionTables, VoteAllocation } from './session-tables'

interface HiddenRow {
	room_id: string
	note_id: string
	records: string
	hidden_at: number
}

function toHidden(row: HiddenRow): HiddenNote {
	return {
		roomId: row.room_id,
		noteId: row.note_id,
		records: JSON.parse(row.records) as unknown[],
		hiddenAt: row.hidden_at,
	}
}

/**
 * {@link SessionTables} (votes and hidden notes) on a better-sqlite3 database (tables `vote_allocations` and
 * `hidden_notes`, see sqlite-migrations.ts). Every statement runs synchronously, so a check and the write it
 * guards (the vote budget) happen in one transaction, and a write is durable when its promise exists.
 */
export class SqliteSessionTables implements SessionTables {
	private readonly q
	private readonly addVoteTx: (roomId: string, participantId: string, noteId: string, budget: number) => boolean
	private readonly removeVoteTx: (roomId: string, participantId: string, noteId: string) => boolean

	constructor(db: Database.Database) {
		this.q = {
			used: db.prepare<[string, string], { n: number | null }>(
				'SELECT SUM(dots) AS n FROM vote_allocations WHERE room_id = ? AND participant_id = ?'
			),
			addDot: db.prepare(
				`INSERT INTO vote_allocations (room_id, participant_id, note_id, dots) VALUES (?, ?, ?, 1)
				 ON CONFLICT (room_id, participant_id, note_id) DO UPDATE SET dots = dots + 1`
			),
			dotsOn: db.prepare<[string, string, string], { dots: number }>(
				'SELECT dots FROM vote_allocations WHERE room_id = ? AND participant_id = ? AND note_id = ?'
			),
			decDot: db.prepare(
				'UPDATE vote_allocations SET dots = dots - 1 WHERE room_id = ? AND participant_id = ? AND note_id = ?'
			),
			dropEmpty: db.prepare(
				'DELETE FROM vote_allocations WHERE room_id = ? AND participant_id = ? AND note_id = ? AND dots <= 0'
			),
			byParticipant: db.prepare<[string, string], { note_id: string; dots: number }>(
				'SELECT note_id, dots FROM vote_allocations WHERE room_id = ? AND participant_id = ? ORDER BY note_id'
			),
			allocations: db.prepare<[string], { participant_id: string; note_id: string; dots: number }>(
				'SELECT participant_id, note_id, dots FROM vote_allocations WHERE room_id = ? ORDER BY participant_id, note_id'
			),
			counts: db.prepare<[string], { note_id: string; n: number }>(
				'SELECT note_id, SUM(dots) AS n FROM vote_allocations WHERE room_id = ? GROUP BY note_id'
			),
			deleteNote: db.prepare('DELETE FROM vote_allocations WHERE room_id = ? AND note_id = ?'),
			clear: db.prepare('DELETE FROM vote_allocations WHERE room_id = ?'),
			hide: db.prepare(
				`INSERT INTO hidden_notes (room_id, note_id, records, hidden_at) VALUES (?, ?, ?, ?)
				 ON CONFLICT (room_id, note_id) DO UPDATE SET records = excluded.records, hidden_at = excluded.hidden_at`
			),
			listHidden: db.prepare<[string], HiddenRow>(
				'SELECT * FROM hidden_notes WHERE room_id = ? ORDER BY hidden_at, note_id'
			),
			getHidden: db.prepare<[string, string], HiddenRow>(
				'SELECT * FROM hidden_notes WHERE room_id = ? AND note_id = ?'
			),
			unhide: db.prepare('DELETE FROM hidden_notes WHERE room_id = ? AND note_id = ?'),
			getWords: db.prepare<[string], { words: string }>('SELECT words FROM screening_words WHERE room_id = ?'),
			setWords: db.prepare(
				`INSERT INTO screening_words (room_id, words, updated_at) VALUES (?, ?, ?)
				 ON CONFLICT (room_id) DO UPDATE SET words = excluded.words, updated_at = excluded.updated_at`
			),
			dropWords: db.prepare('DELETE FROM screening_words WHERE room_id = ?'),
		}
		// BEGIN IMMEDIATE: these read before they write, and another connection (the store's commit thread)
		// writes too; a deferred transaction could not take the write lock after its read and would fail busy.
		this.addVoteTx = db.transaction((roomId: string, participantId: string, noteId: string, budget: number) => {
			const used = this.q.used.get(roomId, participantId)?.n ?? 0
			if (used >= budget) return false
			this.q.addDot.run(roomId, participantId, noteId)
			return true
		}).immediate
		this.removeVoteTx = db.transaction((roomId: string, participantId: string, noteId: string) => {
			const row = this.q.dotsOn.get(roomId, participantId, noteId)
			if (!row || row.dots <= 0) return false
			this.q.decDot.run(roomId, participantId, noteId)
			this.q.dropEmpty.run(roomId, participantId, noteId)
			return true
		}).immediate
	}

	async addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean> {
		return this.addVoteTx(roomId, participantId, noteId, budget)
	}

	async removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean> {
		return this.removeVoteTx(roomId, participantId, noteId)
	}

	async listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]> {
		return this.q.byParticipant.all(roomId, participantId).map((r) => ({ noteId: r.note_id, dots: r.dots }))
	}

	async listVoteAllocations(roomId: string): Promise<(VoteAllocation & { participantId: string })[]> {
		return this.q.allocations
			.all(roomId)
			.map((r) => ({ participantId: r.participant_id, noteId: r.note_id, dots: r.dots }))
	}

	async countVotes(roomId: string): Promise<Map<string, number>> {
		return new Map(this.q.counts.all(roomId).map((r) => [r.note_id, r.n]))
	}

	async deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void> {
		for (const noteId of noteIds) this.q.deleteNote.run(roomId, noteId)
	}

	async clearVotes(roomId: string): Promise<void> {
		this.q.clear.run(roomId)
	}

	async hideNote(entry: HiddenNote): Promise<void> {
		this.q.hide.run(entry.roomId, entry.noteId, JSON.stringify(entry.records), entry.hiddenAt)
	}

	async listHiddenNotes(roomId: string): Promise<HiddenNote[]> {
		return this.q.listHidden.all(roomId).map(toHidden)
	}

	async getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null> {
		const row = this.q.getHidden.get(roomId, noteId)
		return row ? toHidden(row) : null
	}

	async removeHiddenNote(roomId: string, noteId: string): Promise<boolean> {
		return this.q.unhide.run(roomId, noteId).changes > 0
	}

	async getScreeningWords(roomId: string): Promise<string[]> {
		const row = this.q.getWords.get(roomId)
		return row ? (JSON.parse(row.words) as string[]) : []
	}

	async setScreeningWords(roomId: string, words: readonly string[], at: number): Promise<void> {
		if (words.length === 0) this.q.dropWords.run(roomId)
		else this.q.setWords.run(roomId, JSON.stringify(words), at)
	}
}
