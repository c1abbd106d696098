import fs from 'node:fs'
import { crc32 } from 'node:zlib'
import { writeLogRecord } from './log-record-write'
import type { StoredUpdate } from './room-records'
import { type POWER_SAFE_LAG_LIMIT_MS, SyncProgress } from './sync-progress'

/**
 * Record layout: magic (u32), sequence number (u32), room id bytes (u16), reserved (u16), update bytes (u32),
 * then the room id (UTF-8), the update, and a CRC-32 (u32) of everything before it. Little-endian.
 */
const MAGIC = 0x4b4c4f47 // "KLOG"
const HEADER_BYTES = 16
const CRC_BYTES = 4
/** Room ids are short (nanoid); this is the format's limit, not a rule of the store. */
const MAX_ROOM_ID_BYTES = 0xffff
/** Written over the first record's magic when the log starts again. */
const NO_RECORD = Buffer.alloc(4)

/** A record read back from the log: an update with the room it belongs to, in the order they were logged. */
export interface LoggedUpdate extends StoredUpdate {
	seq: number
}

/**
 * Reads the records of a log file from its start, in order, up to the first that is not whole and valid or that
 * does not follow its predecessor (sequence number + 1): what lies beyond it is the rest of a record an earlier,
 * shorter one overwrote, or of an older generation of the log. Returns [] for a missing file.
 */
export function readUpdateLog(file: string): LoggedUpdate[] {
	let bytes: Buffer
	try {
		bytes = fs.readFileSync(file)
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
		throw error
	}
	const records: LoggedUpdate[] = []
	let offset = 0
	let expected: number | null = null
	while (offset + HEADER_BYTES + CRC_BYTES <= bytes.length) {
		if (bytes.readUInt32LE(offset) !== MAGIC) break
		const seq = bytes.readUInt32LE(offset + 4)
		if (expected !== null && seq !== expected) break
		const roomIdBytes = bytes.readUInt16LE(offset + 8)
		const updateBytes = bytes.readUInt32LE(offset + 12)
		const end = offset + HEADER_BYTES + roomIdBytes + updateBytes
		if (end + CRC_BYTES > bytes.length) break
		if (crc32(bytes.subarray(offset, end)) !== bytes.readUInt32LE(end)) break
		const roomStart = offset + HEADER_BYTES
		records.push({
			seq,
			roomId: bytes.toString('utf8', roomStart, roomStart + roomIdBytes),
			update: new Uint8Array(bytes.subarray(roomStart + roomIdBytes, end)),
		})
		expected = (seq + 1) >>> 0
		offset = end + CRC_BYTES
	}
	return records
}

/**
 * Reads what the update log's files hold ({@link updateLogFiles}), each as {@link readUpdateLog} reads one, in the
 * order the records were logged (their sequence numbers: the files take turns, see {@link UpdateLog}).
 */
export function readUpdateLogs(file: string): LoggedUpdate[] {
	return updateLogFiles(file)
		.flatMap((each) => readUpdateLog(each))
		.sort((a, b) => a.seq - b.seq)
}

/** The update log's two files: `file` and `file` with `.2` added. */
export function updateLogFiles(file: string): [string, string] {
	return [file, `${file}.2`]
}

/** How long after a failed fdatasync of the log the next one is tried without a new record (ms). */
const SYNC_RETRY_MS = 1000

/** One of the log's two files: where its next record goes, the last record in it, whether it was synced since. */
interface LogFile {
	fd: number
	/** Where the next record goes; 0 when the file holds nothing the store may lack. */
	position: number
	/** Sequence number of the last record written into it. */
	lastSeq: number
	/** Written since its last fdatasync started. */
	dirty: boolean
	/** Emptied (not only cleared) once it holds nothing the store may lack: a room was deleted. */
	scrub: boolean
}

/**
 * The update log: makes a room update crash-safe with one `write()` — into the operating system's page cache,
 * which outlives the process (kill -9, out of memory, a crash) — so that it can be broadcast before SQLite has
 * committed it, and power-safe a few milliseconds later with an `fdatasync` of the log on libuv's thread pool
 * (group fsync: one covers every record written before it started; it starts at the end of the turn of the event
 * loop, after the broadcasts, see {@link UpdateLog.whenSynced}). The group commit then commits the updates to
 * SQLite in batches, at its own pace (`STORE_COMMIT_PACE_MS` in group-commit.ts): the log, not SQLite's WAL, is what makes an
 * update power-safe, so the store's pace no longer bounds how long that takes.
 *
 * Two files take turns, so that neither is overwritten while it holds the only power-safe copy of an update: a
 * batch takes every record logged so far ({@link UpdateLog.batchTaken}), and records from then on go to the other
 * file if that one is free; once the batch is committed to SQLite *and* SQLite's WAL is fdatasync'd
 * ({@link UpdateLog.stored}), every file that holds nothing newer starts again at its start (a new generation;
 * the first record's magic is cleared, so what follows on disk no longer reads back, see {@link readUpdateLog}).
 * So the files hold only what SQLite may lack: about one batch of updates.
 *
 * After a crash, the store reads the files back at start-up ({@link readUpdateLogs}) and commits what they hold
 * (and what an earlier batch already committed, when the process died before {@link UpdateLog.stored}: a Yjs doc
 * applies an update it already has as a no-op, and the next compaction folds the copy away).
 *
 * The main thread writes the log and commits to SQLite, so "everything logged is stored" is known exactly.
 */
