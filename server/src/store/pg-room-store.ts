import type pg from 'pg'
import type { NoteEntry, NoteEntryPatch, NoteStatus } from './note-ledger'
import { migratePg } from './pg-migrations'
import { PgNoteLedger } from './pg-note-ledger'
import { PgRoomLifecycle } from './pg-room-lifecycle'
import { createPgPool } from './pg-pool'
import { PgRoomRecords } from './pg-room-records'
import { PgSessionTables } from './pg-session-tables'
import { PgScores } from './pg-scores'
import { PgTrajects } from './pg-trajects'
import { PgUpdateAppender } from './pg-update-appender'
import type { LoadedUpdates, RoomRecord, RoomRecordPatch, StoredUpdate } from './room-records'
import type { RoomSummary } from './room-lifecycle'
import type { RoomStore } from './room-store'
import type { HiddenNote, VoteAllocation } from './session-tables'
import type { ScoreEntry } from './scores'
import type { BoardSnapshot, CarriedNote, TrajectRecord } from './trajects'

/** How often the database is probed for `/api/health` (ms). */
export const HEALTH_PROBE_MS = 2000

/** Options of {@link PgRoomStore.open}. */
export interface PgRoomStoreOptions {
	/** Connections in the pool (default 10). */
	maxConnections?: number
}

/**
 * The {@link RoomStore} on PostgreSQL (`DATABASE_URL`), for several servers on one database: the narrow stores
 * {@link PgRoomRecords} (also the retired clients), {@link PgNoteLedger} and {@link PgSessionTables} on one
 * connection pool; room updates go through the group-commit {@link PgUpdateAppender}. Every write resolves once
 * its transaction is committed.
 */
export class PgRoomStore implements RoomStore {
	private constructor(
		readonly pool: pg.Pool,
		readonly records: PgRoomRecords,
		readonly notes: PgNoteLedger,
		readonly session: PgSessionTables,
		readonly trajects: PgTrajects,
		private readonly appender: PgUpdateAppender,
		readonly lifecycle: PgRoomLifecycle = new PgRoomLifecycle(pool),
		readonly scores: PgScores = new PgScores(pool)
	) {}

	/** Connects, brings the schema up to date (pg-migrations.ts) and returns the store. */
	static async open(url: string, options: PgRoomStoreOptions = {}): Promise<PgRoomStore> {
		const pool = createPgPool(url, options.maxConnections ?? 10)
		try {
			await migratePg(pool)
		} catch (error) {
			await pool.end()
			throw error
		}
		const appender = new PgUpdateAppender(pool)
		return new PgRoomStore(
			pool,
			new PgRoomRecords(pool, appender),
			new PgNoteLedger(pool),
			new PgSessionTables(pool),
			new PgTrajects(pool),
			appender
		)
	}

	// Room lifecycle.
	deleteRoom(roomId: string): Promise<boolean> {
		return this.lifecycle.deleteRoom(roomId)
	}
	touchRoom(roomId: string, at: number): Promise<void> {
		return this.lifecycle.touchRoom(roomId, at)
	}
	listExpiredRooms(cutoff: number): Promise<string[]> {
		return this.lifecycle.listExpiredRooms(cutoff)
	}
	listRoomSummaries(): Promise<RoomSummary[]> {
		return this.lifecycle.listRoomSummaries()
	}
	async setFacilitatorKeyHash(roomId: string, facilitatorKeyHash: string): Promise<void> {
		await this.lifecycle.setFacilitatorKeyHash(roomId, facilitatorKeyHash)
		this.recordChanged?.(roomId)
	}

