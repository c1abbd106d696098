// The commit thread of the room store: owns a second better-sqlite3 connection to the same WAL database and
// appends room updates there, so the main thread never waits on the disk. Plain ESM with JSDoc types (no
// TypeScript), so that it runs unchanged under tsx, in vitest and from a deployed copy of the sources.
//
// Durability (workerData.durability, see update-writer.ts):
//   'power': synchronous=FULL, SQLite fsyncs the WAL inside every commit: 'committed' means power-safe.
//   'crash': synchronous=NORMAL, a commit is written into the WAL (the OS page cache: it survives a kill -9 of the
//            process, not a power cut) and answered at once; then the WAL file is fdatasync'd off the commit path
//            (group fsync: one fdatasync covers every commit written before it started, commits made while it runs
//            wait for the next one) and 'synced' says up to which append that is power-safe. Commits never wait
//            for an fdatasync. Writes of the other connections (main thread) are noticed by `PRAGMA data_version`
//            and synced the same way within POLL_MS.
//
// Protocol (see update-writer.ts):
//   in:  { type: 'append', id, roomIds: string[], lengths: Uint32Array, data: Uint8Array }  (ids increase)
//        { type: 'close' }
//        { type: 'maxPageCount', value }             tests only: PRAGMA max_page_count (a full disk, on demand)
//   out: { type: 'committed', upTo }              every append with id <= upTo is committed (crash-safe)
//        { type: 'synced', upTo }                 … and power-safe (fdatasync of the WAL done; 'crash' only)
//        { type: 'syncFailed', message, code }    the fdatasync failed (the next commit tries again)
//        { type: 'failed', upTo, message, code }  every append with id <= upTo not acknowledged yet failed
//        { type: 'closed' }
//        { type: 'maxPageCount', value }             the limit now in force
// Group commit: after a transaction, every append that arrived meanwhile is taken off the port at once and
// written in the next one.
import fs from 'node:fs'
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/**
 * @typedef {{ type: 'append', id: number, roomIds: string[], lengths: Uint32Array, data: Uint8Array }} AppendMessage
 * @typedef {AppendMessage | { type: 'close' } | { type: 'maxPageCount', value: number }} InMessage
 */

if (!parentPort) throw new Error('update-writer.worker.mjs runs as a worker thread only')
const port = parentPort

/** @type {{ file: string, durability: 'crash' | 'power', busyTimeoutMs: number, committedUpTo: number }} */
const options = workerData
const walSync = options.durability === 'crash'
const db = new Database(options.file, { fileMustExist: true })
db.pragma(`synchronous = ${walSync ? 'NORMAL' : 'FULL'}`)
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
// No checkpoint in the commit path: the checkpoint thread (wal-checkpointer.worker.mjs) does it beside us.
db.pragma('wal_autocheckpoint = 0')
// As on every connection to the file: deleted content is overwritten with zeros (see sqlite-room-lifecycle.ts).
db.pragma('secure_delete = ON')
const insert = db.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)')
const appendAll = db.transaction((/** @type {AppendMessage[]} */ appends) => {
	for (const { roomIds, lengths, data } of appends) {
		let offset = 0
		for (let i = 0; i < roomIds.length; i++) {
			const end = offset + lengths[i]
			insert.run(roomIds[i], data.subarray(offset, end))
			offset = end
		}
	}
})

/** How often the other connections' commits are looked for (`PRAGMA data_version`), in ms. */
const POLL_MS = 20
const walFile = `${options.file}-wal`
/** The WAL file, opened for fdatasync; reopened when the file was replaced (another inode). */
let walFd = -1
let walIno = -1
/** Highest append id committed, and the highest one a finished fdatasync covers. */
let committedUpTo = options.committedUpTo
let syncedUpTo = -1
let syncing = false
/** A sync was asked for while one ran (a commit, or another connection's write). */
let syncAgain = false
/** When the last fdatasync failed (performance.now()); a failed sync is retried at most once a second. */
let failedAt = Number.NEGATIVE_INFINITY
/** How long after a failed fdatasync the next one is tried without a new commit (ms). */
const RETRY_MS = 1000
let lastDataVersion = walSync ? db.pragma('data_version', { simple: true }) : 0

