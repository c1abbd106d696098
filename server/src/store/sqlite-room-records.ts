import type Database from 'better-sqlite3'
import {
	JoinCodeTakenError,
	type LoadedUpdates,
	type RoomRecord,
	type RoomRecordPatch,
	roomPatchColumns,
	type RoomRecordStore,
	type StoredUpdate,
} from './room-records'
import type { SqliteRetiredClients } from './sqlite-retired-clients'

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
	passphrase_hash: string | null
	join_code_expires_at: number | null
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
		passphraseHash: row.passphrase_hash ?? null,
		joinCodeExpiresAt: row.join_code_expires_at ?? null,
	}
}

function isJoinCodeConflict(error: unknown): boolean {
	return error instanceof Error && /UNIQUE constraint failed: rooms\.join_code/.test(error.message)
}

/** Where appended updates go: the commit thread ({@link UpdateWriter}) in the server. */
export interface SqliteUpdateAppender {
	append(batch: readonly StoredUpdate[]): Promise<void>
}

/**
 * The {@link RoomRecordStore} on a better-sqlite3 database (tables `rooms` and `room_updates`, see
 * sqlite-migrations.ts). Appends go to `appender` (the commit thread, with its own connection); everything else
 * runs synchronously on this connection, so a write is durable by the time its promise exists.
 *
 * Compaction on this connection stays safe next to the commit thread: a room's snapshot is encoded from its doc,
 * which holds every update before it is appended, so any update row the compaction can see (and delete) is in
 * the snapshot; rows committed after it keep their higher `seq`.
 *
 * `seq` is the rowid without AUTOINCREMENT (schema step 9): a new row gets one above the highest seq in the table
 * at that moment, so a seq comes back once the rows at the top are gone. What holds regardless, and all that the
 * readers need:
 * - Every new row's seq is above every row there is, so a room's rows in seq order are in the order they were
 *   written — what `loadUpdates` (ORDER BY seq) and its `lastSeq` rely on.
 * - Compaction and `replaceDoc` insert the snapshot before deleting what it replaces, and delete only below it: the
 *   snapshot lands above the replaced rows (as it did with AUTOINCREMENT), and a bound `uptoSeq` read earlier
 *   (`lastSeq`, or MAX_SAFE_INTEGER) can never take the snapshot itself. Deleting first could free the table's top
 *   seqs and hand one of them to the snapshot, below a stale bound that a later compaction would then delete it by.
 * - Deletes are per room, so a seq handed out again to another room's row (after a room's deletion or retention
 *   purge freed the top of the table) is never caught by this room's bound. Within a room, a bound read earlier
 *   (`lastSeq`) stays below every row written since: its own row, or the snapshot that replaced it (placed above
 *   it), still exists, and a new row's seq is above every row there is.
 * - Nothing keeps seqs outside the database: the cluster's per-room positions are PostgreSQL's (pg-room-records.ts);
 *   copy-rooms reads a room's updates in order and appends them anew, and a backup copies the file, seqs as they are.
 */
export class SqliteRoomRecords implements RoomRecordStore {
	private readonly q

	constructor(
		private readonly db: Database.Database,
		private readonly appender: SqliteUpdateAppender,
		retired: SqliteRetiredClients
	) {
		const stmts = {
			insertRoom: db.prepare(
				`INSERT INTO rooms (room_id, title, template_id, columns, join_code, facilitator_key_hash, anonymous, created_at, closed_at,
				   passphrase_hash, join_code_expires_at)
				 VALUES (@roomId, @title, @templateId, @columns, @joinCode, @facilitatorKeyHash, @anonymous, @createdAt, @closedAt,
				   @passphraseHash, @joinCodeExpiresAt)`
			),
			getRoom: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE room_id = ?'),
			openByJoinCode: db.prepare<[string], RoomRow>('SELECT * FROM rooms WHERE join_code = ? AND closed_at IS NULL'),
			closedByJoinCode: db.prepare<[string], RoomRow>(
				'SELECT * FROM rooms WHERE join_code = ? AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT 1'
			),
			insertUpdate: db.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)'),
			loadUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
				'SELECT seq, data FROM room_updates WHERE room_id = ? ORDER BY seq'
			),
			countUpdates: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM room_updates WHERE room_id = ?'),
			deleteBelow: db.prepare('DELETE FROM room_updates WHERE room_id = ? AND seq <= ? AND seq < ?'),
		}
		this.q = {
			...stmts,
			createRoom: db.transaction((room: RoomRecord, initialUpdate: Uint8Array) => {
				stmts.insertRoom.run({ ...room, anonymous: room.anonymous ? 1 : 0 })
				stmts.insertUpdate.run(room.roomId, initialUpdate)
			}).immediate,
			// The snapshot is inserted first, then the rows it replaces are deleted (see the class comment): so it
			// gets a seq above every row there is, those it replaces included. Updates appended after uptoSeq keep
			// theirs; Yjs updates commute, so their order relative to the snapshot does not matter.
			compact: db.transaction((roomId: string, snapshot: Uint8Array, uptoSeq: number) => {
				const snapshotSeq = stmts.insertUpdate.run(roomId, snapshot).lastInsertRowid
				stmts.deleteBelow.run(roomId, uptoSeq, snapshotSeq)
			}).immediate,
			replaceDoc: db.transaction((roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]) => {
				const snapshotSeq = stmts.insertUpdate.run(roomId, snapshot).lastInsertRowid
				stmts.deleteBelow.run(roomId, Number.MAX_SAFE_INTEGER, snapshotSeq)
				retired.retire(roomId, retiredClients)
			}).immediate,
		}
	}

	async createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void> {
		try {
			this.q.createRoom(room, initialUpdate)
		} catch (error) {
			if (isJoinCodeConflict(error)) throw new JoinCodeTakenError(room.joinCode)
			throw error
		}
	}

	async getRoom(roomId: string): Promise<RoomRecord | null> {
		const row = this.q.getRoom.get(roomId)
		return row ? toRecord(row) : null
	}

	async findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const row = this.q.openByJoinCode.get(joinCode)
		return row ? toRecord(row) : null
	}

	async findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const row = this.q.closedByJoinCode.get(joinCode)
		return row ? toRecord(row) : null
	}

	async updateRoom(roomId: string, patch: RoomRecordPatch): Promise<void> {
		const columns = roomPatchColumns(patch)
		const sets = columns.map(({ field, column }) => `${column} = @${field}`)
		const values: Record<string, unknown> = { roomId }
		for (const { field } of columns) values[field] = patch[field]
		if (sets.length === 0) return
		try {
			this.db.prepare(`UPDATE rooms SET ${sets.join(', ')} WHERE room_id = @roomId`).run(values)
		} catch (error) {
			if (isJoinCodeConflict(error)) throw new JoinCodeTakenError(patch.joinCode ?? '(current code)')
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

	/** Commits through the appender (the commit thread); resolves once durable. */
	appendUpdates(batch: StoredUpdate[]): Promise<void> {
		return this.appender.append(batch)
	}

	async compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		this.q.compact(roomId, snapshot, uptoSeq)
	}

	async replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void> {
		this.q.replaceDoc(roomId, snapshot, retiredClients)
	}

	async countUpdates(roomId: string): Promise<number> {
		return this.q.countUpdates.get(roomId)?.n ?? 0
	}
}
