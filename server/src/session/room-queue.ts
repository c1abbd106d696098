/**
 * Runs tasks of one room one after the other (tasks of different rooms run independently), so a check and
 * the writes it guards are never interleaved with another request of the same room.
 */
export class RoomQueue {
	private readonly tails = new Map<string, Promise<unknown>>()

	/** Runs `task` after every task queued before for `roomId`; resolves or rejects with it. */
	run<T>(roomId: string, task: () => Promise<T> | T): Promise<T> {
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
