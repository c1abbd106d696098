import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { NoteEntry, NoteEntryPatch, NoteStatus } from './note-ledger'
import type { LoadedUpdates, RoomRecord, RoomRecordPatch, StoredUpdate } from './room-records'
import type { RoomStore } from './room-store'
import type { HiddenNote, VoteAllocation } from './session-tables'
import type { ScoreEntry } from './scores'
import type { BoardSnapshot, CarriedNote, TrajectRecord } from './trajects'
import { migrateSqlite, ROOM_UPDATES_REBUILD_VERSION, SQLITE_SCHEMA_VERSION } from './sqlite-migrations'
import { SqliteNoteLedger } from './sqlite-note-ledger'
import { SqliteRetiredClients } from './sqlite-retired-clients'
import { SqliteRoomLifecycle, truncateWal } from './sqlite-room-lifecycle'
import type { RoomSummary } from './room-lifecycle'
import { SqliteRoomRecords, type SqliteUpdateAppender } from './sqlite-room-records'
import { SqliteScores } from './sqlite-scores'
import { SqliteTrajects } from './sqlite-trajects'
import { SqliteSessionTables } from './sqlite-session-tables'
import { readUpdateLogs, UpdateLog, type LoggedUpdate } from './update-log'
import { UpdateCommitError, UpdateWriter } from './update-writer'
import { type Durability, MainThreadAppender, WalSyncer } from './wal-sync'
import { WalCheckpointer } from './wal-checkpointer'
import { WalGrowth } from './wal-growth'

/** Options of {@link SqliteRoomStore}. */
export interface SqliteRoomStoreOptions {
	/**
	 * `crash` (default): a write is answered once it is in the WAL (`synchronous=NORMAL`), which survives a kill -9
	 * of the process; the WAL is fdatasync'd right after, off the commit path ({@link WalSyncer}), so it survives a
	 * power cut a few ms later ({@link SqliteRoomStore.whenPowerSafe}). `power`: every commit is fsync'd before it is
	 * answered (`synchronous=FULL`).
	 */
	durability?: Durability
	/** The database file's name in the data directory (default `kompasbord.sqlite`). */
	fileName?: string
	/** Called when the commit thread ends unexpectedly (its pending appends reject; the next one restarts it). */
	onCommitThreadError?: (error: Error) => void
	/**
	 * Durability `crash`: keep an update log beside the file (`<file>-updates.log` and `<file>-updates.log.2`,
	 * {@link UpdateLog}), so that a room update is crash-safe with one write and is broadcast before SQLite commits
	 * it (in a later batch), and power-safe with the log's fdatasync a few ms after; at start-up the store commits
	 * what a crashed server left in it. Only the server itself may
	 * open its store so (the server turns it on): another process would empty the log of a running server.
	 */
	updateLog?: boolean
}

/** VACUUM, unless another connection keeps the database busy (then nothing changes). */
function vacuumIfIdle(db: Database.Database): void {
	try {
		db.exec('VACUUM')
	} catch (error) {
		if ((error as { code?: unknown }).code !== 'SQLITE_BUSY') throw error
	}
}

/**
 * Commits the updates a crashed server left in its update log (those of rooms that still exist: a room deleted
 * meanwhile keeps none) and checkpoints them into the database file, before the log is emptied.
 */
function replayUpdateLog(db: Database.Database, records: readonly LoggedUpdate[]): void {
	const insert = db.prepare(
		'INSERT INTO room_updates (room_id, data) SELECT @roomId, @data WHERE EXISTS (SELECT 1 FROM rooms WHERE room_id = @roomId)'
	)
	db.transaction(() => {
		for (const { roomId, update } of records) insert.run({ roomId, data: update })
	}).immediate()
	// Synced into the database file (a checkpoint syncs the WAL, then the file) before the log is emptied.
	truncateWal(db)
}

/** SQLite's default (and largest) `max_page_count`. */
const SQLITE_MAX_PAGE_COUNT = 4294967294

/**
 * SQLite's page cache on the main connection, in KiB (`cache_size = -N`; SQLite's default is 2000). This
 * connection reads each room once when it loads (its stored state is mostly overflow pages of one row, read
 * front to back), commits the batches of room updates (with `DURABILITY=crash`) and writes the REST routes' small
 * rows; a loaded room lives in memory, so its pages are not read again. With the default, the pages of the first rooms loaded stayed in the cache: about 4 MiB of RSS over the
 * first ten 1000-note rooms (S3) that the reference does not hold. The b-tree pages that are read on every lookup
 * fit many times over; a page not cached comes from the operating system's file cache.
 */
