import { AsyncLocalStorage } from 'node:async_hooks'
import type pg from 'pg'

/** The rooms whose lock the current async context holds (so a task under a lock may take it again). */
const held = new AsyncLocalStorage<ReadonlySet<string>>()

/**
 * Per-room locks shared by every server on one PostgreSQL database: a session advisory lock on a connection of
 * its own, held while the task runs. Reentrant within one async context (a session change that writes the doc
 * takes the room's lock once). Tasks of one room on one server queue here first, so they use one connection.
 */
export class PgRoomLocks {
	private readonly tails = new Map<string, Promise<unknown>>()

	constructor(private readonly pool: pg.Pool) {}

	/** Runs `task` while holding the room's cluster-wide lock. */
	run<T>(roomId: string, task: () => Promise<T>): Promise<T> {
		if (held.getStore()?.has(roomId)) return task()
		const previous = this.tails.get(roomId) ?? Promise.resolve()
		const result = previous.then(
			() => this.locked(roomId, task),
			() => this.locked(roomId, task)
		)
		const tail = result.then(
			() => undefined,
			() => undefined
		)
		this.tails.set(roomId, tail)
		void tail.then(() => {
			if (this.tails.get(roomId) === tail) this.tails.delete(roomId)
		})
		return result
	}

	private async locked<T>(roomId: string, task: () => Promise<T>): Promise<T> {
		const client = await this.pool.connect()
		try {
			await client.query("SELECT pg_advisory_lock(hashtextextended('room' || chr(31) || $1, 0))", [roomId])
			const rooms = new Set(held.getStore() ?? [])
			rooms.add(roomId)
			return await held.run(rooms, task)
		} finally {
			try {
				await client.query("SELECT pg_advisory_unlock(hashtextextended('room' || chr(31) || $1, 0))", [roomId])
				client.release()
			} catch (error) {
				// A connection that cannot unlock is dropped: closing it releases the lock.
				client.release(error instanceof Error ? error : new Error(String(error)))
			}
		}
	}
}