export class UpdateLog {
	private readonly files: [LogFile, LogFile]
	/** The file records go to now. */
	private active: LogFile
	/** Sequence number of the next record (records of one generation of a file follow each other). */
	private seq = 1
	/** Reused for each record, grown when one is larger. */
	private scratch = Buffer.allocUnsafe(4096)
	/** Why the last append failed; null once one succeeded since. */
	private failure: string | null = null
	/** Tests: the sizes the files may not grow past, as on a full disk (writes inside them still succeed). */
	private fullAtForTesting: Map<LogFile, number> | null = null
	private closed = false
	// The group fdatasync of the files.
	private syncing = false
	/** Records written, and which of them a finished fdatasync covers. */
	private readonly progress = new SyncProgress(() => this.sync())
	private syncFailure: string | null = null
	private syncRetry: NodeJS.Timeout | null = null
	/** A file whose descriptor an fdatasync still used when the log closed: closed by its callback. */
	private closeAfterSync: number[] = []

	/** Opens (creates) the log's two files ({@link updateLogFiles}) and empties them: read them back first ({@link readUpdateLogs}). */
	constructor(readonly file: string) {
		const opened: LogFile[] = []
		try {
			for (const each of updateLogFiles(file)) {
				const fd = fs.openSync(each, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600)
				opened.push({ fd, position: 0, lastSeq: 0, dirty: false, scrub: false })
				fs.ftruncateSync(fd, 0)
			}
		} catch (error) {
			for (const f of opened) fs.closeSync(f.fd)
			throw error
		}
		this.files = [opened[0], opened[1]]
		this.active = this.files[0]
	}

	/** Bytes logged that the store may lack (both files): 0 when SQLite holds everything logged, power-safe. */
	get outstandingBytes(): number {
		return this.files[0].position + this.files[1].position
	}

	/** The sequence number of the last record logged (0: none yet). */
	get lastSeq(): number {
		return this.seq - 1
	}

	/** Not ok while the last append failed (a full disk, an I/O error), for `/api/health`. */
	health(): { ok: boolean; error?: string } {
		return this.failure === null ? { ok: true } : { ok: false, error: this.failure }
	}

	/**
	 * Not ok while the last fdatasync of the log failed, or a record has waited longer than
	 * {@link POWER_SAFE_LAG_LIMIT_MS} for one: for the `powerSafe` health check.
	 */
	syncHealth(): { ok: boolean; error?: string } {
		return this.progress.health(this.syncFailure, { file: 'the update log', writes: 'updates' })
	}

	/**
	 * Logs one update with a single positional write; throws when the write fails (disk full, closed). On a full
	 * disk the other file is tried when it is free: it may have room where the active one cannot grow.
	 */
	append(roomId: string, update: Uint8Array): void {
		try {
			this.appendTo(this.active, roomId, update)
		} catch (error) {
			const other = this.files[0] === this.active ? this.files[1] : this.files[0]
			if ((error as NodeJS.ErrnoException).code !== 'ENOSPC' || other.position !== 0 || other.fd < 0) throw error
			this.appendTo(other, roomId, update)
			this.active = other
		}
	}

	private appendTo(file: LogFile, roomId: string, update: Uint8Array): void {
		if (this.closed || file.fd < 0) throw new Error('the update log is closed')
		const roomIdBytes = Buffer.byteLength(roomId)
		if (roomIdBytes > MAX_ROOM_ID_BYTES) throw new Error('room id too long for the update log')
		const end = HEADER_BYTES + roomIdBytes + update.byteLength
		const total = end + CRC_BYTES
		if (this.scratch.length < total) this.scratch = Buffer.allocUnsafe(Math.max(total, this.scratch.length * 2))
		const record = this.scratch
		record.writeUInt32LE(MAGIC, 0)
		record.writeUInt32LE(this.seq, 4)
		record.writeUInt16LE(roomIdBytes, 8)
		record.writeUInt16LE(0, 10)
		record.writeUInt32LE(update.byteLength, 12)
		record.write(roomId, HEADER_BYTES, 'utf8')
		record.set(update, HEADER_BYTES + roomIdBytes)
		try {
			const fullAt = this.fullAtForTesting?.get(file)
			if (fullAt !== undefined && file.position + total > fullAt) {
				throw Object.assign(new Error('ENOSPC: no space left on device, write (simulated)'), { code: 'ENOSPC' })
			}
			// The CRC-32 of the record goes after it (one call into our addon where it is built).
			writeLogRecord(file.fd, record, end, file.position)
		} catch (error) {
			const err = error as NodeJS.ErrnoException
			this.failure = `${err.code && !err.message.startsWith(err.code) ? `${err.code}: ` : ''}${err.message}`
			throw error
		}
		this.failure = null
		file.position += total
		file.lastSeq = this.seq
		file.dirty = true
		this.progress.wrote()
		this.seq = (this.seq + 1) >>> 0
		this.progress.requestAtEndOfTurn()
	}

