#!/usr/bin/env node
/**
 * `npm run backup -- <file>`: a consistent copy of the Kompasbord database, made while the server runs.
 *
 * Uses SQLite's online backup API (better-sqlite3 `db.backup()`): pages are copied in steps, and a write made by
 * the server meanwhile restarts the copy of what changed, so the result is one consistent state, committed
 * updates from the WAL included. The copy is then opened and checked (`PRAGMA integrity_check`) and the number
 * of rooms in it is printed.
 *
 * The database is `$DATA_DIR/kompasbord.sqlite` (`DATA_DIR` defaults to `./data`, as for the server). An
 * existing target file is refused unless `--force` is given. Restore: stop the server, put the copy in place as
 * `kompasbord.sqlite` in an empty DATA_DIR (no `-wal`/`-shm` files beside it), start the server (see README).
 *
 * Plain ESM, no TypeScript: it runs from the repository (`npm run backup`) and inside the Docker image
 * (`docker compose exec kompasbord npm run backup -- /data/backups/kompasbord.sqlite`).
 *
 * @module
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'

/**
 * Copies the database at `source` to `target` online and checks the copy.
 * @param {string} source
 * @param {string} target
 * @returns {Promise<{ rooms: number, bytes: number }>}
 */
export async function backupDatabase(source, target) {
	if (!existsSync(source)) throw new Error(`no database at ${source}`)
	mkdirSync(path.dirname(target), { recursive: true })
	const db = new Database(source, { fileMustExist: true })
	try {
		db.pragma('busy_timeout = 5000')
		await db.backup(target)
	} finally {
		db.close()
	}
	const copy = new Database(target, { fileMustExist: true })
	try {
		// A copy that is a single file: no WAL beside it, whatever the source used.
		copy.pragma('journal_mode = DELETE')
		const check = copy.pragma('integrity_check', { simple: true })
		if (check !== 'ok') throw new Error(`the copy fails its integrity check: ${check}`)
		const rooms = /** @type {{ n: number }} */ (copy.prepare('SELECT COUNT(*) AS n FROM rooms').get()).n
		const bytes =
			/** @type {number} */ (copy.pragma('page_count', { simple: true })) *
			/** @type {number} */ (copy.pragma('page_size', { simple: true }))
		return { rooms, bytes }
	} finally {
		copy.close()
	}
}

async function main() {
	const args = process.argv.slice(2)
	const force = args.includes('--force')
	const target = args.find((a) => !a.startsWith('--'))
	if (!target) {
		console.error(
			'usage: npm run backup -- <file> [--force]   (copies $DATA_DIR/kompasbord.sqlite while the server runs)'
		)
		return 2
	}
	const dataDir = path.resolve(process.env.DATA_DIR?.trim() || './data')
	const source = path.join(dataDir, 'kompasbord.sqlite')
	const out = path.resolve(target)
	if (out === source) {
		console.error('[backup] the target is the database itself')
		return 2
	}
	if (existsSync(out)) {
		if (!force) {
			console.error(`[backup] ${out} exists; pass --force to overwrite it`)
			return 1
		}
		rmSync(out)
	}
	const { rooms, bytes } = await backupDatabase(source, out)
	console.log(`[backup] ${source} → ${out}: ${rooms} room(s), ${(bytes / 1024).toFixed(0)} KB, integrity ok`)
	return 0
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
	main().then(
		(code) => {
			process.exitCode = code
		},
		(error) => {
			console.error(`[backup] FAIL: ${error instanceof Error ? error.message : String(error)}`)
			process.exitCode = 1
		}
	)
}
