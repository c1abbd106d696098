import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import {
	JoinCodeTakenError,
	type HiddenNote,
	type LoadedUpdates,
	type NoteEntry,
	type NoteEntryPatch,
	type NoteStatus,
	type RoomRecord,
	type RoomStore,
	type StoredUpdate,
	type VoteAllocation,
} from './room-store'
import { NOTE_LEDGER_SCHEMA, SqliteNoteLedger } from './sqlite-note-ledger'
import { RETIRED_CLIENTS_SCHEMA, SqliteRetiredClients } from './sqlite-retired-clients'
import { SESSION_TABLES_SCHEMA, SqliteSessionTables } from './sqlite-session-tables'
import { UpdateWriter, type UpdateCommitError } from './update-writer'
import { WalCheckpointer } from './wal-checkpointer'

interface RoomRow {
	room_id: string
	title: string
	template_id: string
	columns: number | null
	join_code: string
	facilitator_key_hash: string
	anonymous: number
	created_at: number
	closed_at: number | null
}

function toRecord(row: RoomRow): RoomRecord {
	return {
		roomId: row.room_id,
		title: row.title,
		templateId: row.template_id,
		columns: row.columns,
		joinCode: row.join_code,
		facilitatorKeyHash: row.facilitator_key_hash,
		anonymous: row.anonymous === 1,
		createdAt: row.created_at,
		closedAt: row.closed_at,
	}
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	room_id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	template_id TEXT NOT NULL,
	columns INTEGER,
	join_code TEXT NOT NULL,
	facilitator_key_hash TEXT NOT NULL,
	anonymous INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	closed_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS rooms_open_join_code ON rooms(join_code) WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS room_updates (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	room_id TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS room_updates_room ON room_updates(room_id, seq);
CREATE TABLE IF NOT EXISTS store_health (id INTEGER PRIMARY KEY, checked_at INTEGER NOT NULL);
`

function prepare(db: Database.Database, retired: SqliteRetiredClients) {
	const stmts = {
		insertRoom: db.prepare(
			`INSERT INTO rooms (room_id, title, template_id, columns, join_code, facilitator_key_hash, anonymous, created_at, closed_at)
			 VALUES (@roomId, @title, @templateId, @columns, @joinCode, @facilitatorKeyHash, @anonymous, @createdAt, @closedAt)`
		),
		getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE room_id = ?'),
		byJoinCode: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE join_code = ? AND closed_at IS NULL'),
		insertUpdate: db.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)'),
		loadUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
			'SELECT seq, data FROM room_updates WHERE room_id = ? ORDER BY seq'
		),
		countUpdates: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM room_updates WHERE room_id = ?'),
		deleteUpTo: db.prepare('DELETE FROM room_updates WHERE room_id = ? AND seq <= ?'),
	}
	return {
		...stmts,
		createRoom: db.transaction((room: RoomRecord, initialUpdate: Uint8Array) => {
			stmts.insertRoom.run({ ...room, anonymous: room.anonymous ? 1 : 0 })
			stmts.insertUpdate.run(room.roomId, initialUpdate)
		}).immediate,
		// The snapshot gets a new, higher seq; updates appended after uptoSeq keep theirs. Yjs updates commute,
		// so their order relative to the snapshot does not matter.
		compact: db.transaction((roomId: string, snapshot: Uint8Array, uptoSeq: number) => {
			stmts.deleteUpTo.run(roomId, uptoSeq)
			stmts.insertUpdate.run(roomId, snapshot)
		}).immediate,
		replaceDoc: db.transaction((roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]) => {
			stmts.deleteUpTo.run(roomId, Number.MAX_SAFE_INTEGER)
			stmts.insertUpdate.run(roomId, snapshot)
			retired.retire(roomId, retiredClients)
		}).immediate,
	}
}

/** Options of {@link SqliteRoomStore}. */
export interface SqliteRoomStoreOptions {
	/** `synchronous` pragma: FULL (default) survives power loss, NORMAL a process crash. */
	synchronous?: 'FULL' | 'NORMAL'
	/** The database file's name in the data directory (default `kompasbord.sqlite`). */
	fileName?: string
	/** Called when the commit thread ends unexpectedly (its pending appends reject; the next one restarts it). */
	onCommitThreadError?: (error: Error) => void
}

/** How long a write waits for the other connection's transaction (the commit thread's, or the main one's). */
const BUSY_TIMEOUT_MS = 5000

/**
 * {@link RoomStore} on a SQLite file (better-sqlite3, WAL). Room updates, the hot path, are appended by an
 * {@link UpdateWriter} on a worker thread with its own connection, so the main thread never waits on their
 * fsync; everything else runs on the main thread's connection, where better-sqlite3 is synchronous, so a
 * method's write is on disk (fsync'd with `synchronous=FULL`) by the time its promise exists.
 *
 * Compaction on the main connection stays safe next to the commit thread: a room's snapshot is encoded from
 * its doc, which holds every update before it is handed to {@link RoomStore.appendUpdates}, so any update row
 * the compaction can see (and delete) is in the snapshot; rows committed after it keep their higher `seq`.
 */
export class SqliteRoomStore implements RoomStore {
	/** The underlying database; other server modules keep their own tables in it. */
	readonly db: Database.Database
	private readonly q: ReturnType<typeof prepare>
	private readonly notes: SqliteNoteLedger
	private readonly session: SqliteSessionTables
	private readonly writer: UpdateWriter
	private readonly retired: SqliteRetiredClients
	private readonly checkpointer: WalCheckpointer

	constructor(dataDir: string, options: SqliteRoomStoreOptions = {}) {
		fs.mkdirSync(dataDir, { recursive: true })
		const file = path.join(dataDir, options.fileName ?? 'kompasbord.sqlite')
		const synchronous = options.synchronous ?? 'FULL'
		this.db = new Database(file)
		this.db.pragma('journal_mode = WAL')
		this.db.pragma(`synchronous = ${synchronous}`)
		this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
		// Checkpoints run on a thread of their own (WalCheckpointer), never in a committing connection.
		this.db.pragma('wal_autocheckpoint = 0')
		this.db.exec(SCHEMA)
		this.db.exec(RETIRED_CLIENTS_SCHEMA)
		this.retired = new SqliteRetiredClients(this.db)
		this.q = prepare(this.db, this.retired)
		this.db.exec(NOTE_LEDGER_SCHEMA)
		this.notes = new SqliteNoteLedger(this.db)
		this.db.exec(SESSION_TABLES_SCHEMA)
		this.session = new SqliteSessionTables(this.db)
		this.checkpointer = new WalCheckpointer({ file, busyTimeoutMs: BUSY_TIMEOUT_MS })
		this.writer = new UpdateWriter({
			file,
			synchronous,
			busyTimeoutMs: BUSY_TIMEOUT_MS,
			onThreadError: options.onCommitThreadError,
		})
	}

	async createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void> {
		try {
			this.q.createRoom(room, initialUpdate)
		} catch (error) {
			if (error instanceof Error && /UNIQUE constraint failed: rooms\.join_code/.test(error.message)) {
				throw new JoinCodeTakenError(room.joinCode)
			}
			throw error
		}
	}

	async getRoom(roomId: string): Promise<RoomRecord | null> {
		const row = this.q.getRoom.get(roomId)
		return row ? toRecord(row) : null
	}

	async findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const row = this.q.byJoinCode.get(joinCode)
		return row ? toRecord(row) : null
	}

	async findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const row = this.db
			.prepare<[string], RoomRow>(
				'SELECT * FROM rooms WHERE join_code = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT 1'
			)
			.get(joinCode)
		return row ? toRecord(row) : null
	}

	async updateRoom(roomId: string, patch: Partial<Pick<RoomRecord, 'title' | 'closedAt' | 'joinCode'>>): Promise<void> {
		const sets: string[] = []
		const values: Record<string, unknown> = { roomId }
		if (patch.title !== undefined) {
			sets.push('title = @title')
			values.title = patch.title
		}
		if (patch.closedAt !== undefined) {
			sets.push('closed_at = @closedAt')
			values.closedAt = patch.closedAt
		}
		if (patch.joinCode !== undefined) {
			sets.push('join_code = @joinCode')
			values.joinCode = patch.joinCode
		}
		if (sets.length === 0) return
		try {
			this.db.prepare(`UPDATE rooms SET ${sets.join(', ')} WHERE room_id = @roomId`).run(values)
		} catch (error) {
			if (error instanceof Error && /UNIQUE constraint failed: rooms\.join_code/.test(error.message)) {
				throw new JoinCodeTakenError(patch.joinCode ?? '(current code)')
			}
			throw error
		}
	}

	async loadUpdates(roomId: string): Promise<LoadedUpdates> {
		const rows = this.q.loadUpdates.all(roomId)
		return {
			updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
			lastSeq: rows.length ? rows[rows.length - 1].seq : 0,
		}
	}

	/** Commits on the commit thread; resolves once durable, rejects with {@link UpdateCommitError}. */
	appendUpdates(batch: StoredUpdate[]): Promise<void> {
		return this.writer.append(batch)
	}

	async compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		this.q.compact(roomId, snapshot, uptoSeq)
	}

	async replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void> {
		this.q.replaceDoc(roomId, snapshot, retiredClients)
	}

	async listRetiredClients(roomId: string): Promise<number[]> {
		return this.retired.list(roomId)
	}

	async countUpdates(roomId: string): Promise<number> {
		return this.q.countUpdates.get(roomId)?.n ?? 0
	}

	async insertNote(entry: NoteEntry): Promise<boolean> {
		return this.notes.insert(entry)
	}

	async findNoteByClientId(roomId: string, clientNoteId: string): Promise<NoteEntry | null> {
		return this.notes.findByClientId(roomId, clientNoteId)
	}

	async getNote(roomId: string, noteId: string): Promise<NoteEntry | null> {
		return this.notes.get(roomId, noteId)
	}

	async updateNote(roomId: string, noteId: string, patch: NoteEntryPatch): Promise<void> {
		this.notes.update(roomId, noteId, patch)
	}

	async listParticipantNotes(roomId: string, participantId: string): Promise<NoteEntry[]> {
		return this.notes.listByParticipant(roomId, participantId)
	}

	async listNotesByStatus(roomId: string, status: NoteStatus): Promise<NoteEntry[]> {
		const ids = this.db
			.prepare<[string, string], { note_id: string }>(
				'SELECT note_id FROM notes WHERE room_id = ? AND status = ? ORDER BY created_at, rowid'
			)
			.all(roomId, status)
		return ids.map((r) => this.notes.get(roomId, r.note_id)).filter((e): e is NoteEntry => e !== null)
	}

	async addVote(roomId: string, participantId: string, noteId: string, budget: number): Promise<boolean> {
		return this.session.addVote(roomId, participantId, noteId, budget)
	}

	async removeVote(roomId: string, participantId: string, noteId: string): Promise<boolean> {
		return this.session.removeVote(roomId, participantId, noteId)
	}

	async listParticipantVotes(roomId: string, participantId: string): Promise<VoteAllocation[]> {
		return this.session.participantVotes(roomId, participantId)
	}

	async countVotes(roomId: string): Promise<Map<string, number>> {
		return this.session.voteCounts(roomId)
	}

	async deleteNoteVotes(roomId: string, noteIds: readonly string[]): Promise<void> {
		this.session.deleteNoteVotes(roomId, noteIds)
	}

	async clearVotes(roomId: string): Promise<void> {
		this.session.clearVotes(roomId)
	}

	async hideNote(entry: HiddenNote): Promise<void> {
		this.session.hideNote(entry)
	}

	async listHiddenNotes(roomId: string): Promise<HiddenNote[]> {
		return this.session.listHiddenNotes(roomId)
	}

	async getHiddenNote(roomId: string, noteId: string): Promise<HiddenNote | null> {
		return this.session.getHiddenNote(roomId, noteId)
	}

	async removeHiddenNote(roomId: string, noteId: string): Promise<boolean> {
		return this.session.removeHiddenNote(roomId, noteId)
	}

	/**
	 * Whether the store can write, for `/api/health`: `store` writes one row on the main connection (a full
	 * disk or a read-only file fails here), `commitThread` is the commit thread's last outcome.
	 */
	writeHealth(): { store: { ok: boolean; error?: string }; commitThread: { ok: boolean; error?: string } } {
		let store: { ok: boolean; error?: string } = { ok: true }
		try {
			if (!this.db.open) throw new Error('the database is closed')
			this.db.prepare('INSERT OR REPLACE INTO store_health (id, checked_at) VALUES (1, ?)').run(Date.now())
		} catch (error) {
			const code = (error as { code?: unknown }).code
			store = {
				ok: false,
				error: `${typeof code === 'string' ? `${code}: ` : ''}${error instanceof Error ? error.message : String(error)}`,
			}
		}
		return { store, commitThread: this.writer.health() }
	}

	/** Waits for the commit thread to commit what it has and close its connection, then closes the main one. */
	async close(): Promise<void> {
		await this.writer.close()
		await this.checkpointer.close()
		if (this.db.open) this.db.close()
	}
}