export const MAIN_PAGE_CACHE_KIB = 256

/** How long a write waits for the other connection's transaction (the commit thread's, or the main one's). */
const BUSY_TIMEOUT_MS = 5000

/**
 * The {@link RoomStore} on one SQLite file (better-sqlite3, WAL): opens the file, brings its schema up to date
 * ({@link migrateSqlite}) and hands each narrow store its part — {@link SqliteRoomRecords},
 * {@link SqliteRetiredClients}, {@link SqliteNoteLedger}, {@link SqliteSessionTables} — all on the main thread's
 * connection, where better-sqlite3 is synchronous, so a write is committed (crash-safe; fsync'd with durability
 * `power`) by the time its promise exists. Room updates, the hot path: with durability `crash` (default) they are
 * committed on this connection too ({@link MainThreadAppender}: no fsync, a write into the WAL) and
 * {@link WalSyncer} fdatasyncs the WAL right after on libuv's thread pool; with `power` an {@link UpdateWriter}
 * appends them on a worker thread with its own connection, so the main thread never waits on their fsync. WAL
 * checkpoints run on a thread of their own ({@link WalCheckpointer}), started with the first room update: a thread
 * is a V8 isolate of its own (about 10 MB), which an idle server does without. Until then this connection's
 * writes (room creation, health probes, compaction) are checkpointed by SQLite's automatic checkpoint. The thread
 * checkpoints by the WAL's growth: the appenders count their commits in a {@link WalGrowth} it reads.
 */
export class SqliteRoomStore implements RoomStore {
	/** The underlying database (main thread's connection). */
	readonly db: Database.Database
	readonly records: SqliteRoomRecords
	readonly retired: SqliteRetiredClients
	readonly notes: SqliteNoteLedger
	readonly session: SqliteSessionTables
	readonly lifecycle: SqliteRoomLifecycle
	readonly trajects: SqliteTrajects
	readonly scores: SqliteScores
	/** What a committed write survives; see {@link SqliteRoomStoreOptions.durability}. */
	readonly durability: Durability
	/** durability `power`: the commit thread; `crash`: the main connection and the WAL's fdatasync. */
	private readonly writer: UpdateWriter | null
	private readonly appender: MainThreadAppender | null
	private readonly syncer: WalSyncer | null
	/** Durability `crash` with {@link SqliteRoomStoreOptions.updateLog}: room updates are crash-safe in it first. */
	private readonly updateLog: UpdateLog | null
	private readonly file: string
	/** Started with the first room update (see {@link startCheckpointer}). */
	private checkpointer: WalCheckpointer | null = null
	/** What the room-update commits added to the WAL, for the checkpoint thread (counted from the start). */
	private readonly walGrowth = new WalGrowth()
	private closed = false

