/**
 * A token bucket: up to `capacity` at once, refilled at `perSecond`. For the per-connection budgets of the
 * websocket endpoint (sync requests, bytes of changes).
 */
export class TokenBucket {
	private tokens: number
	private at = -1

	constructor(
		private readonly capacity: number,
		private readonly perSecond: number
	) {
		this.tokens = capacity
	}

	/** Takes `amount` tokens if there are that many; false (nothing taken) otherwise. */
	take(amount: number, now = performance.now()): boolean {
		if (this.at >= 0) this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond)
		this.at = now
		if (this.tokens < amount) return false
		this.tokens -= amount
		return true
	}
}
