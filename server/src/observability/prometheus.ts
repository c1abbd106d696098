import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { PrometheusRecorder } from './prometheus-recorder'

/** What the gauges read when Prometheus scrapes. */
export interface GaugeSources {
	/** Open websocket connections. */
	connections(): number
	/** Rooms in memory. */
	loadedRooms(): number
	/** How long the oldest commit not yet power-safe has waited (ms). */
	powerSafeLagMs?(): number
}

/** Buckets of the commit latency histogram, in seconds (1 ms … 5 s). */
export const COMMIT_BUCKETS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5]

/**
 * The server's Prometheus metrics, on a registry of their own (so two apps in one test process do not share
 * counters), served as text on `GET /metrics` (routes/prometheus.ts):
 *
 * - `kompasbord_websocket_connections`, `kompasbord_loaded_rooms` (gauges, read at scrape time);
 * - `kompasbord_updates_committed_total`: room updates made durable (`rate()` of it is updates per second);
 * - `kompasbord_commit_duration_seconds`: histogram of an update's time from arrival to crash-safe (in the update log, or committed);
 * - `kompasbord_power_safe_duration_seconds`: histogram of an update's time from arrival to power-safe (fsync'd);
 * - `kompasbord_power_safe_lag_seconds`: how long the oldest commit not yet power-safe has waited (gauge);
 * - `kompasbord_rejected_changes_total{reason}`: peer changes the server reverted (rooms/permissions.ts reasons);
 * - `kompasbord_rate_limited_requests_total{route}`: requests answered 429;
 * - Node's default metrics, among them `nodejs_eventloop_lag_seconds` and its percentiles
 *   (`nodejs_eventloop_lag_p99_seconds`, …), heap and GC.
 *
 * Made only when `METRICS_TOKEN` is set (app.ts imports this module then; prometheus-recorder.ts).
 */
export class PrometheusMetrics implements PrometheusRecorder {
	readonly registry = new Registry()
	private readonly updates: Counter
	private readonly commitSeconds: Histogram
	private readonly powerSafeSeconds: Histogram
	private readonly rejected: Counter<'reason'>
	private readonly rateLimited: Counter<'route'>

	constructor(sources: GaugeSources) {
		const registers = [this.registry]
		collectDefaultMetrics({ register: this.registry })
		new Gauge({
			name: 'kompasbord_websocket_connections',
			help: 'Open websocket connections',
			registers,
			collect() {
				this.set(sources.connections())
			},
		})
		new Gauge({
			name: 'kompasbord_loaded_rooms',
			help: 'Rooms loaded in memory',
			registers,
			collect() {
				this.set(sources.loadedRooms())
			},
		})
		this.updates = new Counter({
			name: 'kompasbord_updates_committed_total',
			help: 'Room updates committed to the store (durable)',
			registers,
		})
		this.commitSeconds = new Histogram({
			name: 'kompasbord_commit_duration_seconds',
			help: "Time from an update's arrival to crash-safe: in the update log (SQLite, DURABILITY=crash) or committed",
			buckets: COMMIT_BUCKETS,
			registers,
		})
		this.powerSafeSeconds = new Histogram({
			name: 'kompasbord_power_safe_duration_seconds',
			help: "Time from an update's arrival to power-safe in the store (fsync'd)",
			buckets: COMMIT_BUCKETS,
			registers,
		})
		new Gauge({
			name: 'kompasbord_power_safe_lag_seconds',
			help: 'How long the oldest commit not yet power-safe has waited (0: none waits)',
			registers,
			collect() {
				this.set((sources.powerSafeLagMs?.() ?? 0) / 1000)
			},
		})
		this.rejected = new Counter({
			name: 'kompasbord_rejected_changes_total',
			help: 'Changes of peers the server refused and reverted, by reason',
			labelNames: ['reason'],
			registers,
		})
		this.rateLimited = new Counter({
			name: 'kompasbord_rate_limited_requests_total',
			help: 'Requests refused with 429 (rate limit), by route',
			labelNames: ['route'],
			registers,
		})
	}

	/** One update committed `durableMs` after it arrived. */
	committed(durableMs: number): void {
		this.updates.inc()
		this.commitSeconds.observe(durableMs / 1000)
	}

	/** One update power-safe `powerSafeMs` after it arrived. */
	powerSafe(powerSafeMs: number): void {
		this.powerSafeSeconds.observe(powerSafeMs / 1000)
	}

	/** A peer's change was refused for `reason`. */
	rejectedChange(reason: string): void {
		this.rejected.inc({ reason })
	}

	/** A request to `route` was answered 429. */
	rateLimitedRequest(route: string): void {
		this.rateLimited.inc({ route })
	}

	/** The Prometheus text exposition of every metric. */
	async render(): Promise<{ contentType: string; body: string }> {
		return { contentType: this.registry.contentType, body: await this.registry.metrics() }
	}
}