	/**
	 * A batch takes every record logged so far to the store: returns the last one's sequence number (0: none), for
	 * {@link UpdateLog.stored} once that batch is committed and power-safe in SQLite. Records from now on go to the
	 * other file when it is free (holds nothing the store may lack); otherwise on into this one.
	 */
	batchTaken(): number {
		const other = this.files[0] === this.active ? this.files[1] : this.files[0]
		if (this.active.position > 0 && other.position === 0 && other.fd >= 0) this.active = other
		return this.lastSeq
	}

	/**
	 * Everything logged up to `upTo` is committed to SQLite and power-safe there (its WAL fdatasync'd): each file that
	 * holds nothing newer starts again at its start — emptied, if a room was deleted meanwhile.
	 */
	stored(upTo: number): void {
		for (const file of this.files) {
			if (file.position === 0 || file.lastSeq > upTo || file.fd < 0) continue
			file.position = 0
			if (file.scrub) {
				file.scrub = false
				fs.ftruncateSync(file.fd, 0)
			} else {
				// The first record's magic is cleared, so that a crash before the next record is written does not read
				// the stored generation back (a doc rebuilt since, to remove deleted content, must not get it again).
				fs.writeSync(file.fd, NO_RECORD, 0, NO_RECORD.length, 0)
			}
		}
	}

	/**
	 * Empties the files (a room was deleted: none of its updates may stay on disk here): each at once when it holds
	 * nothing the store may lack, else as soon as it does ({@link UpdateLog.stored}).
	 */
	scrubWhenStored(): void {
		for (const file of this.files) {
			if (file.fd < 0) continue
			if (file.position === 0) fs.ftruncateSync(file.fd, 0)
			else file.scrub = true
		}
	}

	/** Resolves once every record logged so far is power-safe (fdatasync'd); null when they are. */
	whenSynced(): Promise<void> | null {
		return this.progress.whenSynced()
	}

	/** How long the oldest record not yet power-safe has waited (ms); 0 when every record is. */
	lagMs(now = performance.now()): number {
		return this.progress.lagMs(now)
	}

	/**
	 * Closes the files: they are fdatasync'd first (what they hold is then power-safe for the next start to commit),
	 * and emptied when they hold nothing the store may lack — call {@link UpdateLog.stored} first for what is.
	 */
	close(): void {
		if (this.closed) return
		this.closed = true
		if (this.syncRetry) clearTimeout(this.syncRetry)
		for (const file of this.files) {
			if (file.fd < 0) continue
			try {
				// (Also a file whose fdatasync is still running: it may not cover the last records.)
				if (file.position === 0) fs.ftruncateSync(file.fd, 0)
				else fs.fdatasyncSync(file.fd)
			} finally {
				if (this.syncing) this.closeAfterSync.push(file.fd)
				else fs.closeSync(file.fd)
				file.fd = -1
			}
		}
		this.progress.syncedUpTo(this.progress.lastWritten)
	}

	/**
	 * Tests: a full disk — the files cannot grow past their sizes now (what earlier records took is still
	 * allocated, so writes inside it succeed, as on a real full disk); `false` ends it.
	 */
	simulateFullForTesting(full: boolean): void {
		this.fullAtForTesting = full
			? new Map(this.files.filter((f) => f.fd >= 0).map((f) => [f, fs.fstatSync(f.fd).size]))
			: null
	}

	private sync(): void {
		// One at a time: a sync asked for meanwhile follows a record written meanwhile, which the end of this one sees.
		if (this.closed || this.syncing) return
		const target = this.progress.lastWritten
		const files = this.files.filter((f) => f.dirty && f.fd >= 0)
		for (const f of files) f.dirty = false
		if (files.length === 0) {
			this.progress.syncedUpTo(target)
			return
		}
		this.syncing = true
		let next = 0
		const step = (error: NodeJS.ErrnoException | null): void => {
			if (error || this.closed) {
				this.syncing = false
				for (const fd of this.closeAfterSync.splice(0)) fs.closeSync(fd)
				if (this.closed) return
				// Written again by the next attempt: the failed fdatasync may have covered none of it.
				for (const f of files) f.dirty = true
				this.syncFailure = `${error?.code ? `${error.code}: ` : ''}${error?.message ?? String(error)}`
				this.syncRetry ??= setTimeout(() => {
					this.syncRetry = null
					this.sync()
				}, SYNC_RETRY_MS)
				this.syncRetry.unref()
				return
			}
			if (next < files.length) {
				fs.fdatasync(files[next++].fd, step)
				return
			}
			this.syncing = false
			this.syncFailure = null
			this.progress.syncedUpTo(target)
			if (this.progress.behind) this.progress.requestAtEndOfTurn()
		}
		step(null)
	}
}