/** @returns {number} the WAL's descriptor, or -1 when there is no WAL file (nothing to sync). */
function walDescriptor() {
	let ino
	try {
		ino = fs.statSync(walFile).ino
	} catch {
		return -1
	}
	if (walFd >= 0 && ino === walIno) return walFd
	// The old descriptor is closed unless an fdatasync still uses it (only at close: then it is left to the process).
	if (walFd >= 0 && !syncing) fs.closeSync(walFd)
	walFd = fs.openSync(walFile, 'r')
	walIno = fs.fstatSync(walFd).ino
	return walFd
}

/** Starts an fdatasync of the WAL unless one runs (then one more follows it). */
function requestSync() {
	if (!walSync || closed) return
	if (syncing) {
		syncAgain = true
		return
	}
	const target = committedUpTo
	const done = (/** @type {NodeJS.ErrnoException | null} */ error) => {
		syncing = false
		if (closed) {
			if (walFd >= 0) fs.closeSync(walFd)
			walFd = -1
			return
		}
		if (error) {
			failedAt = performance.now()
			port.postMessage({ type: 'syncFailed', message: error.message, code: error.code ?? null })
			return
		}
		syncedUpTo = target
		port.postMessage({ type: 'synced', upTo: target })
		if (syncAgain || committedUpTo > syncedUpTo) requestSync()
	}
	let fd
	try {
		fd = walDescriptor()
	} catch (error) {
		done(/** @type {NodeJS.ErrnoException} */ (error))
		return
	}
	syncing = true
	syncAgain = false
	if (fd < 0) done(null)
	else fs.fdatasync(fd, done)
}

/** Commits of the other connections (the main thread's writes) get the same fdatasync. */
function pollOtherWrites() {
	if (!syncing && committedUpTo > syncedUpTo && performance.now() - failedAt >= RETRY_MS) requestSync()
	try {
		const version = db.pragma('data_version', { simple: true })
		if (version !== lastDataVersion) {
			lastDataVersion = version
			requestSync()
		}
	} catch {
		// The connection is closing.
	}
}

/** @type {ReturnType<typeof setInterval> | null} */
let pollTimer = null
let closed = false
if (walSync) {
	pollTimer = setInterval(pollOtherWrites, POLL_MS)
	// What an earlier commit thread committed (it ended before its sync) is covered by this first sync.
	requestSync()
}

/** @returns {InMessage | undefined} the next message already waiting on the port */
function nextWaiting() {
	return receiveMessageOnPort(port)?.message
}

/** @param {AppendMessage[]} appends */
function commit(appends) {
	const upTo = appends[appends.length - 1].id
	try {
		// BEGIN IMMEDIATE: take the write lock up front (waiting up to busy_timeout for the main connection).
		appendAll.immediate(appends)
	} catch (error) {
		const err = /** @type {{ message?: string, code?: string }} */ (error)
		port.postMessage({ type: 'failed', upTo, message: String(err?.message ?? error), code: err?.code ?? null })
		return
	}
	committedUpTo = upTo
	port.postMessage({ type: 'committed', upTo })
	requestSync()
}

function close() {
	closed = true
	if (pollTimer) clearInterval(pollTimer)
	if (walSync) {
		// Everything committed is power-safe before the thread ends.
		try {
			const fd = walDescriptor()
			if (fd >= 0) fs.fdatasyncSync(fd)
			port.postMessage({ type: 'synced', upTo: committedUpTo })
		} catch (error) {
			const err = /** @type {NodeJS.ErrnoException} */ (error)
			port.postMessage({ type: 'syncFailed', message: err.message, code: err.code ?? null })
		}
		// An fdatasync still running uses the descriptor: its callback closes it.
		if (walFd >= 0 && !syncing) {
			fs.closeSync(walFd)
			walFd = -1
		}
	}
	db.close()
	port.postMessage({ type: 'closed' })
	port.close()
}

port.on('message', (/** @type {InMessage} */ first) => {
	/** @type {InMessage | undefined} */
	let message = first
	while (message) {
		/** @type {AppendMessage[]} */
		const appends = []
		let closing = false
		/** @type {number | null} */
		let maxPageCount = null
		for (; message; message = nextWaiting()) {
			if (message.type === 'close') {
				closing = true
				break
			}
			if (message.type === 'maxPageCount') {
				maxPageCount = message.value
				break
			}
			appends.push(message)
		}
		if (appends.length) commit(appends)
		if (closing) return close()
		if (maxPageCount !== null) {
			port.postMessage({ type: 'maxPageCount', value: db.pragma(`max_page_count = ${maxPageCount}`, { simple: true }) })
		}
		message = nextWaiting()
	}
})
