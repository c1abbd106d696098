import type Database from 'better-sqlite3'

/**
 * One step of the SQLite schema. `version` is what `PRAGMA user_version` says once the step ran; steps run in
 * order, each in its own transaction together with the version bump, so a crash leaves the database at the
 * last whole step.
 */
export interface SqliteMigration {
	version: number
	description: string
	sql: string
}

/**
 * The SQLite schema as a list of steps. Never change a step that shipped: add the next one.
 *
 * Version 1 is the schema every release made before versioning (tables created with `IF NOT EXISTS`, user_version
 * left at 0), so a database of such a release is at "version 0 with the version-1 tables" and step 1 is a no-op
 * for it apart from the version bump.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
	{
		version: 1,
		description: 'rooms, room updates, retired clients, note ledger, votes, hidden notes',
		sql: `
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
`,
	},
	{
		version: 2,
		description: 'index for the held notes of a room (listNotesByStatus)',
		sql: 'CREATE INDEX IF NOT EXISTS notes_status ON notes(room_id, status, created_at);',
	},
	{
		version: 3,
		description: 'a one-row table the health check writes (/api/health)',
		sql: 'CREATE TABLE IF NOT EXISTS store_health (id INTEGER PRIMARY KEY, checked_at INTEGER NOT NULL);',
	},
	{
		version: 4,
		description: "a room's last activity (retention, admin view), from its creation or closing until known",
		sql: `ALTER TABLE rooms ADD COLUMN last_activity_at INTEGER;
UPDATE rooms SET last_activity_at = COALESCE(closed_at, created_at);
CREATE INDEX IF NOT EXISTS rooms_last_activity ON rooms(last_activity_at);`,
	},
	{
		version: 5,
		description: 'trajects: their boards, notes carried between boards, board images',
		sql: `
CREATE TABLE trajects (
	traject_id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	key_hash TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE TABLE traject_rooms (
	traject_id TEXT NOT NULL,
	room_id TEXT NOT NULL PRIMARY KEY,
	added_at INTEGER NOT NULL
);
CREATE INDEX traject_rooms_traject ON traject_rooms(traject_id, added_at);
CREATE TABLE carried_notes (
	target_room_id TEXT NOT NULL,
	source_room_id TEXT NOT NULL,
	source_note_id TEXT NOT NULL,
	target_note_id TEXT NOT NULL,
	carried_at INTEGER NOT NULL,
	PRIMARY KEY (target_room_id, source_room_id, source_note_id)
);
CREATE TABLE board_snapshots (
	room_id TEXT PRIMARY KEY,
	png BLOB NOT NULL,
	updated_at INTEGER NOT NULL
);
`,
	},
	{
		version: 6,
		description: "score rounds: each participant's mark per part",
		sql: `
CREATE TABLE scores (
	room_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	zone_id TEXT NOT NULL,
	score INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	PRIMARY KEY (room_id, participant_id, zone_id)
);
`,
	},
	{
		version: 7,
		description: "screening: a room's own words that flag notes in the queue",
		sql: `
CREATE TABLE screening_words (
	room_id TEXT PRIMARY KEY,
	words TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);
`,
	},
	{
		version: 8,
		description: "who gets in: a room's passphrase hash and its join code's expiry",
		sql: `ALTER TABLE rooms ADD COLUMN passphrase_hash TEXT;
ALTER TABLE rooms ADD COLUMN join_code_expires_at INTEGER;`,
	},
	{
		version: 9,
		// AUTOINCREMENT made every append also rewrite the sqlite_sequence row: a third page in the WAL per commit
		// (3.2 frames per commit against 2.2 without, about 20 % of a commit's time). Without it a new row's seq is
		// one above the highest seq in the table, so a seq can be handed out again once the rows above it are gone;
		// sqlite-room-records.ts explains why no reader relies on seqs not coming back. The table is rebuilt
		// (SQLite cannot drop AUTOINCREMENT in place), keeping every row's seq, so the order of a room's updates is
		// unchanged; the old table's sqlite_sequence row goes with it.
		description: 'room_updates without AUTOINCREMENT: one page less written per append',
		sql: `CREATE TABLE room_updates_rebuilt (
	seq INTEGER PRIMARY KEY,
	room_id TEXT NOT NULL,
	data BLOB NOT NULL
);
INSERT INTO room_updates_rebuilt (seq, room_id, data) SELECT seq, room_id, data FROM room_updates ORDER BY seq;
DROP TABLE room_updates;
ALTER TABLE room_updates_rebuilt RENAME TO room_updates;
CREATE INDEX room_updates_room ON room_updates(room_id, seq);`,
	},
]

/** The step that rebuilt `room_updates` without AUTOINCREMENT: a database migrated past it is vacuumed once. */
export const ROOM_UPDATES_REBUILD_VERSION = 9

/** The schema version this release writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1].version

/** Thrown when the database was written by a newer release (its user_version is beyond ours). */
export class SchemaTooNewError extends Error {
	constructor(found: number, known: number) {
		super(`the database has schema version ${found}; this release knows up to ${known}: upgrade Kompasbord`)
		this.name = 'SchemaTooNewError'
	}
}

/**
 * Brings the database to {@link SQLITE_SCHEMA_VERSION}: runs every step above its `user_version`, each in one
 * `BEGIN IMMEDIATE` transaction with the new version, so two processes opening one file migrate it once.
 * Returns the version it found.
 */
export function migrateSqlite(
	db: Database.Database,
	migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS
): number {
	const readVersion = () => db.pragma('user_version', { simple: true }) as number
	const found = readVersion()
	const latest = migrations.length ? migrations[migrations.length - 1].version : 0
	if (found > latest) throw new SchemaTooNewError(found, latest)
	for (const step of migrations) {
		if (step.version <= found) continue
		db.transaction(() => {
			// Read again inside the write lock: another process may have run this step meanwhile.
			if (readVersion() >= step.version) return
			db.exec(step.sql)
			db.pragma(`user_version = ${step.version}`)
		}).immediate()
	}
	return found
}
