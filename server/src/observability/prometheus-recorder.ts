/**
 * What the server records for Prometheus (observability/prometheus.ts implements it with prom-client). Without
 * `METRICS_TOKEN` nobody can read `GET /metrics` (it answers 404), so app.ts records into
 * {@link NO_PROMETHEUS} and prom-client is never loaded (about 1 MiB of heap at idle).
 */
export interface PrometheusRecorder {
	/** One update committed `durableMs` after it arrived. */
	committed(durableMs: number): void
	/** One update power-safe `powerSafeMs` after it arrived. */
	powerSafe(powerSafeMs: number): void
	/** A peer's change was refused for `reason`. */
	rejectedChange(reason: string): void
	/** A request to `route` was answered 429. */
	rateLimitedRequest(route: string): void
	/** The Prometheus text exposition of every metric. */
	render(): Promise<{ contentType: string; body: string }>
}

/** The recorder of a server without `METRICS_TOKEN`: records nothing (nothing can be scraped). */
export const NO_PROMETHEUS: PrometheusRecorder = Object.freeze({
	committed() {},
	powerSafe() {},
	rejectedChange() {},
	rateLimitedRequest() {},
	render() {
		return Promise.reject(new Error('Prometheus metrics are off: METRICS_TOKEN is not set'))
	},
})
