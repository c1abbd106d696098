import type pg from 'pg'

/** One step of the PostgreSQL schema; see {@link PG_MIGRATIONS}. */
export interface PgMigration {
	version: number
	description: string
	sql: string
}

/**
 * The PostgreSQL schema as numbered steps (the counterpart of sqlite-migrations.ts). The version a database has
 * is the one row of `kompasbord_schema`. Never change a step that shipped: add the next one.
 *
 * `room_updates.seq` is numbered per room (1, 2, 3, … in commit order, from `room_update_seqs`), so a server that
 * got updates 1–7 of a room from the room bus and then sees 9 knows it missed 8 and reads it here.
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
	{
		version: 1,
		description: 'rooms, room updates, retired clients, note ledger, votes, hidden notes',
		sql: `
CREATE TABLE rooms (
	room_id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	template_id TEXT NOT NULL,
	columns INTEGER,
	join_code TEXT NOT NULL,
	facilitator_key_hash TEXT NOT NULL,
	anonymous BOOLEAN NOT NULL DEFAULT TRUE,
	created_at BIGINT NOT NULL,
	closed_at BIGINT
);
CREATE UNIQUE INDEX rooms_open_join_code ON rooms(join_code) WHERE closed_at IS NULL;
CREATE TABLE room_update_seqs (
	room_id TEXT PRIMARY KEY,
	last_seq BIGINT NOT NULL
);
CREATE TABLE room_updates (
	room_id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	data BYTEA NOT NULL,
	PRIMARY KEY (room_id, seq)
);
CREATE TABLE retired_clients (
	room_id TEXT NOT NULL,
	client_id BIGINT NOT NULL,
	PRIMARY KEY (room_id, client_id)
);
CREATE TABLE notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	client_note_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	zone_id TEXT NOT NULL,
	text TEXT NOT NULL,
	color TEXT NOT NULL,
	author_name TEXT,
	status TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	updated_at BIGINT NOT NULL,
	ord BIGSERIAL NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
CREATE UNIQUE INDEX notes_client_id ON notes(room_id, client_note_id);
CREATE INDEX notes_participant ON notes(room_id, participant_id, created_at);
CREATE INDEX notes_status ON notes(room_id, status, created_at);
CREATE TABLE vote_allocations (
	room_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	dots INTEGER NOT NULL,
	PRIMARY KEY (room_id, participant_id, note_id)
);
CREATE INDEX vote_allocations_note ON vote_allocations(room_id, note_id);
CREATE TABLE hidden_notes (
	room_id TEXT NOT NULL,
	note_id TEXT NOT NULL,
	records JSONB NOT NULL,
	hidden_at BIGINT NOT NULL,
	PRIMARY KEY (room_id, note_id)
);
`,
	},
	{
		version: 2,
		description: "a room's last activity (retention, admin view)",
		sql: `ALTER TABLE rooms ADD COLUMN last_activity_at BIGINT;
UPDATE rooms SET last_activity_at = COALESCE(closed_at, created_at);
CREATE INDEX rooms_last_activity ON rooms(last_activity_at);`,
	},
	{
		version: 3,
		description: 'trajects: their boards, notes carried between boards, board images',
		sql: `
CREATE TABLE trajects (
	traject_id TEXT PRIMARY KEY,
	title TEXT NOT NULL,
	key_hash TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE traject_rooms (
	position BIGSERIAL,
	traject_id TEXT NOT NULL,
	room_id TEXT NOT NULL PRIMARY KEY,
	added_at BIGINT NOT NULL
);
CREATE INDEX traject_rooms_traject ON traject_rooms(traject_id, added_at);
CREATE TABLE carried_notes (
	position BIGSERIAL,
	target_room_id TEXT NOT NULL,
	source_room_id TEXT NOT NULL,
	source_note_id TEXT NOT NULL,
	target_note_id TEXT NOT NULL,
	carried_at BIGINT NOT NULL,
	PRIMARY KEY (target_room_id, source_room_id, source_note_id)
);
CREATE TABLE board_snapshots (
	room_id TEXT PRIMARY KEY,
	png BYTEA NOT NULL,
	updated_at BIGINT NOT NULL
);
`,
	},
	{
		version: 4,
		description: "score rounds: each participant's mark per part",
		sql: `
CREATE TABLE scores (
	room_id TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	zone_id TEXT NOT NULL,
	score INTEGER NOT NULL,
	updated_at BIGINT NOT NULL,
	PRIMARY KEY (room_id, participant_id, zone_id)
);
`,
	},
	{
		version: 5,
		description: "screening: a room's own words that flag notes in the queue",
		sql: `
CREATE TABLE screening_words (
	room_id TEXT PRIMARY KEY,
	words JSONB NOT NULL,
	updated_at BIGINT NOT NULL
);
`,
	},
	{
		version: 6,
		description: "who gets in: a room's passphrase hash and its join code's expiry",
		sql: `ALTER TABLE rooms ADD COLUMN passphrase_hash TEXT;
ALTER TABLE rooms ADD COLUMN join_code_expires_at BIGINT;`,
	},
]

/** The schema version this release writes. */
export const PG_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version

/** Advisory lock key of schema changes (any constant; "kompasbo" in ASCII). */
const MIGRATION_LOCK = 0x6b6f6d7061736230n

/**
 * Brings the database to {@link PG_SCHEMA_VERSION} in one transaction under an advisory lock, so servers starting
 * together migrate it once. Throws when the database is newer than this release. Returns the version found.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
	const client = await pool.connect()
	try {
		await client.query('BEGIN')
		await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()])
		await client.query('CREATE TABLE IF NOT EXISTS kompasbord_schema (version INTEGER NOT NULL)')
		const { rows } = await client.query<{ version: number }>('SELECT version FROM kompasbord_schema')
		const found = rows[0]?.version ?? 0
		const latest = migrations.length ? migrations[migrations.length - 1].version : 0
		if (found > latest) {
			throw new Error(
				`the database has schema version ${found}; this release knows up to ${latest}: upgrade Kompasbord`
			)
		}
		for (const step of migrations) if (step.version > found) await client.query(step.sql)
		if (rows.length === 0) await client.query('INSERT INTO kompasbord_schema (version) VALUES ($1)', [latest])
		else await client.query('UPDATE kompasbord_schema SET version = $1', [latest])
		await client.query('COMMIT')
		return found
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {})
		throw error
	} finally {
		client.release()
	}
}
