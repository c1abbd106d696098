import fs from 'node:fs'
import { crc32 } from 'node:zlib'
import type { StoredUpdate } from './room-records'

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
 * The update log: makes a room update crash-safe with one `write()` — into the operating system's page cache,
 * which outlives the process (kill -9, out of memory, a crash) — so that it can be broadcast before SQLite has
 * committed it. The group commit then commits the updates of the turn to SQLite after the broadcast, and once
 * everything logged is in SQLite the log starts again at its start ({@link UpdateLog.stored}): it holds only
 * what SQLite may lack, about one turn of the event loop's updates. Nothing here is fsync'd: power safety comes,
 * as before, from SQLite's commit and the WAL's fdatasync after it.
 *
 * After a crash, the store reads the log back at start-up ({@link readUpdateLog}) and commits what it holds:
 * the updates SQLite lacks (and those of the last batch again when the process died between SQLite's commit and
 * {@link UpdateLog.stored}: a Yjs doc applies an update it already has as a no-op, and the next compaction folds
 * the copy away).
 *
 * The main thread writes the log and commits to SQLite, so "everything logged is stored" is known exactly.
 */
export class UpdateLog {
	private fd: number
	/** Where the next record goes. */
	private position = 0
	/** Sequence number of the next record (records of one generation follow each other). */
	private seq = 1
	/** Reused for each record, grown when one is larger. */
	private scratch = Buffer.allocUnsafe(4096)
	/** A room was deleted while records were outstanding: the file is emptied once they are stored. */
	private scrubPending = false
	/** Why the last append failed; null once one succeeded since. */
	private failure: string | null = null
	/** Tests: the size the file may not grow past, as on a full disk (writes inside it still succeed). */
	private fullAtForTesting: number | null = null

	/** Opens (creates) the log and empties it: read it back first ({@link readUpdateLog}). */
	constructor(readonly file: string) {
		this.fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o600)
		try {
			fs.ftruncateSync(this.fd, 0)
		} catch (error) {
			fs.closeSync(this.fd)
			throw error
		}
	}

	/** Bytes logged since the log last started again: 0 when SQLite holds everything logged. */
	get outstandingBytes(): number {
		return this.position
	}

	/** Not ok while the last append failed (a full disk, an I/O error), for `/api/health`. */
	health(): { ok: boolean; error?: string } {
		return this.failure === null ? { ok: true } : { ok: false, error: this.failure }
	}

	/** Logs one update with a single positional write; throws when the write fails (disk full, closed). */
	append(roomId: string, update: Uint8Array): void {
		if (this.fd < 0) throw new Error('the update log is closed')
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
		record.writeUInt32LE(crc32(record.subarray(0, end)), end)
		try {
			if (this.fullAtForTesting !== null && this.position + total > this.fullAtForTesting) {
				throw Object.assign(new Error('ENOSPC: no space left on device, write (simulated)'), { code: 'ENOSPC' })
			}
			let written = 0
			while (written < total) {
				written += fs.writeSync(this.fd, record, written, total - written, this.position + written)
			}
		} catch (error) {
			const err = error as NodeJS.ErrnoException
			this.failure = `${err.code && !err.message.startsWith(err.code) ? `${err.code}: ` : ''}${err.message}`
			throw error
		}
		this.failure = null
		this.position += total
		this.seq = (this.seq + 1) >>> 0
	}

	/**
	 * Everything logged so far is committed to SQLite: the next record starts the log again at its start (a new
	 * generation; what follows it on disk no longer reads back, see {@link readUpdateLog}).
	 */
	stored(): void {
		if (this.position === 0) return
		this.position = 0
		if (this.scrubPending) {
			this.scrub()
			return
		}
		// The first record's magic is cleared, so that a crash before the next record is written does not read
		// the stored generation back (a doc rebuilt since, to remove deleted content, must not get it again).
		if (this.fd >= 0) fs.writeSync(this.fd, NO_RECORD, 0, NO_RECORD.length, 0)
	}

	/**
	 * Empties the file (a room was deleted: none of its updates may stay on disk here), at once when SQLite holds
	 * everything logged, else as soon as it does ({@link UpdateLog.stored}).
	 */
	scrubWhenStored(): void {
		if (this.position === 0) this.scrub()
		else this.scrubPending = true
	}

	/** Closes the file, emptied: call it once everything logged is stored (after the group commit drained). */
	close(): void {
		if (this.fd < 0) return
		try {
			if (this.position === 0) fs.ftruncateSync(this.fd, 0)
		} finally {
			fs.closeSync(this.fd)
			this.fd = -1
		}
	}

	/**
	 * Tests: a full disk — the file cannot grow past its size now (what earlier records took is still allocated, so
	 * writes inside it succeed, as on a real full disk); `false` ends it.
	 */
	simulateFullForTesting(full: boolean): void {
		this.fullAtForTesting = full && this.fd >= 0 ? fs.fstatSync(this.fd).size : null
	}

	private scrub(): void {
		this.scrubPending = false
		if (this.fd >= 0) fs.ftruncateSync(this.fd, 0)
	}
}
