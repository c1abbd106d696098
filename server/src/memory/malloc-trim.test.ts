import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { FastifyBaseLogger } from 'fastify'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { PerformanceObserver, constants } from 'node:perf_hooks'
import { releaseFreeMemory, releaseFreeMemoryAfterFullGcs } from './malloc-trim'

/** A real pino logger at debug whose lines the test reads. */
function recordingLogger(onLine?: () => void): { log: FastifyBaseLogger; lines: Record<string, unknown>[] } {
	const lines: Record<string, unknown>[] = []
	const write = (line: string) => {
		lines.push(JSON.parse(line))
		onLine?.()
	}
	return { log: pino({ level: 'debug' }, { write }) as unknown as FastifyBaseLogger, lines }
}

const trims = (lines: Record<string, unknown>[]) => lines.filter((line) => String(line.msg).startsWith('malloc_trim'))

describe('malloc_trim addon', () => {
	it('is built at install (pnpm install runs its node-gyp build) and runs malloc_trim', () => {
		const addon = createRequire(import.meta.url)('@kompasbord/malloc-trim') as { trim(): boolean }
		expect(typeof addon.trim()).toBe('boolean')
	})

	it('releaseFreeMemory runs it and logs what it did', () => {
		const { log, lines } = recordingLogger()
		expect(releaseFreeMemory(log, 'rooms-unloaded')).not.toBeNull()
		expect(trims(lines)).toEqual([expect.objectContaining({ released: expect.any(Boolean), reason: 'rooms-unloaded' })])
	})

	it('releaseFreeMemoryAfterFullGcs runs it after a full GC, not again within its interval, and stops', async () => {
		// A full GC on demand, as --expose-gc gives it.
		setFlagsFromString('--expose-gc')
		const gc = runInNewContext('gc') as () => void
		/** Resolves once this process has reported a full GC to its observers (ours is notified before this one). */
		const fullGcReported = () =>
			new Promise<void>((resolve) => {
				const observer = new PerformanceObserver((list) => {
					const full = list
						.getEntries()
						.some((e) => (e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)
					if (!full) return
					observer.disconnect()
					setImmediate(resolve)
				})
				observer.observe({ entryTypes: ['gc'] })
			})
		const { log, lines } = recordingLogger()
		const stop = releaseFreeMemoryAfterFullGcs(log, 60 * 60_000)
		try {
			expect(trims(lines)).toHaveLength(0)
			let reported = fullGcReported()
			gc()
			await reported
			expect(trims(lines)).toHaveLength(1)
			// Within the interval: no second trim.
			reported = fullGcReported()
			gc()
			await reported
			expect(trims(lines)).toHaveLength(1)
		} finally {
			stop()
		}
		// Stopped: a full GC trims nothing more; a new one with no interval trims after each.
		const { log: log2, lines: lines2 } = recordingLogger()
		const stop2 = releaseFreeMemoryAfterFullGcs(log2, 0)
		try {
			for (let i = 1; i <= 2; i++) {
				const reported = fullGcReported()
				gc()
				await reported
				expect(trims(lines2)).toHaveLength(i)
				expect(trims(lines2)[i - 1]).toMatchObject({ reason: 'full-gc' })
			}
		} finally {
			stop2()
		}
		expect(trims(lines)).toHaveLength(1)
	})
})
