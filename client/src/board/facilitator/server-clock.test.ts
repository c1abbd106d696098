import { describe, expect, it } from 'vitest'
import { ServerClock } from './server-clock'

describe('ServerClock', () => {
	it('corrects the local clock by the offset of the fastest round trip', async () => {
		let local = 1_000
		const clock = new ServerClock(() => local)
		expect(clock.now()).toBe(1_000)
		// Server 60 s ahead; a slow round trip first, then a fast one.
		await clock.measure(async () => {
			local += 800
			return 61_400 + 300
		})
		await clock.measure(async () => {
			local += 20
			return local - 10 + 60_000
		})
		expect(clock.offset).toBe(60_000)
		expect(clock.now()).toBe(local + 60_000)
	})

	it('keeps the last estimate when a request fails', async () => {
		const clock = new ServerClock(() => 0)
		clock.addSample({ sentAt: 0, receivedAt: 0, serverNow: 500 })
		await clock.measure(async () => {
			throw new Error('offline')
		})
		expect(clock.offset).toBe(500)
	})
})
