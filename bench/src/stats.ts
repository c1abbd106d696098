/** Small statistics helpers for latency samples (milliseconds). */

/** A growable list of samples backed by a Float64Array, cheap to fill with hundreds of thousands of values. */
export class Samples {
	private data = new Float64Array(1024)
	private n = 0

	/** Number of samples recorded. */
	get count(): number {
		return this.n
	}

	/** Records one sample. */
	add(value: number): void {
		if (this.n === this.data.length) {
			const next = new Float64Array(this.data.length * 2)
			next.set(this.data)
			this.data = next
		}
		this.data[this.n++] = value
	}

	/** Appends all samples of another list. */
	addAll(other: Samples): void {
		for (const v of other.values()) this.add(v)
	}

	/** The recorded samples, in recording order (a view, not a copy). */
	values(): Float64Array {
		return this.data.subarray(0, this.n)
	}

	/** p50, p99 and the rest of the summary; NaN figures when empty. */
	summary(): LatencySummary {
		return summarize(this.values())
	}
}

/** Percentiles of a set of latencies, in milliseconds. */
export interface LatencySummary {
	count: number
	p50: number
	p90: number
	p99: number
	max: number
	mean: number
}

/** Summarizes samples (copied and sorted; the input is left untouched). */
export function summarize(values: Float64Array | number[]): LatencySummary {
	const sorted = Float64Array.from(values).sort()
	const n = sorted.length
	if (n === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN }
	let sum = 0
	for (const v of sorted) sum += v
	return {
		count: n,
		p50: percentileOfSorted(sorted, 0.5),
		p90: percentileOfSorted(sorted, 0.9),
		p99: percentileOfSorted(sorted, 0.99),
		max: sorted[n - 1],
		mean: sum / n,
	}
}

/** The q-quantile (0…1) of ascending values, nearest-rank method. */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
	if (sorted.length === 0) return NaN
	const rank = Math.ceil(q * sorted.length)
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]
}

/** The median of a few numbers (NaN when empty). */
export function median(values: number[]): number {
	if (values.length === 0) return NaN
	const s = [...values].sort((a, b) => a - b)
	const mid = Math.floor(s.length / 2)
	return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
}

/** The arithmetic mean (NaN when empty). */
export function mean(values: number[]): number {
	if (values.length === 0) return NaN
	return values.reduce((a, b) => a + b, 0) / values.length
}
