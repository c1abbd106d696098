// The WAL checkpoint thread of the room store: its own better-sqlite3 connection to the database runs a PASSIVE
// checkpoint once the WAL has grown enough. A checkpoint copies the WAL back into the database file and fsyncs it;
// run by a committing connection (SQLite's automatic checkpoint) it would hold up every commit behind it for tens
// of milliseconds, whereas a PASSIVE checkpoint on a connection of its own runs beside the writers and readers.
// Plain ESM with JSDoc types, like update-writer.worker.mjs.
//
// When (see wal-checkpointer.ts): every pollMs the thread reads the WalGrowth counters (wal-growth.ts: slot 0
// transactions, slot 1 update bytes, both wrapping at 2^32) that the committing thread adds to, and checkpoints
// once the pages they stand for since the last checkpoint reach `pages` and the last checkpoint is minIntervalMs
// old; or, when none ran for idleMs, if anything
// was committed meanwhile (the counters moved, or `PRAGMA data_version` did: another connection's commit of
// anything, counted or not). Not by the clock: each complete checkpoint makes the next commit restart the WAL
// and fsync its header on the committing thread.
//
// Protocol: out { type: 'ready' } once it has read data_version (commits from then on are seen);
//           out { type: 'checkpointed' } after each checkpoint that ran;
//           in { type: 'close' } → runs a last checkpoint, closes the connection, out { type: 'closed' }.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

if (!parentPort) throw new Error('wal-checkpointer.worker.mjs runs as a worker thread only')
const port = parentPort

/**
 * @type {{ file: string, busyTimeoutMs: number, growth: SharedArrayBuffer, pages: number,
 *   pagesPerTransaction: number, pageBytes: number, idleMs: number, minIntervalMs: number, pollMs: number }}
 */
const options = workerData
const db = new Database(options.file, { fileMustExist: true })
db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`)
// As on every connection to the file: deleted content is overwritten with zeros (see sqlite-room-lifecycle.ts).
db.pragma('secure_delete = ON')
const dataVersion = db.prepare('PRAGMA data_version').pluck()

const growth = new Uint32Array(options.growth)
/**
 * The counters and data_version as the last checkpoint (or idle look) found them. The counters from zero: what
 * was counted before this thread got going (it takes tens of milliseconds to start) counts towards the first
 * checkpoint.
 */
let transactionsAt = 0
let bytesAt = 0
let versionAt = dataVersion.get()
/** When the last checkpoint ran, or the idle bound last found nothing to do (performance.now()). */
let lookedAt = performance.now()
/** When the last checkpoint ran, complete or not (performance.now()). */
let checkpointedAt = Number.NEGATIVE_INFINITY
// From here on a commit of any connection moves data_version past versionAt.
port.postMessage({ type: 'ready' })

/** Pages the counted commits since the last checkpoint stand for. */
function pagesSinceCheckpoint() {
	const transactions = (Atomics.load(growth, 0) - transactionsAt) >>> 0
	const bytes = (Atomics.load(growth, 1) - bytesAt) >>> 0
	return transactions * options.pagesPerTransaction + Math.floor(bytes / options.pageBytes)
}

function checkpoint() {
	// Read before the checkpoint: commits made while it runs count towards the next one.
	const transactions = Atomics.load(growth, 0)
	const bytes = Atomics.load(growth, 1)
	checkpointedAt = performance.now()
	try {
		const version = dataVersion.get()
		const [result] = /** @type {{ busy: number, log: number, checkpointed: number }[]} */ (
			db.pragma('wal_checkpoint(PASSIVE)')
		)
		port.postMessage({ type: 'checkpointed' })
		// A reader still using older frames (or another checkpoint) kept it from copying the whole WAL: the next
		// poll tries again, as SQLite's automatic checkpoint does at every commit past its threshold.
		if (result.busy !== 0 || result.checkpointed < result.log) return
		transactionsAt = transactions
		bytesAt = bytes
		versionAt = version
		lookedAt = performance.now()
	} catch (error) {
		// Busy or I/O trouble: the next poll tries again; the WAL keeps every commit meanwhile.
		console.warn(`[kompasbord] WAL checkpoint failed: ${error instanceof Error ? error.message : String(error)}`)
	}
}

function poll() {
	if (pagesSinceCheckpoint() >= options.pages) {
		if (performance.now() - checkpointedAt >= options.minIntervalMs) checkpoint()
		return
	}
	if (performance.now() - lookedAt < options.idleMs) return
	try {
		if (pagesSinceCheckpoint() > 0 || dataVersion.get() !== versionAt) {
			checkpoint()
			return
		}
	} catch (error) {
		console.warn(`[kompasbord] WAL checkpoint failed: ${error instanceof Error ? error.message : String(error)}`)
	}
	// Nothing committed: look again one idle bound later.
	lookedAt = performance.now()
}

const timer = setInterval(poll, Math.max(10, options.pollMs))

port.on('message', (/** @type {{ type: string }} */ message) => {
	if (message.type !== 'close') return
	clearInterval(timer)
	checkpoint()
	db.close()
	port.postMessage({ type: 'closed' })
	port.close()
})
