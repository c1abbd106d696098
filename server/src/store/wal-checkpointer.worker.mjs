// The WAL checkpoint thread of the room store: its own better-sqlite3 connection to the database runs a PASSIVE
// checkpoint at a fixed interval. A checkpoint copies the WAL back into the database file and fsyncs it; run by
// a committing connection (SQLite's automatic checkpoint) it would hold up every commit behind it for tens of
// milliseconds, whereas a PASSIVE checkpoint on a connection of its own runs beside the writers and readers.
// Plain ESM with JSDoc types, like update-writer.worker.mjs.
//
// Protocol: in { type: 'close' } → runs a last checkpoint, closes the connection, out { type: 'closed' }.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

if (!parentPort) throw new Error('wal-checkpointer.worker.mjs runs as a worker thread only')
const port = parentPort

/** @type {{ file: string, intervalMs: number, busyTimeoutMs: number }} */
const options = workerData
const db = new Database(options.file, { fileMustExist: true })
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
// As on every connection to the file: deleted content is overwritten with zeros (see sqlite-room-lifecycle.ts).
db.pragma('secure_delete = ON')

function checkpoint() {
	try {
		db.pragma('wal_checkpoint(PASSIVE)')
	} catch (error) {
		// Busy or I/O trouble: the next round tries again; the WAL keeps every commit meanwhile.
		console.warn(`[kompasbord] WAL checkpoint failed: ${error instanceof Error ? error.message : String(error)}`)
	}
}

const timer = setInterval(checkpoint, Math.max(10, options.intervalMs))

port.on('message', (/** @type {{ type: string }} */ message) => {
	if (message.type !== 'close') return
	clearInterval(timer)
	checkpoint()
	db.close()
	port.postMessage({ type: 'closed' })
	port.close()
})