	constructor(dataDir: string, options: SqliteRoomStoreOptions = {}) {
		fs.mkdirSync(dataDir, { recursive: true })
		const file = path.join(dataDir, options.fileName ?? 'kompasbord.sqlite')
		const durability = options.durability ?? 'crash'
		// crash: no fsync in any commit (none stalls the event loop); the WalSyncer's fdatasync of the WAL makes them
		// power-safe shortly after.
		const synchronous = durability === 'power' ? 'FULL' : 'NORMAL'
		this.durability = durability
		this.db = new Database(file)
		try {
			this.db.pragma('journal_mode = WAL')
			this.db.pragma(`synchronous = ${synchronous}`)
			this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
			// Until the checkpoint thread starts (startCheckpointer), SQLite's automatic checkpoint does the work.
			// Deleted rows are overwritten with zeros (room deletion, retention, compaction), not left in free space.
			this.db.pragma('secure_delete = ON')
			this.db.pragma(`cache_size = -${MAIN_PAGE_CACHE_KIB}`)
			const found = migrateSqlite(this.db)
			// The rebuild of room_updates (step 9) left the old table's pages free, half the file of a large database
			// (and a free page or two in a new one): VACUUM gives them back, once. It needs no other connection in a
			// transaction; if one is, the file keeps its free pages, which later writes reuse.
			if (found < ROOM_UPDATES_REBUILD_VERSION) vacuumIfIdle(this.db)
			// A migration's writes (the rebuild: the whole table, with secure_delete its old pages' zeros) went
			// through the WAL: emptied at once, it does not stay on disk at the database's size.
			if (found < SQLITE_SCHEMA_VERSION) truncateWal(this.db)
		} catch (error) {
			this.db.close()
			throw error
		}
		let updateLog: UpdateLog | null = null
		if (options.updateLog && durability === 'crash') {
			const logFile = `${file}-updates.log`
			try {
				const leftover = readUpdateLogs(logFile)
				if (leftover.length) replayUpdateLog(this.db, leftover)
				updateLog = new UpdateLog(logFile)
			} catch (error) {
				this.db.close()
				throw error
			}
		}
		this.updateLog = updateLog
		this.logUpdateNow = updateLog
			? (roomId, update) => {
					try {
						updateLog.append(roomId, update)
					} catch (error) {
						// As a failed commit: the room reloads, a REST write answers 503 (store/store-errors.ts).
						const err = error as NodeJS.ErrnoException
						throw new UpdateCommitError(err.message, typeof err.code === 'string' ? err.code : null)
					}
				}
			: null
		if (durability === 'power') {
			this.writer = new UpdateWriter({
				file,
				synchronous: 'FULL',
				busyTimeoutMs: BUSY_TIMEOUT_MS,
				onThreadError: options.onCommitThreadError,
				walGrowth: this.walGrowth.buffer,
			})
			this.syncer = null
			this.appender = null
		} else {
			this.writer = null
			this.syncer = new WalSyncer(this.db, file)
			this.appender = new MainThreadAppender(this.db, this.syncer, this.walGrowth)
		}
		const mainThread = this.appender
		this.appendUpdatesNow = mainThread
			? (batch) => {
					this.startCheckpointer()
					mainThread.appendNow(batch)
				}
			: null
		this.file = file
		this.retired = new SqliteRetiredClients(this.db)
		const appender: SqliteUpdateAppender | null = this.writer ?? this.appender
		if (!appender) throw new Error('no update appender')
		this.records = new SqliteRoomRecords(this.db, appender, this.retired)
		this.notes = new SqliteNoteLedger(this.db)
		this.session = new SqliteSessionTables(this.db)
		this.lifecycle = new SqliteRoomLifecycle(this.db)
		this.trajects = new SqliteTrajects(this.db)
		this.scores = new SqliteScores(this.db)
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
	updateRoom(roomId: string, patch: RoomRecordPatch): Promise<void> {
		return this.records.updateRoom(roomId, patch)
	}
	loadUpdates(roomId: string): Promise<LoadedUpdates> {
		return this.records.loadUpdates(roomId)
	}
	/** Commits on the commit thread; resolves once durable, rejects with {@link UpdateCommitError}. */
	appendUpdates(batch: StoredUpdate[]): Promise<void> {
		this.startCheckpointer()
		return this.records.appendUpdates(batch)
	}
	/**
	 * Commits a batch at once on the main connection (durability `crash`, see {@link MainThreadAppender}): returns
	 * once committed, throws {@link UpdateCommitError}. Null with durability `power` (commits go through the
	 * commit thread): the group commit then only uses {@link SqliteRoomStore.appendUpdates}.
	 */
	readonly appendUpdatesNow: ((batch: readonly StoredUpdate[]) => void) | null
	/**
	 * Makes a room update crash-safe in the update log (one write; throws when it failed), for the group commit to
	 * commit after the broadcast; null without a log ({@link SqliteRoomStoreOptions.updateLog}).
	 */
	readonly logUpdateNow: ((roomId: string, update: Uint8Array) => void) | null
	/** A batch takes every logged update not yet committed: the mark of the last ({@link UpdateLog.batchTaken}). */
	logBatchTaken(): number {
		return this.updateLog?.batchTaken() ?? 0
	}
	/**
	 * The batch of `mark` is committed: once the WAL is fdatasync'd (SQLite then has it power-safe), what the update
	 * log holds of it goes ({@link UpdateLog.stored}).
	 */
	logStored(mark: number): void {
		const log = this.updateLog
		if (!log) return
		if (mark > this.loggedAndCommitted) this.loggedAndCommitted = mark
		const walSynced = this.syncer?.whenPowerSafe()
		if (walSynced) void walSynced.then(() => log.stored(mark))
		else log.stored(mark)
	}
	/** The last logged update committed to SQLite (its mark), for {@link SqliteRoomStore.close}. */
	private loggedAndCommitted = 0
	/**
	 * Resolves once every update logged or committed so far is power-safe (the update log's and the WAL's
	 * fdatasyncs); null when they are.
	 */
	whenPowerSafe(): Promise<void> | null {
		const logged = this.updateLog?.whenSynced() ?? null
		const committed = this.syncer?.whenPowerSafe() ?? null
		if (!logged) return committed
		if (!committed) return logged
		return Promise.all([logged, committed]).then(() => undefined)
	}
	/** Resolves once every update logged so far is power-safe in the update log (fdatasync'd); null when they are. */
	whenLogSynced(): Promise<void> | null {
		return this.updateLog?.whenSynced() ?? null
	}
	/** How long the oldest update or commit not yet power-safe has waited (ms). */
	powerSafeLagMs(): number {
		return Math.max(this.syncer?.lagMs() ?? 0, this.updateLog?.lagMs() ?? 0)
	}
	/** For `/api/health`: whether updates and commits become power-safe (the last fdatasyncs worked, none waits long). */
	powerSafeHealth(): { ok: boolean; error?: string } {
		const wal = this.syncer?.health() ?? { ok: true }
		return wal.ok ? (this.updateLog?.syncHealth() ?? wal) : wal
	}
	/** fdatasyncs of the WAL so far (durability `crash`; 0 with `power`, where SQLite syncs inside each commit). */
	get completedSyncs(): number {
		return this.syncer?.completedSyncs ?? 0
	}
	compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		return this.records.compact(roomId, snapshot, uptoSeq)
	}
	async replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void> {
		await this.records.replaceDoc(roomId, snapshot, retiredClients)
		// What the doc no longer holds does not stay on disk in the log either (as SQLite's secure_delete).
		this.updateLog?.scrubWhenStored()
	}
	countUpdates(roomId: string): Promise<number> {
		return this.records.countUpdates(roomId)
	}

