import { describe, expect, it } from 'vitest'
import { SyncProgress } from './sync-progress'

describe('SyncProgress', () => {
	it('numbers writes, and resolves the waiters a finished fdatasync covers, oldest first', async () => {
		const progress = new SyncProgress()
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
})
