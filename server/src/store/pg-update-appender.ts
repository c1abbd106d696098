import type pg from 'pg'
import { asBuffer, inTransaction } from './pg-pool'
import type { StoredUpdate } from './room-records'

interface Waiting {
	batch: readonly StoredUpdate[]
	resolve: (seqs: number[]) => void
	reject: (error: unknown) => void
}

/**
 * Group commit on PostgreSQL (the counterpart of the SQLite commit thread): one append transaction at a time per
 * server; appends made while one is being committed wait and go together in the next. Each update gets the next
 * sequence number of its room (`room_update_seqs`, row-locked in the transaction, so numbers follow commit order
 * across servers too). Appends resolve in the order they were made, with their sequence numbers.
 */
export class PgUpdateAppender {
	private waiting: Waiting[] = []
	private running: Promise<void> | null = null
	private closed = false
	/**
	 * Called after each committed transaction, before its appends resolve, with its updates and their room
	 * sequence numbers (the room bus publishes them).
	 */
	onCommitted: ((updates: readonly StoredUpdate[], seqs: readonly number[]) => void) | null = null
	/** Why the last append transaction failed; null once one succeeded since. */
	lastFailure: string | null = null

	constructor(private readonly pool: pg.Pool) {}

	/** Commits the updates (with any appends made meanwhile); resolves with each update's room sequence number. */
	append(batch: readonly StoredUpdate[]): Promise<number[]> {
		if (this.closed) return Promise.reject(new Error('the store is closed'))
		if (batch.length === 0) return Promise.resolve([])
		return new Promise<number[]>((resolve, reject) => {
			this.waiting.push({ batch, resolve, reject })
			this.running ??= this.run()
		})
	}

	/** Commits what was appended so far; later appends are refused. */
	async close(): Promise<void> {
		this.closed = true
		await this.running
	}

	private async run(): Promise<void> {
		while (this.waiting.length) {
			const group = this.waiting
			this.waiting = []
			try {
				const updates = group.flatMap((w) => w.batch)
				const seqs = await inTransaction(this.pool, (client) => appendInTransaction(client, updates))
				this.lastFailure = null
				try {
					this.onCommitted?.(updates, seqs)
				} catch {
					// A listener's failure does not undo the commit.
				}
				let i = 0
				for (const w of group) {
					w.resolve(seqs.slice(i, i + w.batch.length))
					i += w.batch.length
				}
			} catch (error) {
				this.lastFailure = error instanceof Error ? error.message : String(error)
				for (const w of group) w.reject(error)
			}
		}
		this.running = null
	}
}

/**
 * Appends updates inside the caller's transaction; returns each one's room sequence number. Rooms' counters are
 * taken in room id order, so two servers appending to the same rooms never deadlock.
 */
export async function appendInTransaction(client: pg.ClientBase, updates: readonly StoredUpdate[]): Promise<number[]> {
	// Only rooms that exist, locked against a deletion until the commit: an update of a room another server just
	// deleted is dropped (sequence number 0), so no row of a deleted room is left behind.
	const { rows: existing } = await client.query<{ room_id: string }>(
		'SELECT room_id FROM rooms WHERE room_id = ANY($1::text[]) ORDER BY room_id FOR KEY SHARE',
		[[...new Set(updates.map((u) => u.roomId))]]
	)
	const live = new Set(existing.map((r) => r.room_id))
	const kept = updates.filter((u) => live.has(u.roomId))
	if (kept.length < updates.length) {
		const seqs = kept.length ? await appendExisting(client, kept) : []
		let i = 0
		return updates.map((u) => (live.has(u.roomId) ? seqs[i++] : 0))
	}
	return appendExisting(client, updates)
}

async function appendExisting(client: pg.ClientBase, updates: readonly StoredUpdate[]): Promise<number[]> {
	const perRoom = new Map<string, number>()
	for (const { roomId } of updates) perRoom.set(roomId, (perRoom.get(roomId) ?? 0) + 1)
	const roomIds = [...perRoom.keys()].sort()
	const { rows } = await client.query<{ room_id: string; last_seq: number }>(
		`INSERT INTO room_update_seqs (room_id, last_seq)
		 SELECT * FROM unnest($1::text[], $2::bigint[]) ORDER BY 1
		 ON CONFLICT (room_id) DO UPDATE SET last_seq = room_update_seqs.last_seq + EXCLUDED.last_seq
		 RETURNING room_id, last_seq`,
		[roomIds, roomIds.map((id) => perRoom.get(id))]
	)
	// The next number to hand out per room: the new last minus the count, plus one.
	const next = new Map(rows.map((r) => [r.room_id, r.last_seq - (perRoom.get(r.room_id) ?? 0) + 1]))
	const seqs = updates.map(({ roomId }) => {
		const seq = next.get(roomId) ?? 0
		next.set(roomId, seq + 1)
		return seq
	})
	await client.query(
		'INSERT INTO room_updates (room_id, seq, data) SELECT * FROM unnest($1::text[], $2::bigint[], $3::bytea[])',
		[updates.map((u) => u.roomId), seqs, updates.map((u) => asBuffer(u.update))]
	)
	return seqs
}
