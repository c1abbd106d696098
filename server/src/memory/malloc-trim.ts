import { createRequire } from 'node:module'
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks'
import type { FastifyBaseLogger } from 'fastify'

/**
 * Hands the memory glibc's malloc arenas keep free back to the system (`malloc_trim(0)`, through our addon
 * `@kompasbord/malloc-trim`). What V8's compilers, the sockets and SQLite allocate and free between long-lived
 * allocations stays in glibc's arenas as free pages in between, which count as RSS until malloc reuses them: a
 * join storm left about 0.5 KiB per connection so (docs/benchmarks.md, findings 19 and 22). Released:
 *
 * - after a full (mark-compact) GC, at most once per {@link TRIM_AFTER_FULL_GC_INTERVAL_MS}: much of what glibc
 *   holds is freed only when V8 collects the objects that own it, and V8 runs full GCs when the heap has grown or
 *   a few seconds after a busy period ends (its memory reducer) — a trim of what is free costs a fraction of a
 *   millisecond beside the collection itself, and pages malloc needs again come back one page fault each;
 * - when the last loaded room unloads (app.ts), right away.
 *
 * Optional: where the addon was not built (no C compiler at install) or the C library is not glibc, nothing
 * is released, logged once at debug.
 */

/** What a trim followed, in its debug line. */
export type TrimReason = 'full-gc' | 'rooms-unloaded'

/**
 * Full GCs closer together than this after a trim are not followed by another: at most ten trims a second, a
 * fraction of a per cent of the core when full GCs come back to back.
 */
export const TRIM_AFTER_FULL_GC_INTERVAL_MS = 100

/** The addon's interface (server/native/malloc-trim). */
interface MallocTrimAddon {
	/** glibc's malloc_trim(0): true when memory was released. */
	trim(): boolean
}

let addon: MallocTrimAddon | null | undefined

/** The addon, or null (logged once at debug) when it cannot be loaded. */
function loadAddon(log: FastifyBaseLogger): MallocTrimAddon | null {
	if (addon !== undefined) return addon
	try {
		addon = createRequire(import.meta.url)('@kompasbord/malloc-trim') as MallocTrimAddon
	} catch (error) {
		addon = null
		log.debug({ err: error }, 'malloc_trim addon not loaded: glibc keeps the memory its arenas free')
	}
	return addon
}

/**
 * Releases the memory glibc's malloc keeps free, if the addon is there. Logs at debug what it did.
 * @returns whether the addon ran (null when it is missing), and whether it released memory
 */
export function releaseFreeMemory(log: FastifyBaseLogger, reason: TrimReason): boolean | null {
	const trimmer = loadAddon(log)
	if (!trimmer) return null
	const released = trimmer.trim()
	log.debug({ released, reason }, 'malloc_trim: free memory handed back to the system')
	return released
}

/**
 * Releases the memory glibc keeps free after every full GC, at most once per `minIntervalMs`, if the addon is there.
 * @returns stops it
 */
export function releaseFreeMemoryAfterFullGcs(
	log: FastifyBaseLogger,
	minIntervalMs = TRIM_AFTER_FULL_GC_INTERVAL_MS
): () => void {
	if (loadAddon(log) === null) return () => {}
	let lastTrimAt = Number.NEGATIVE_INFINITY
	const observer = new PerformanceObserver((list) => {
		if (!list.getEntries().some(isFullGc)) return
		const now = performance.now()
		if (now - lastTrimAt < minIntervalMs) return
		lastTrimAt = now
		releaseFreeMemory(log, 'full-gc')
	})
	observer.observe({ entryTypes: ['gc'] })
	return () => observer.disconnect()
}

function isFullGc(entry: PerformanceEntry): boolean {
	return (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR
}
