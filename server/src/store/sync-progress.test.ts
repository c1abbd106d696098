import { describe, expect, it } from 'vitest'
import { POWER_SAFE_LAG_LIMIT_MS, SyncProgress } from './sync-progress'

describe('SyncProgress', () => {
	it('numbers writes, and resolves the waiters a finished fdatasync covers, oldest first', async () => {
		const progress = new SyncProgress(() => {})
		expect(progress.whenSynced()).toBeNull()
		expect(progress.lagMs()).toBe(0)
		expect([progress.wrote(), progress.wrote()]).toEqual([1, 2])
		const first = progress.whenSynced()
		// The fdatasync starting now covers what was written so far.
		const target = progress.lastWritten
		progress.wrote()
		const second = progress.whenSynced()
		const resolved: string[] = []
		void first?.then(() => resolved.push('first'))
		void second?.then(() => resolved.push('second'))
		expect(progress.behind).toBe(true)
		expect(progress.lagMs(performance.now() + 50)).toBeGreaterThanOrEqual(50)
		progress.syncedUpTo(target)
		await first
		expect(resolved).toEqual(['first'])
		expect(progress.behind).toBe(true)
		progress.syncedUpTo(progress.lastWritten)
		await second
		expect(resolved).toEqual(['first', 'second'])
		expect(progress.behind).toBe(false)
		expect(progress.whenSynced()).toBeNull()
		expect(progress.lagMs()).toBe(0)
		// A late report of an older fdatasync does not move it back.
		progress.syncedUpTo(1)
		expect(progress.behind).toBe(false)
	})

	it('starts one fdatasync at the end of the turn however often it is asked for, and says when it is overdue', async () => {
		let started = 0
		const progress = new SyncProgress(() => started++)
		progress.requestAtEndOfTurn()
		progress.requestAtEndOfTurn()
		expect(started).toBe(0)
		await new Promise((resolve) => setImmediate(resolve))
		expect(started).toBe(1)
		const names = { file: 'the WAL', writes: 'commits' }
		expect(progress.health(null, names)).toEqual({ ok: true })
		expect(progress.health('EIO: i/o error', names)).toEqual({
			ok: false,
			error: 'fdatasync of the WAL failed: EIO: i/o error',
		})
		progress.wrote()
		expect(progress.health(null, names)).toEqual({ ok: true })
		const realNow = performance.now.bind(performance)
		performance.now = () => realNow() + POWER_SAFE_LAG_LIMIT_MS + 10
		try {
			expect(progress.health(null, names)).toMatchObject({
				ok: false,
				error: expect.stringMatching(/^commits not power-safe for \d+ ms$/),
			})
		} finally {
			performance.now = realNow
		}
	})
})
