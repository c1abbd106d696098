import type pg from 'pg'
import { asBuffer, asBytes, inTransaction } from './pg-pool'
import type { PgUpdateAppender } from './pg-update-appender'
import {
	JoinCodeTakenError,
	type LoadedUpdates,
	type RetiredClientStore,
	type RoomRecord,
	type RoomRecordPatch,
	roomPatchColumns,
	type RoomRecordStore,
	type StoredUpdate,
} from './room-records'

interface RoomRow {
	room_id: string
	title: string
	template_id: string
	columns: number | null
	join_code: string
	facilitator_key_hash: string
	anonymous: boolean
	created_at: number
	closed_at: number | null
	passphrase_hash: string | null
	join_code_expires_at: number | null
}

function toRecord(row: RoomRow): RoomRecord {
	return {
		roomId: row.room_id,
		title: row.title,
		templateId: row.template_id,
		columns: row.columns,
		joinCode: row.join_code,
		facilitatorKeyHash: row.facilitator_key_hash,
		anonymous: row.anonymous,
		createdAt: row.created_at,
		closedAt: row.closed_at,
		passphraseHash: row.passphrase_hash ?? null,
		joinCodeExpiresAt: row.join_code_expires_at ?? null,
	}
}

function isJoinCodeConflict(error: unknown): boolean {
	const e = error as { code?: string; constraint?: string }
	return e?.code === '23505' && e.constraint === 'rooms_open_join_code'
}

/** The next sequence number of a room (for a snapshot that replaces rows), inside the caller's transaction. */
async function nextSeq(client: pg.ClientBase, roomId: string): Promise<number> {
	const { rows } = await client.query<{ last_seq: number }>(
		`INSERT INTO room_update_seqs (room_id, last_seq) VALUES ($1, 1)
		 ON CONFLICT (room_id) DO UPDATE SET last_seq = room_update_seqs.last_seq + 1 RETURNING last_seq`,
		[roomId]
	)
	return rows[0].last_seq
}

/**
 * {@link RoomRecordStore} and {@link RetiredClientStore} on PostgreSQL (tables `rooms`, `room_update_seqs`,
 * `room_updates`, `retired_clients`, see pg-migrations.ts). Appends go through the group-commit
 * {@link PgUpdateAppender}; each update has a per-room sequence number (`LoadedUpdates.lastSeq` is the room's).
 */
export class PgRoomRecords implements RoomRecordStore, RetiredClientStore {
	constructor(
		private readonly pool: pg.Pool,
		private readonly appender: PgUpdateAppender
	) {}

