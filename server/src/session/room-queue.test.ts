import { describe, expect, it } from 'vitest'
import { RoomQueue } from './room-queue'

describe('RoomQueue', () => {
	it('runs the tasks of one room one after the other, and a failure does not stop the next', async () => {
		const queue = new RoomQueue()
		const log: string[] = []
		let release!: () => void
		const gate = new Promise<void>((resolve) => (release = resolve))
		const first = queue.run('r1', async () => {
			log.push('a start')
			await gate
			log.push('a end')
		})
		const second = queue.run('r1', async () => {
			log.push('b')
			throw new Error('b failed')
		})
		const third = queue.run('r1', () => log.push('c'))
		const other = queue.run('r2', () => log.push('other room'))
		await other
		expect(log).toEqual(['a start', 'other room'])
		release()
		await first
		await expect(second).rejects.toThrow('b failed')
		await third
		expect(log).toEqual(['a start', 'other room', 'a end', 'b', 'c'])
	})
})
