/** Benchmark parameters: the full run and the `--quick` smoke run. */
import type { ColdLoadParams } from './scenarios/cold-load'
import type { DurableParams } from './scenarios/durable'
import type { MemoryParams } from './scenarios/memory'
import type { SaturationParams } from './scenarios/saturation'

/** One S1 point: R rooms × C clients, each client changing its note once a second. */
export interface FanoutPoint {
	rooms: number
	clientsPerRoom: number
	fullPerRoom: number
	warmupMs: number
	durationMs: number
	drainMs: number
}

/** Everything a bench run does. */
export interface BenchConfig {
	name: 'full' | 'quick'
	/** A/B rounds: 2 runs ours, reference, ours, reference. */
	rounds: number
	fanout: FanoutPoint[]
	saturation: SaturationParams
	memory: MemoryParams
	coldLoad: ColdLoadParams
	durable: DurableParams
}

/** Full clients per room in S1: all of them in small rooms, five in rooms of 30 (the rest are sinks). */
const FULL_CLIENTS_PER_ROOM = 5

function fanoutPoints(
	rooms: number[],
	clients: number[],
	durationMs: (r: number, c: number) => number,
	warmupMs: number
): FanoutPoint[] {
	const points: FanoutPoint[] = []
	for (const c of clients) {
		for (const r of rooms) {
			points.push({
				rooms: r,
				clientsPerRoom: c,
				fullPerRoom: Math.min(c, FULL_CLIENTS_PER_ROOM),
				warmupMs,
				durationMs: durationMs(r, c),
				drainMs: 3000,
			})
		}
	}
	return points
}

/**
 * Changes in each S1 window at least, unless that would take longer than {@link MAX_FANOUT_WINDOW_MS}. Each change
 * reaches every other client of its room and one stall delays all of them, so a round's p99 is about its
 * (changes / 100)th slowest change: with 300 (until finding 28) that was the third slowest at 10 × 5 and 1 × 30 — three
 * stalls of the shared machine decided the point, and the two servers' rounds crossed from run to run. 1500 make it
 * the fifteenth, and the two rounds pooled the thirtieth.
 */
export const MIN_CHANGES_PER_FANOUT_WINDOW = 1500

/** The longest S1 window: at 1 × 5 (5 changes a second) it holds 300 changes, the third slowest its p99. */
export const MAX_FANOUT_WINDOW_MS = 60_000

/**
 * An S1 window: 6 s, 15 s for the small points, and long enough for {@link MIN_CHANGES_PER_FANOUT_WINDOW} changes at
 * the point's rate (each client changes its note once a second) up to {@link MAX_FANOUT_WINDOW_MS}: 60 s at 1 × 5,
 * 50 s at 1 × 30, 30 s at 10 × 5.
 */
export function fanoutWindowMs(rooms: number, clientsPerRoom: number): number {
	const rate = rooms * clientsPerRoom
	const forChanges = Math.min(MAX_FANOUT_WINDOW_MS, Math.ceil((MIN_CHANGES_PER_FANOUT_WINDOW / rate) * 1000))
	return Math.max(rate < 50 ? 15_000 : 6_000, forChanges)
}

/** The full benchmark (about twenty-eight minutes on a two-core machine). */
export const FULL: BenchConfig = {
	name: 'full',
	rounds: 2,
	fanout: fanoutPoints([1, 10, 50], [5, 30], fanoutWindowMs, 1_500),
	saturation: {
		rooms: 50,
		clientsPerRoom: 5,
		fullPerRoom: 1,
		rates: [250, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 11000, 12000],
		p99LimitMs: 50,
		warmupMs: 1000,
		stepMs: 3000,
		drainMs: 2000,
	},
	// 2000 idle connections (40 per room): the V8 heap grows by 256 KiB pages and glibc's arenas by what a trim
	// leaves — at 500 the reference's own rounds spread 3.3–5.1 KiB per connection, at 2000 4.5–5.0 (finding 18).
	memory: { emptyRooms: 50, idlePerRoom: 40, warmupRooms: 5, noteRooms: 10, notesPerRoom: 1000, settleMs: 1000 },
	coldLoad: {
		batch: 100,
		rooms: [
			{ label: '1000 notes', notes: 1000, moves: 0 },
			{ label: '5000 notes', notes: 5000, moves: 0 },
			{ label: '5000 notes, each moved 20×', notes: 5000, moves: 20 },
		],
	},
	durable: {
		rooms: 50,
		clientsPerRoom: 5,
		fullPerRoom: 1,
		ratePerSecond: 1000,
		warmupMs: 1000,
		durationMs: 8000,
		drainMs: 2000,
	},
}

/** The smoke run (`--quick`, under two minutes): same scenarios, smaller and shorter. */
export const QUICK: BenchConfig = {
	name: 'quick',
	rounds: 1,
	fanout: [
		{ rooms: 1, clientsPerRoom: 5, fullPerRoom: 5, warmupMs: 500, durationMs: 3000, drainMs: 2000 },
		{ rooms: 10, clientsPerRoom: 30, fullPerRoom: 5, warmupMs: 500, durationMs: 2000, drainMs: 2000 },
	],
	saturation: {
		rooms: 50,
		clientsPerRoom: 5,
		fullPerRoom: 1,
		rates: [500, 1000, 2000, 4000],
		p99LimitMs: 50,
		warmupMs: 500,
		stepMs: 1500,
		drainMs: 1500,
	},
	memory: { emptyRooms: 10, idlePerRoom: 5, warmupRooms: 2, noteRooms: 3, notesPerRoom: 1000, settleMs: 300 },
	coldLoad: {
		batch: 100,
		rooms: [
			{ label: '1000 notes', notes: 1000, moves: 0 },
			{ label: '1000 notes, each moved 5×', notes: 1000, moves: 5 },
		],
	},
	durable: {
		rooms: 50,
		clientsPerRoom: 5,
		fullPerRoom: 1,
		ratePerSecond: 500,
		warmupMs: 500,
		durationMs: 2000,
		drainMs: 1500,
	},
}