	// Retired clients.
	listRetiredClients(roomId: string): Promise<number[]> {
		return this.retired.listRetiredClients(roomId)
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
	 * Whether the store can write, for `/api/health`: `store` writes one row on the main connection (a full
	 * disk or a read-only file fails here), `commitThread` is the commit thread's last outcome.
	 */
	// Room lifecycle.
	async deleteRoom(roomId: string): Promise<boolean> {
		const removed = await this.lifecycle.deleteRoom(roomId)
		this.updateLog?.scrubWhenStored()
		return removed
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
	setFacilitatorKeyHash(roomId: string, facilitatorKeyHash: string): Promise<void> {
		return this.lifecycle.setFacilitatorKeyHash(roomId, facilitatorKeyHash)
	}

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
		const appender = this.writer?.health() ?? this.appender?.health() ?? { ok: true }
		// With durability `crash` a room update is written to the update log first: its failure fails the check too.
		const commitThread = appender.ok ? (this.updateLog?.health() ?? appender) : appender
		return { store, commitThread }
	}

	/**
	 * Tests only: a full disk on demand. `full`: no connection may grow the database file any more
	 * (`PRAGMA max_page_count` at its current size on the main and the commit thread's connections), so a write
	 * that needs a new page fails with SQLITE_FULL as on a full disk, and the update log may not grow past its size
	 * ({@link UpdateLog.simulateFullForTesting}); `false` lifts the limits. Resolves with the
	 * database's size in pages and its free pages (space a write can still use) at that moment.
	 */
	async simulateDiskFullForTesting(full: boolean): Promise<{ pages: number; freePages: number }> {
		this.updateLog?.simulateFullForTesting(full)
		const wanted = full ? 1 : SQLITE_MAX_PAGE_COUNT
		const limit = this.writer
			? await this.writer.setMaxPageCountForTesting(wanted)
			: (this.db.pragma(`max_page_count = ${wanted}`, { simple: true }) as number)
		this.db.pragma(`max_page_count = ${limit}`)
		return {
			pages: this.db.pragma('page_count', { simple: true }) as number,
			freePages: this.db.pragma('freelist_count', { simple: true }) as number,
		}
	}

	/** Waits for the commit thread to commit what it has and close its connection, then closes the main one. */
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
		this.closed = true
		await this.writer?.close()
		this.syncer?.close()
		// The WAL is fdatasync'd now (unless that failed): what the log holds of the batches committed goes before it
		// closes; the rest stays for the next start to commit.
		if (this.loggedAndCommitted && (this.syncer?.health().ok ?? true)) this.updateLog?.stored(this.loggedAndCommitted)
		this.updateLog?.close()
		await this.checkpointer?.close()
		if (this.db.open) this.db.close()
	}

	/**
	 * The first room update: from now on checkpoints run on the checkpoint thread, never in a committing
	 * connection (this one's automatic checkpoint is switched off, as the commit thread's is).
	 */
	private startCheckpointer(): void {
		if (this.checkpointer || this.closed) return
		if (this.db.open) this.db.pragma('wal_autocheckpoint = 0')
		this.checkpointer = new WalCheckpointer({ file: this.file, busyTimeoutMs: BUSY_TIMEOUT_MS, growth: this.walGrowth })
	}
}