	// Room records and their doc updates.
	createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void> {
		return this.records.createRoom(room, initialUpdate)
	}
	getRoom(roomId: string): Promise<RoomRecord | null> {
		return this.records.getRoom(roomId)
	}
	findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		return this.records.findOpenRoomByJoinCode(joinCode)
	}
	findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		return this.records.findClosedRoomByJoinCode(joinCode)
	}
	async updateRoom(roomId: string, patch: RoomRecordPatch): Promise<void> {
		await this.records.updateRoom(roomId, patch)
		this.recordChanged?.(roomId)
	}
	loadUpdates(roomId: string): Promise<LoadedUpdates> {
		return this.records.loadUpdates(roomId)
	}
	appendUpdates(batch: StoredUpdate[]): Promise<void> {
		return this.records.appendUpdates(batch)
	}
	compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		return this.records.compact(roomId, snapshot, uptoSeq)
	}
	replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void> {
		return this.records.replaceDoc(roomId, snapshot, retiredClients)
	}
	countUpdates(roomId: string): Promise<number> {
		return this.records.countUpdates(roomId)
	}

	// Retired clients.
	listRetiredClients(roomId: string): Promise<number[]> {
		return this.records.listRetiredClients(roomId)
	}

	// Note ledger.
	insertNote(entry: NoteEntry): Promise<boolean> {
		return this.notes.insertNote(entry)
	}
	findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null> {
		return this.notes.findNoteByClientId(roomId, clientNoteId)
	}
	getNote(roomId: string, noteId: string): Promise<NoteEntry | null> {
		return this.notes.getNote(roomId, noteId)
	}
	updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void> {
		return this.notes.updateNote(roomId, noteId, patch)
	}
	listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]> {
		return this.notes.listParticipantNotes(roomId, participantId)
	}
	listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]> {
		return this.notes.listNotesByStatus(roomId, status)
	}
	deleteNote(roomId: string, noteId: string): Promise<boolean> {
		return this.notes.deleteNote(roomId, noteId)
	}

	// Votes and hidden notes.
	addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean> {
		return this.session.addVote(roomId, participantId, noteId, budget)
	}
	removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean> {
		return this.session.removeVote(roomId, participantId, noteId)
	}
	listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]> {
		return this.session.listParticipantVotes(roomId, participantId)
	}
	listVoteAllocations(roomId: string): Promise<(VoteAllocation & { participantId: string })[]> {
		return this.session.listVoteAllocations(roomId)
	}
	countVotes(roomId: string): Promise<Map<string, number>> {
		return this.session.countVotes(roomId)
	}
	deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void> {
		return this.session.deleteNoteVotes(roomId, noteIds)
	}
	clearVotes(roomId: string): Promise<void> {
		return this.session.clearVotes(roomId)
	}
	hideNote(entry: HiddenNote): Promise<void> {
		return this.session.hideNote(entry)
	}
	listHiddenNotes(roomId: string): Promise<HiddenNote[]> {
		return this.session.listHiddenNotes(roomId)
	}
	getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null> {
		return this.session.getHiddenNote(roomId, noteId)
	}
	removeHiddenNote(roomId: string, noteId: string): Promise<boolean> {
		return this.session.removeHiddenNote(roomId, noteId)
	}
	getScreeningWords(roomId: string): Promise<string[]> {
		return this.session.getScreeningWords(roomId)
	}
	setScreeningWords(roomId: string, words: readonly string[], at: number): Promise<void> {
		return this.session.setScreeningWords(roomId, words, at)
	}

	/**
	 * Calls `listener` after each committed append transaction, before its appends resolve, with the updates and
	 * their room sequence numbers (the room bus publishes them).
	 */
	onUpdatesCommitted(listener: (updates: readonly StoredUpdate[], seqs: readonly number[]) => void): void {
		this.appender.onCommitted = listener
	}

	/**
	 * Whether the store can write, for `/api/health` (the same shape as the SQLite store's): `store` is the last
	 * probe of the database (a `SELECT 1` every {@link HEALTH_PROBE_MS}), `commitThread` the last append's outcome.
	 */
	writeHealth(): { store: { ok: boolean; error?: string }; commitThread: { ok: boolean; error?: string } } {
		const commits = this.appender.lastFailure
		return {
			store: this.probeFailure === null ? { ok: true } : { ok: false, error: this.probeFailure },
			commitThread: commits === null ? { ok: true } : { ok: false, error: commits },
		}
	}

	private probeFailure: string | null = null
	private readonly probe = setInterval(() => {
		this.pool.query('SELECT 1').then(
			() => {
				this.probeFailure = null
			},
			(error: unknown) => {
				this.probeFailure = error instanceof Error ? error.message || String(error) : String(error)
			}
		)
	}, HEALTH_PROBE_MS).unref()

	private recordChanged: ((roomId: string) => void) | null = null

	/** Calls `listener` after a room's record was changed through this store (the room bus tells the others). */
	onRecordChanged(listener: (roomId: string) => void): void {
		this.recordChanged = listener
	}

	/** Commits the appends in flight, then closes every connection. */
	// Trajects.
	createTraject(traject: TrajectRecord): Promise<void> {
		return this.trajects.createTraject(traject)
	}
	getTraject(trajectId: string): Promise<TrajectRecord | null> {
		return this.trajects.getTraject(trajectId)
	}
	addTrajectRoom(trajectId: string, roomId: string, addedAt: number): Promise<void> {
		return this.trajects.addTrajectRoom(trajectId, roomId, addedAt)
	}
	listTrajectRooms(trajectId: string): Promise<string[]> {
		return this.trajects.listTrajectRooms(trajectId)
	}
	trajectOfRoom(roomId: string): Promise<string | null> {
		return this.trajects.trajectOfRoom(roomId)
	}
	recordCarriedNotes(notes: readonly CarriedNote[]): Promise<void> {
		return this.trajects.recordCarriedNotes(notes)
	}
	listCarriedNotes(targetRoomId: string): Promise<CarriedNote[]> {
		return this.trajects.listCarriedNotes(targetRoomId)
	}
	saveBoardSnapshot(snapshot: BoardSnapshot): Promise<void> {
		return this.trajects.saveBoardSnapshot(snapshot)
	}
	getBoardSnapshot(roomId: string): Promise<BoardSnapshot | null> {
		return this.trajects.getBoardSnapshot(roomId)
	}

	// Score rounds.
	setScore(roomId: string, entry: ScoreEntry): Promise<void> {
		return this.scores.setScore(roomId, entry)
	}
	listScores(roomId: string): Promise<ScoreEntry[]> {
		return this.scores.listScores(roomId)
	}
	clearScores(roomId: string): Promise<void> {
		return this.scores.clearScores(roomId)
	}

	async close(): Promise<void> {
		clearInterval(this.probe)
		await this.appender.close()
		await this.pool.end()
	}
}