	async createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void> {
		try {
			await inTransaction(this.pool, async (client) => {
				await client.query(
					`INSERT INTO rooms (room_id, title, template_id, columns, join_code, facilitator_key_hash, anonymous, created_at, closed_at,
					   passphrase_hash, join_code_expires_at)
					 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
					[
						room.roomId,
						room.title,
						room.templateId,
						room.columns,
						room.joinCode,
						room.facilitatorKeyHash,
						room.anonymous,
						room.createdAt,
						room.closedAt,
						room.passphraseHash,
						room.joinCodeExpiresAt,
					]
				)
				const seq = await nextSeq(client, room.roomId)
				await client.query('INSERT INTO room_updates (room_id, seq, data) VALUES ($1, $2, $3)', [
					room.roomId,
					seq,
					asBuffer(initialUpdate),
				])
			})
		} catch (error) {
			if (isJoinCodeConflict(error)) throw new JoinCodeTakenError(room.joinCode)
			throw error
		}
	}

	async getRoom(roomId: string): Promise<RoomRecord | null> {
		const { rows } = await this.pool.query<RoomRow>('SELECT * FROM rooms WHERE room_id = $1', [roomId])
		return rows[0] ? toRecord(rows[0]) : null
	}

	async findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const { rows } = await this.pool.query<RoomRow>('SELECT * FROM rooms WHERE join_code = $1 AND closed_at IS NULL', [
			joinCode,
		])
		return rows[0] ? toRecord(rows[0]) : null
	}

	async findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null> {
		const { rows } = await this.pool.query<RoomRow>(
			'SELECT * FROM rooms WHERE join_code = $1 AND closed_at IS NOT NULL ORDER BY closed_at DESC LIMIT 1',
			[joinCode]
		)
		return rows[0] ? toRecord(rows[0]) : null
	}

	async updateRoom(roomId: string, patch: RoomRecordPatch): Promise<void> {
		const columns = roomPatchColumns(patch)
		const values: unknown[] = [roomId, ...columns.map(({ field }) => patch[field])]
		const sets = columns.map(({ column }, i) => `${column} = $${i + 2}`)
		if (sets.length === 0) return
		try {
			await this.pool.query(`UPDATE rooms SET ${sets.join(', ')} WHERE room_id = $1`, values)
		} catch (error) {
			if (isJoinCodeConflict(error)) throw new JoinCodeTakenError(patch.joinCode ?? '(current code)')
			throw error
		}
	}

	async loadUpdates(roomId: string): Promise<LoadedUpdates> {
		const updates = await this.loadUpdatesSince(roomId, 0)
		return {
			updates: updates.map((u) => u.update),
			lastSeq: updates.length ? updates[updates.length - 1].seq : 0,
		}
	}

	/** The room's updates with a sequence number above `afterSeq`, in order (a catch-up after a gap). */
	async loadUpdatesSince(roomId: string, afterSeq: number): Promise<{ seq: number; update: Uint8Array }[]> {
		const { rows } = await this.pool.query<{ seq: number; data: Buffer }>(
			'SELECT seq, data FROM room_updates WHERE room_id = $1 AND seq > $2 ORDER BY seq',
			[roomId, afterSeq]
		)
		return rows.map((r) => ({ seq: r.seq, update: asBytes(r.data) }))
	}

	/** The last sequence number of each of these rooms (rooms without updates left out). */
	async lastSeqs(roomIds: readonly string[]): Promise<Map<string, number>> {
		if (roomIds.length === 0) return new Map()
		const { rows } = await this.pool.query<{ room_id: string; last_seq: number }>(
			'SELECT room_id, last_seq FROM room_update_seqs WHERE room_id = ANY($1::text[])',
			[[...roomIds]]
		)
		return new Map(rows.map((r) => [r.room_id, r.last_seq]))
	}

	async appendUpdates(batch: StoredUpdate[]): Promise<void> {
		await this.appender.append(batch)
	}

	/** Like {@link appendUpdates}; resolves with each update's room sequence number (for the room bus). */
	appendUpdatesWithSeqs(batch: readonly StoredUpdate[]): Promise<number[]> {
		return this.appender.append(batch)
	}

	/**
	 * The snapshot takes the highest sequence number it replaces, so a server that has applied that number
	 * does not read it again; updates after `uptoSeq` keep theirs.
	 */
	async compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
		await inTransaction(this.pool, async (client) => {
			const { rows } = await client.query<{ seq: number | null }>(
				'WITH d AS (DELETE FROM room_updates WHERE room_id = $1 AND seq <= $2 RETURNING seq) SELECT max(seq) AS seq FROM d',
				[roomId, Math.min(uptoSeq, Number.MAX_SAFE_INTEGER)]
			)
			const seq = rows[0]?.seq ?? (await nextSeq(client, roomId))
			await client.query('INSERT INTO room_updates (room_id, seq, data) VALUES ($1, $2, $3)', [
				roomId,
				seq,
				asBuffer(snapshot),
			])
		})
	}

	async replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void> {
		await inTransaction(this.pool, async (client) => {
			await client.query('DELETE FROM room_updates WHERE room_id = $1', [roomId])
			const seq = await nextSeq(client, roomId)
			await client.query('INSERT INTO room_updates (room_id, seq, data) VALUES ($1, $2, $3)', [
				roomId,
				seq,
				asBuffer(snapshot),
			])
			await client.query(
				`INSERT INTO retired_clients (room_id, client_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
				[roomId, [...retiredClients]]
			)
		})
	}

	async countUpdates(roomId: string): Promise<number> {
		const { rows } = await this.pool.query<{ n: number }>('SELECT count(*) AS n FROM room_updates WHERE room_id = $1', [
			roomId,
		])
		return rows[0].n
	}

	async listRetiredClients(roomId: string): Promise<number[]> {
		const { rows } = await this.pool.query<{ client_id: number }>(
			'SELECT client_id FROM retired_clients WHERE room_id = $1 ORDER BY client_id',
			[roomId]
		)
		return rows.map((r) => r.client_id)
	}
}
