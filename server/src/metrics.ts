/** Keeps the latest samples of a duration and reports percentiles. */
export class DurationSamples {
	private readonly samples: Float64Array
	private next = 0
	private filled = 0
	count = 0

	constructor(capacity = 10_000) {
		this.samples = new Float64Array(capacity)
	}

	add(ms: number): void {
		this.samples[this.next] = ms
		this.next = (this.next + 1) % this.samples.length
		this.filled = Math.min(this.filled + 1, this.samples.length)
		this.count++
	}

	/** p50/p99/max over the kept samples, in ms (null without samples). */
	summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
		if (this.filled === 0) return { count: this.count, p50: null, p99: null, max: null }
		const sorted = Array.from(this.samples.subarray(0, this.filled)).sort((a, b) => a - b)
		const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
		return { count: this.count, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] }
	}

	reset(): void {
		this.next = 0
		this.filled = 0
		this.count = 0
	}
}

/** Server-side measurements exposed on `GET /api/metrics`. */
export interface ServerMetrics {
	/** From an update's arrival to its commit (crash-safe). */
	durable: DurationSamples
	/** From an update's arrival to power-safe (fsync'd). */
	powerSafe: DurationSamples
	/** What a committed update survives: the store's durability (PostgreSQL: `power`). */
	durability: 'crash' | 'power'
	/** How long the oldest commit not yet power-safe has waited (ms; 0 when none waits). */
	powerSafeLagMs(): number
}
