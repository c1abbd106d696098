import { framedMessage } from './binary-frame'
import { SYNC_STEP_2_HEAD } from './protocol'

/** How long an answer is kept after it was last sent: a room's join storm (a QR code on the projector) shares one. */
export const FRESH_SYNC_KEEP_MS = 10_000

/**
 * The largest answer kept (its frame's bytes): a workshop board of a few hundred notes. A bigger board is encoded
 * for each client as before, so a loaded room never holds a second copy of a big board for long.
 */
export const FRESH_SYNC_MAX_KEPT_BYTES = 256 * 1024

/** A y-protocols state vector of a doc that holds nothing: what a client joining for the first time sends. */
export function isEmptyStateVector(stateVector: Uint8Array): boolean {
	return stateVector.byteLength === 1 && stateVector[0] === 0
}

/**
 * A room's answer to a client that joins with an empty doc (sync step 1 with an empty state vector): sync step 2
 * with the whole board, framed for the wire ({@link framedMessage}). Every fresh client gets the same answer until the
 * board changes, so it is encoded and framed once and the same buffer is written to each of them, kept
 * {@link FRESH_SYNC_KEEP_MS} after it was last sent.
 *
 * Without it each join encoded the board three times over (the update, the message, the frame), and these
 * buffers, freed a moment later between the blocks every new connection keeps, left glibc's heap in pieces it
 * cannot give back: about 1.5–2 KiB of RSS per idle connection on the blanco board (docs/benchmarks.md, finding 19).
 */
export class FreshSyncAnswer {
	private frame: Buffer | null = null
	private expiry: NodeJS.Timeout | null = null

	/**
	 * @param encode - the whole board as one update (the room's answer to an empty state vector)
	 */
	constructor(
		private readonly encode: () => Uint8Array,
		private readonly keepMs = FRESH_SYNC_KEEP_MS,
		private readonly maxKeptBytes = FRESH_SYNC_MAX_KEPT_BYTES
	) {}

	/**
	 * The framed answer: the one kept, or a new one (kept when it is small enough). `ready`: the answer already
	 * framed (a room that has not decoded its stored update keeps it inside its frame), used instead of encoding.
	 */
	take(ready?: Buffer | null): Buffer {
		if (this.frame) {
			this.expiry?.refresh()
			return this.frame
		}
		const frame = ready ?? framedMessage(SYNC_STEP_2_HEAD, this.encode())
		if (frame.byteLength <= this.maxKeptBytes) {
			this.frame = frame
			this.expiry = setTimeout(() => this.drop(), this.keepMs)
			this.expiry.unref()
		}
		return frame
	}

	/** Whether an answer is kept now. */
	get holds(): boolean {
		return this.frame !== null
	}

	/** The board changed (or the room unloads): the answer kept, if any, is stale. */
	drop(): void {
		this.frame = null
		if (this.expiry) clearTimeout(this.expiry)
		this.expiry = null
	}
}
