import type Database from 'better-sqlite3'
import type { HiddenNote, VoteAllocation } from './room-store'

/**
 * The facilitator toolkit's tables in the SQLite file: dot-vote allocations per participant (kept off the doc,
 * which holds only counts, so votes stay anonymous) and notes the facilitator hid (kept off the doc, so no
 * participant's browser can read them).
 */
export const SESSION_TABLES_SCHEMA = `
CREATE TABLE IF NOT EXISTS vote_allocations (
	room_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	dots INTEGER NOT NULL,
	PRIMARY KEY (room_id, participant_id, note_id)
);
CREATE INDEX IF NOT EXISTS vote_allocations_note ON vote_allocations(room_id, note_id);
CREATE TABLE IF NOT EXISTS hidden_notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	records TEXT NOT NULL,
	hidden_at INTEGER NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
`

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
 * Votes and hidden notes on a better-sqlite3 database (tables made by the caller with
 * {@link SESSION_TABLES_SCHEMA}). Every method is synchronous, so a check and the write it guards (the vote
 * budget) happen in one transaction.
 */
export class SqliteSessionTables {
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

	addVote(roomId: string, participantId: string, noteId: string, budget: number): boolean {
		return this.addVoteTx(roomId, participantId, noteId, budget)
	}

	removeVote(roomId: string, participantId: string, noteId: string): boolean {
		return this.removeVoteTx(roomId, participantId, noteId)
	}

	participantVotes(roomId: string, participantId: string): VoteAllocation[] {
		return this.q.byParticipant.all(roomId, participantId).map((r) => ({ noteId: r.note_id, dots: r.dots }))
	}

	voteCounts(roomId: string): Map<string, number> {
		return new Map(this.q.counts.all(roomId).map((r) => [r.note_id, r.n]))
	}

	deleteNoteVotes(roomId: string, noteIds: readonly string[]): void {
		for (const noteId of noteIds) this.q.deleteNote.run(roomId, noteId)
	}

	clearVotes(roomId: string): void {
		this.q.clear.run(roomId)
	}

	hideNote(entry: HiddenNote): void {
		this.q.hide.run(entry.roomId, entry.noteId, JSON.stringify(entry.records), entry.hiddenAt)
	}

	listHiddenNotes(roomId: string): HiddenNote[] {
		return this.q.listHidden.all(roomId).map(toHidden)
	}

	getHiddenNote(roomId: string, noteId: string): HiddenNote | null {
		const row = this.q.getHidden.get(roomId, noteId)
		return row ? toHidden(row) : null
	}

	removeHiddenNote(roomId: string, noteId: string): boolean {
		return this.q.unhide.run(roomId, noteId).changes > 0
	}
}
