import { describe, expect, it } from 'vitest'
import { ConnectionTracker } from './connection-state'

describe('ConnectionTracker', () => {
	it('starts connecting and is connected after the first sync', () => {
		const tracker = new ConnectionTracker()
		expect(tracker.getSnapshot()).toEqual({ phase: 'connecting', unsent: 0 })
		tracker.setStatus('connected')
		expect(tracker.getSnapshot().phase).toBe('connecting')
		tracker.setSynced(true)
		expect(tracker.getSnapshot()).toEqual({ phase: 'connected', unsent: 0 })
	})

	it('reconnects without changes, goes offline with them, counts records once, resets on sync', () => {
		const tracker = new ConnectionTracker()
		tracker.setSynced(true)
		tracker.recordLocalChanges(['shape:a'])
		expect(tracker.getSnapshot()).toEqual({ phase: 'connected', unsent: 0 })

		tracker.setStatus('disconnected')
		expect(tracker.getSnapshot()).toEqual({ phase: 'reconnecting', unsent: 0 })
		tracker.recordLocalChanges(['shape:a', 'shape:b'])
		tracker.recordLocalChanges(['shape:a'])
		expect(tracker.getSnapshot()).toEqual({ phase: 'offline', unsent: 2 })

		// Connected again but not yet synced: still waiting.
		tracker.setStatus('connected')
		tracker.recordLocalChanges(['shape:c'])
		expect(tracker.getSnapshot()).toEqual({ phase: 'offline', unsent: 3 })

		tracker.setSynced(true)
		expect(tracker.getSnapshot()).toEqual({ phase: 'connected', unsent: 0 })
	})

	it('notifies only on real changes and keeps the snapshot identity otherwise', () => {
		const tracker = new ConnectionTracker()
		let calls = 0
		const unsubscribe = tracker.subscribe(() => calls++)
		tracker.setSynced(true)
		const connected = tracker.getSnapshot()
		tracker.setStatus('connected')
		tracker.recordLocalChanges(['shape:a'])
		expect(calls).toBe(1)
		expect(tracker.getSnapshot()).toBe(connected)
		tracker.setSynced(false)
		expect(calls).toBe(2)
		unsubscribe()
		tracker.recordLocalChanges(['shape:a'])
		expect(calls).toBe(2)
		expect(tracker.getSnapshot()).toEqual({ phase: 'offline', unsent: 1 })
	})
})
