import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { migrateSqlite, SchemaTooNewError, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqlite-migrations'
import { SqliteRoomStore } from './sqlite-room-store'

/**
 * The schema of every release before schema versions (copied verbatim from those releases' sources:
 * sqlite-room-store.ts, sqlite-retired-clients.ts, sqlite-note-ledger.ts, sqlite-session-tables.ts). Frozen: it
 * is what databases in the field look like.
 */
const VERSION_0_SCHEMA = `
CREATE TABLE IF NOT EXISTS rooms (
	room_id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	template_id TEXT NOT NULL,
	columns INTEGER,
	join_code TEXT NOT NULL,
	facilitator_key_hash TEXT NOT NULL,
	anonymous INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	closed_at INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS rooms_open_join_code ON rooms(join_code) WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS room_updates (
	seq INTEGER PRIMARY KEY AUTOINCREMENT,
	room_id TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS room_updates_room ON room_updates(room_id, seq);
CREATE TABLE IF NOT EXISTS retired_clients (
	room_id TEXT NOT NULL,
	client_id INTEGER NOT NULL,
	PRIMARY KEY (room_id, client_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	client_note_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	zone_id TEXT NOT NULL,
	text TEXT NOT NULL,
	color TEXT NOT NULL,
	author_name TEXT,
	status TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS notes_client_id ON notes(room_id, client_note_id);
CREATE INDEX IF NOT EXISTS notes_participant ON notes(room_id, participant_id, created_at);
CREATE TABLE IF NOT EXISTS vote_allocations (
	room_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	dots INTEGER NOT NULL,
	PRIMARY KEY (room_id, participant_id, note_id)
);
CREATE INDEX IF NOT EXISTS vote_allocations_note ON vote_allocations(room_id, note_id);
CREATE TABLE IF NOT EXISTS hidden_notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	records TEXT NOT NULL,
	hidden_at INTEGER NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
`

describe('SQLite schema migrations', () => {
	let dir: string
	let file: string
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-migrate-'))
		file = path.join(dir, 'kompasbord.sqlite')
	})
	afterEach(() => {
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('upgrades a database made by the unversioned schema, keeping rooms, docs, notes, votes and hidden notes', async () => {
		const doc = new Y.Doc()
		doc.getMap('tldraw').set('shape:a', { typeName: 'shape', x: 1 })
		const old = new Database(file)
		old.pragma('journal_mode = WAL')
		old.exec(VERSION_0_SCHEMA)
		expect(old.pragma('user_version', { simple: true })).toBe(0)
		old
			.prepare(
				`INSERT INTO rooms (room_id, title, template_id, columns, join_code, facilitator_key_hash, anonymous, created_at, closed_at)
				 VALUES ('r1', 'Oud', 'activiteitenmatrix', 2, 'ABCDEF', ?, 0, 10, NULL)`
			)
			.run('cd'.repeat(32))
		old.prepare("INSERT INTO room_updates (room_id, data) VALUES ('r1', ?)").run(Y.encodeStateAsUpdate(doc))
		old.prepare("INSERT INTO retired_clients (room_id, client_id) VALUES ('r1', 77)").run()
		old
			.prepare(
				`INSERT INTO notes VALUES ('r1', 'shape:n1', 'c1', 'p1', 'dos', 'Samen', 'yellow', 'Anouk', 'held', 20, 21)`
			)
			.run()
		old.prepare("INSERT INTO vote_allocations VALUES ('r1', 'p1', 'shape:a', 2)").run()
		old.prepare(`INSERT INTO hidden_notes VALUES ('r1', 'shape:h', '[{"id":"shape:h"}]', 30)`).run()
		old.close()

		const store = new SqliteRoomStore(dir)
		try {
			expect(store.db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
			expect(await store.getRoom('r1')).toEqual({
				roomId: 'r1',
				title: 'Oud',
				templateId: 'activiteitenmatrix',
				columns: 2,
				joinCode: 'ABCDEF',
				facilitatorKeyHash: 'cd'.repeat(32),
				anonymous: false,
				createdAt: 10,
				closedAt: null,
				passphraseHash: null,
				joinCodeExpiresAt: null,
			})
			expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r1')
			const loaded = new Y.Doc()
			for (const u of (await store.loadUpdates('r1')).updates) Y.applyUpdate(loaded, u)
			expect(loaded.getMap('tldraw').toJSON()).toEqual(doc.getMap('tldraw').toJSON())
			expect(await store.listRetiredClients('r1')).toEqual([77])
			expect(await store.listNotesByStatus('r1', 'held')).toEqual([
				{
					roomId: 'r1',
					noteId: 'shape:n1',
					clientNoteId: 'c1',
					participantId: 'p1',
					zoneId: 'dos',
					text: 'Samen',
					color: 'yellow',
					authorName: 'Anouk',
					status: 'held',
					createdAt: 20,
					updatedAt: 21,
				},
			])
			expect(await store.countVotes('r1')).toEqual(new Map([['shape:a', 2]]))
			expect(await store.getHiddenNote('r1', 'shape:h')).toEqual({
				roomId: 'r1',
				noteId: 'shape:h',
				records: [{ id: 'shape:h' }],
				hiddenAt: 30,
			})
			// The upgraded database takes new writes through the commit thread, too.
			await store.appendUpdates([{ roomId: 'r1', update: new Uint8Array([0, 0]) }])
			expect(await store.countUpdates('r1')).toBe(2)
			const indexes = store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all()
			expect(indexes).toContain('notes_status')
		} finally {
			await store.close()
		}
	})

	it('rebuilds room_updates without AUTOINCREMENT (step 9), keeping every row, its seq and its order', async () => {
		const old = new Database(file)
		old.pragma('journal_mode = WAL')
		migrateSqlite(
			old,
			SQLITE_MIGRATIONS.filter((step) => step.version < 9)
		)
		expect(old.pragma('user_version', { simple: true })).toBe(8)
		const insert = old.prepare('INSERT INTO room_updates (room_id, data) VALUES (?, ?)')
		// Two rooms interleaved, with gaps (a compaction's deletes) and the top rows deleted: AUTOINCREMENT keeps
		// counting from its sqlite_sequence row (12), the rebuilt table from the highest seq left.
		for (let i = 1; i <= 12; i++) insert.run(i % 2 ? 'a' : 'b', new Uint8Array([i]))
		old.prepare('DELETE FROM room_updates WHERE seq IN (3, 4, 11, 12)').run()
		const before = old.prepare('SELECT seq, room_id, data FROM room_updates ORDER BY seq').all()
		expect(old.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'room_updates'").pluck().get()).toBe(12)
		old.close()

		const store = new SqliteRoomStore(dir)
		try {
			const db = store.db
			expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
			// The rebuild's pages were copied into the database file, the old table's given back, the WAL emptied.
			expect(fs.statSync(`${file}-wal`).size).toBe(0)
			expect(db.pragma('freelist_count', { simple: true })).toBe(0)
			expect(db.prepare('SELECT seq, room_id, data FROM room_updates ORDER BY seq').all()).toEqual(before)
			const table = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'room_updates'").pluck().get() as string
			expect(table).toMatch(/seq INTEGER PRIMARY KEY,/)
			expect(table).not.toMatch(/AUTOINCREMENT/i)
			// No table has AUTOINCREMENT any more: its counter row went with the old table, the empty table with VACUUM.
			expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'").all()).toEqual([])
			const plan = db
				.prepare("EXPLAIN QUERY PLAN SELECT seq, data FROM room_updates WHERE room_id = 'a' ORDER BY seq")
				.all() as { detail: string }[]
			expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING (COVERING )?INDEX room_updates_room/)
			expect((await store.loadUpdates('a')).updates.map((u) => [...u])).toEqual([[1], [5], [7], [9]])
			expect((await store.loadUpdates('b')).updates.map((u) => [...u])).toEqual([[2], [6], [8], [10]])
			await store.appendUpdates([{ roomId: 'a', update: new Uint8Array([13]) }])
			expect(db.prepare('SELECT MAX(seq) FROM room_updates').pluck().get()).toBe(11)
			expect((await store.loadUpdates('a')).updates.map((u) => [...u])).toEqual([[1], [5], [7], [9], [13]])
		} finally {
			await store.close()
		}
	})

	it('runs each step once: a second open finds the database current and changes nothing', () => {
		const db = new Database(file)
		expect(migrateSqlite(db)).toBe(0)
		expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
		expect(migrateSqlite(db)).toBe(SQLITE_SCHEMA_VERSION)
		db.close()
	})

	it('applies only the steps above the found version, and rolls a failed step back whole', () => {
		const db = new Database(file)
		migrateSqlite(db, SQLITE_MIGRATIONS.slice(0, 1))
		expect(db.pragma('user_version', { simple: true })).toBe(1)
		const broken = [
			...SQLITE_MIGRATIONS,
			{
				version: SQLITE_SCHEMA_VERSION + 1,
				description: 'broken',
				sql: 'CREATE TABLE extra (x); SELECT * FROM nowhere;',
			},
		]
		expect(() => migrateSqlite(db, broken)).toThrow(/nowhere/)
		// The good steps before it stay; the broken one left neither its table nor its version.
		expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION)
		expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").all()).toEqual([])
		db.close()
	})

	it('refuses a database written by a newer release', () => {
		const db = new Database(file)
		db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`)
		db.close()
		expect(() => new SqliteRoomStore(dir)).toThrow(SchemaTooNewError)
	})
})
