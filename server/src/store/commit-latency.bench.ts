/**
 * Commit latency of the two ways room updates are appended, side by side in one process (not part of `npm test`;
 * docs/benchmarks.md, "Durability"): updates arrive at a fixed rate and each is timed from its arrival to its
 * commit (what the broadcast waits for) and to power-safe.
 *
 * - `power`: the commit thread ({@link UpdateWriter}, its own connection, `synchronous=FULL`);
 * - `crash`: the main thread's connection ({@link MainThreadAppender}, `synchronous=NORMAL`), group-committed per
 *   turn of the event loop as the GroupCommitter does, and {@link WalSyncer}'s fdatasync of the WAL after.
 *
 * Run pinned to one core like the benchmark's server: `taskset -c 0 node --import tsx server/src/store/commit-latency.bench.ts [rate] [seconds] [rounds]`
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { UpdateWriter } from './update-writer'
import { MainThreadAppender, WalSyncer } from './wal-sync'

const [rate = 1000, seconds = 4, rounds = 2] = process.argv.slice(2).map(Number)

function database(synchronous: 'FULL' | 'NORMAL'): { dir: string; file: string; db: Database.Database } {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-commit-latency-'))
	const file = path.join(dir, 'bench.sqlite')
	const db = new Database(file)
	db.pragma('journal_mode = WAL')
	db.pragma(`synchronous = ${synchronous}`)
	db.exec('CREATE TABLE room_updates (seq INTEGER PRIMARY KEY, room_id TEXT NOT NULL, data BLOB NOT NULL)')
	return { dir, file, db }
}

/** Percentiles of `values` (ms), as text. */
function summary(values: number[]): string {
	values.sort((a, b) => a - b)
	const at = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))].toFixed(2)
	return `p50 ${at(0.5)} p99 ${at(0.99)} max ${at(1)}`
}

/** Appends a 700-byte update `rate` times a second for `seconds`; returns arrival → committed and → power-safe. */
async function drive(
	append: (update: Uint8Array) => Promise<void>,
	powerSafe: () => Promise<void> | null
): Promise<string> {
	const committed: number[] = []
	const safe: number[] = []
	const pending: Promise<void>[] = []
	const start = performance.now()
	let sent = 0
	await new Promise<void>((resolve) => {
		const timer = setInterval(() => {
			const due = Math.floor(((performance.now() - start) * rate) / 1000)
			for (; sent < due; sent++) {
				const t0 = performance.now()
				pending.push(
					append(new Uint8Array(700)).then(async () => {
						committed.push(performance.now() - t0)
						await powerSafe()
						safe.push(performance.now() - t0)
					})
				)
			}
			if (performance.now() - start >= seconds * 1000) {
				clearInterval(timer)
				resolve()
			}
		}, 1)
	})
	await Promise.all(pending)
	return `committed ${summary(committed)} | power-safe ${summary(safe)}`
}

async function commitThread(): Promise<string> {
	const { dir, file, db } = database('FULL')
	const writer = new UpdateWriter({ file, synchronous: 'FULL', busyTimeoutMs: 5000 })
	const result = await drive(
		(update) => writer.append([{ roomId: 'r', update }]),
		() => null
	)
	await writer.close()
	db.close()
	fs.rmSync(dir, { recursive: true, force: true })
	return result
}

async function mainThread(): Promise<string> {
	const { dir, file, db } = database('NORMAL')
	const syncer = new WalSyncer(db, file)
	const appender = new MainThreadAppender(db, syncer)
	// Group commit as GroupCommitter does it: what arrives in one turn of the event loop is one transaction.
	let batch: { update: Uint8Array; resolve: () => void; reject: (error: unknown) => void }[] = []
	const append = (update: Uint8Array) =>
		new Promise<void>((resolve, reject) => {
			batch.push({ update, resolve, reject })
			if (batch.length > 1) return
			setImmediate(() => {
				const taken = batch
				batch = []
				appender.append(taken.map(({ update: u }) => ({ roomId: 'r', update: u }))).then(
					() => {
						for (const p of taken) p.resolve()
					},
					(error) => {
						for (const p of taken) p.reject(error)
					}
				)
			})
		})
	const result = await drive(append, () => syncer.whenPowerSafe())
	syncer.close()
	db.close()
	fs.rmSync(dir, { recursive: true, force: true })
	return `${result} | ${syncer.completedSyncs} fdatasyncs for ${appender.committedTransactions} commits`
}

async function main(): Promise<void> {
	// The appends' promises alone do not hold the event loop while a thread or an fdatasync runs.
	const keepAlive = setInterval(() => {}, 1000)
	console.log(`${rate} updates/s for ${seconds} s, ${rounds} rounds, load average ${os.loadavg()[0].toFixed(2)}`)
	for (let round = 1; round <= rounds; round++) {
		console.log(`round ${round} power (commit thread, FULL):       ${await commitThread()}`)
		console.log(`round ${round} crash (main thread, NORMAL + sync): ${await mainThread()}`)
	}
	clearInterval(keepAlive)
}

void main()
