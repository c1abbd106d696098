import type { FastifyBaseLogger } from 'fastify'
import { CLOSE_ROOM_NOT_FOUND } from '@kompasbord/shared'
import type { RoomLifecycleStore } from '../store/room-lifecycle'
import type { RoomManager } from './room-manager'

/** What one purge did. */
export interface PurgeResult {
	at: number
	/** Ids of the rooms it deleted. */
	removed: string[]
	/** Expired rooms it left because they are in memory (in use); they are looked at again next time. */
	skipped: string[]
}

/**
 * The retention rule (`RETENTION`): a room whose session was closed, or that no one used, longer than
 * `retentionMs` ago is deleted with everything of it ({@link RoomManager.remove}). Runs when the server starts
 * and every `intervalMs` (an unref'd timer, so it never keeps the process alive), one purge at a time, and logs
 * what it removed. Rooms in memory are being used (or were, within `ROOM_IDLE_MS`) and are left alone.
 */
export class RetentionPurge {
	private timer: NodeJS.Timeout | null = null
	private running: Promise<PurgeResult> | null = null
	/** The last purge's result (null before the first). */
	last: PurgeResult | null = null

	constructor(
		private readonly store: Pick<RoomLifecycleStore, 'listExpiredRooms'>,
		private readonly rooms: RoomManager,
		private readonly log: FastifyBaseLogger,
		readonly retentionMs: number,
		private readonly intervalMs: number
	) {}

	/** Purges now (resolves when done) and then every interval. */
	async start(): Promise<void> {
		await this.purge()
		this.timer = setInterval(() => {
			this.purge().catch((error: unknown) => this.log.error({ err: error }, 'retention purge failed'))
		}, this.intervalMs)
		this.timer.unref()
	}

	/** Stops the timer and waits for a purge in progress. */
	async stop(): Promise<void> {
		if (this.timer) clearInterval(this.timer)
		this.timer = null
		await this.running?.catch(() => null)
	}

	/** Deletes every expired room not in memory; a purge already running is joined, not doubled. */
	purge(now = Date.now()): Promise<PurgeResult> {
		if (!this.running) {
			this.running = this.run(now).finally(() => {
				this.running = null
			})
		}
		return this.running
	}

	private async run(now: number): Promise<PurgeResult> {
		const expired = await this.store.listExpiredRooms(now - this.retentionMs)
		const result: PurgeResult = { at: now, removed: [], skipped: [] }
		for (const roomId of expired) {
			if (this.rooms.isLoaded(roomId)) {
				result.skipped.push(roomId)
				continue
			}
			if (await this.rooms.remove(roomId, CLOSE_ROOM_NOT_FOUND, 'room expired')) result.removed.push(roomId)
		}
		this.last = result
		if (result.removed.length) {
			this.log.info(
				{ removed: result.removed.length, roomIds: result.removed, retentionMs: this.retentionMs },
				'retention: deleted rooms closed or unused longer than RETENTION'
			)
		} else this.log.debug({ skipped: result.skipped.length }, 'retention: nothing to delete')
		return result
	}
}
