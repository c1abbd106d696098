// The commit thread of the room store: owns a second better-sqlite3 connection to the same WAL database and
// appends room updates there, so the main thread never waits on the fsync. Plain ESM with JSDoc types (no
// TypeScript), so that it runs unchanged under tsx, in vitest and from a deployed copy of the sources.
//
// Protocol (see update-writer.ts):
//   in:  { type: 'append', id, roomIds: string[], lengths: Uint32Array, data: Uint8Array }  (ids increase)
//        { type: 'close' }
//        { type: 'maxPageCount', value }             tests only: PRAGMA max_page_count (a full disk, on demand)
//   out: { type: 'committed', upTo }              every append with id <= upTo is durable
//        { type: 'failed', upTo, message, code }  every append with id <= upTo not acknowledged yet failed
//        { type: 'closed' }
//        { type: 'maxPageCount', value }             the limit now in force
// Group commit: after a transaction, every append that arrived meanwhile is taken off the port at once and
// written in the next one.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

/**
 * @typedef {{ type: 'append', id: number, roomIds: string[], lengths: Uint32Array, data: Uint8Array }} AppendMessage
 * @typedef {AppendMessage | { type: 'close' } | { type: 'maxPageCount', value: number }} InMessage
 */

if (!parentPort) throw new Error('update-writer.worker.mjs runs as a worker thread only')
const port = parentPort

/** @type {{ file: string, synchronous: 'FULL' | 'NORMAL', busyTimeoutMs: number, walGrowth: SharedArrayBuffer | null }} */
const options = workerData
// The WalGrowth counters (wal-growth.ts: slot 0 transactions, slot 1 update bytes), read by the checkpoint thread.
const walGrowth = options.walGrowth ? new Uint32Array(options.walGrowth) : null
const db = new Database(options.file, { fileMustExist: true })
db.pragma(`synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`)
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
	if (walGrowth) {
		let bytes = 0
		for (const { data } of appends) bytes += data.byteLength
		Atomics.add(walGrowth, 0, 1)
		Atomics.add(walGrowth, 1, bytes)
	}
	port.postMessage({ type: 'committed', upTo })
}

function close() {
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
