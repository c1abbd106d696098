/**
 * Layout of the {@link WalGrowth} counters in their SharedArrayBuffer, also read and written by the worker threads
 * (wal-checkpointer.worker.mjs, update-writer.worker.mjs), which are plain JavaScript and cannot import this
 * module: two Uint32 slots, each only ever increased with `Atomics.add` and wrapping at 2^32, so a reader takes
 * the difference of two readings (`(now - before) >>> 0`).
 */
export const WAL_GROWTH_TRANSACTIONS = 0
export const WAL_GROWTH_BYTES = 1
const SLOTS = 2

/**
 * What the room-update commits have added to the WAL, counted by whoever commits them (the main thread's
 * {@link MainThreadAppender}, or the commit thread with durability `power`) and read by the checkpoint thread on
 * its timer, which checkpoints once the WAL has grown enough ({@link WalCheckpointer}). Shared memory, not a
 * message per commit: counting costs the committing thread two atomic adds and wakes no other thread.
 */
export class WalGrowth {
	readonly buffer: SharedArrayBuffer
	private readonly slots: Uint32Array

	constructor(buffer = new SharedArrayBuffer(SLOTS * Uint32Array.BYTES_PER_ELEMENT)) {
		this.buffer = buffer
		this.slots = new Uint32Array(buffer)
	}

	/** One transaction was committed, holding `bytes` of update data. */
	committed(bytes: number): void {
		Atomics.add(this.slots, WAL_GROWTH_TRANSACTIONS, 1)
		Atomics.add(this.slots, WAL_GROWTH_BYTES, bytes)
	}

	/** Transactions counted so far (wraps at 2^32). */
	get transactions(): number {
		return Atomics.load(this.slots, WAL_GROWTH_TRANSACTIONS)
	}

	/** Update bytes counted so far (wraps at 2^32). */
	get bytes(): number {
		return Atomics.load(this.slots, WAL_GROWTH_BYTES)
	}
}
