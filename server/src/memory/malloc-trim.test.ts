import { createRequire } from 'node:module'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { FastifyBaseLogger } from 'fastify'
import pino from 'pino'
import { describe, expect, it } from 'vitest'
import { releaseFreeMemory, releaseFreeMemoryWhenIdle } from './malloc-trim'

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
		expect(releaseFreeMemory(log)).not.toBeNull()
		expect(trims(lines)).toEqual([expect.objectContaining({ released: expect.any(Boolean) })])
	})

	it('releaseFreeMemoryWhenIdle runs it now and again after the next full GC while still idle', async () => {
		// A full GC on demand, as --expose-gc gives it.
		setFlagsFromString('--expose-gc')
		const gc = runInNewContext('gc') as () => void
		let secondTrim = () => {}
		const afterGc = new Promise<void>((resolve) => {
			secondTrim = resolve
		})
		const { log, lines } = recordingLogger(() => trims(lines).length === 2 && secondTrim())
		releaseFreeMemoryWhenIdle(log, () => true)
		expect(trims(lines)).toHaveLength(1)
		gc()
		await afterGc
	})
})
