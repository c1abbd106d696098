/** What {@link RoomQueue.run} needs of a room (see `Room`). */
export interface QueuedRoom {
	readonly id: string
	readonly exclusive: (<T>(task: () => Promise<T>) => Promise<T>) | null
}

/**
 * Runs tasks of one room one after the other (tasks of different rooms run independently), so a check and
 * the writes it guards are never interleaved with another request of the same room.
 */
export class RoomQueue {
	private readonly tails = new Map<string, Promise<unknown>>()

	/**
	 * Runs `task` after every task queued before for the room; resolves or rejects with it. Given the room, the
	 * task also runs under its cluster-wide lock when it has one ({@link Room.exclusive}, several servers).
	 */
	run<T>(room: string | QueuedRoom, task: () => Promise<T> | T): Promise<T> {
		const roomId = typeof room === 'string' ? room : room.id
		const exclusive = typeof room === 'string' ? null : room.exclusive
		if (exclusive) {
			const inner = task
			task = () => exclusive(async () => inner())
		}
		const previous = this.tails.get(roomId) ?? Promise.resolve()
		const result = previous.then(task, task)
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
}
