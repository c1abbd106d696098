import { createRequire } from 'node:module'
import { constants, PerformanceObserver } from 'node:perf_hooks'
import type { FastifyBaseLogger } from 'fastify'

/**
 * Hands the memory glibc's malloc arenas keep free back to the system (`malloc_trim(0)`, through our addon
 * `@kompasbord/malloc-trim`): what loaded rooms, their connections and SQLite allocated and freed stays in
 * glibc's arenas for reuse, and a server whose rooms have all unloaded would hold it as RSS until they load
 * again (about 5 MiB after 50 rooms). Released whenever the last loaded room unloads (app.ts) — not while rooms
 * are loaded, where the memory is reused soon — right away and again after the next full GC: much of what glibc
 * holds is freed only when V8 collects the objects that own it (V8's memory reducer runs full GCs a few seconds
 * after a busy period ends).
 *
 * Not at start-up: since the packages are loaded by `require` and Yjs is bundled (docs/benchmarks.md finding 17),
 * start-up leaves little free in the arenas (−0.3 MiB), and what it gave back the first rooms and connections
 * would take back from the system (findings 6 and 16).
 *
 * Optional: where the addon was not built (no C compiler at install) or the C library is not glibc, nothing
 * is released, logged once at debug.
 */

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
export function releaseFreeMemory(log: FastifyBaseLogger): boolean | null {
	const trimmer = loadAddon(log)
	if (!trimmer) return null
	const released = trimmer.trim()
	log.debug({ released }, 'malloc_trim: free memory handed back to the system')
	return released
}

/**
 * Releases the memory glibc keeps free now and again after the next full (mark-compact) GC, if `stillIdle()`
 * says so then. A later call while one waits for its GC does not arm a second observer.
 */
export function releaseFreeMemoryWhenIdle(log: FastifyBaseLogger, stillIdle: () => boolean): void {
	if (releaseFreeMemory(log) === null || waitingForGc) return
	waitingForGc = true
	const observer = new PerformanceObserver((list) => {
		const fullGc = list
			.getEntries()
			.some((entry) => (entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
		if (!fullGc) return
		observer.disconnect()
		waitingForGc = false
		if (stillIdle()) releaseFreeMemory(log)
	})
	observer.observe({ entryTypes: ['gc'] })
}

let waitingForGc = false
