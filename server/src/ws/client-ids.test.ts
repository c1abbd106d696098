import { describe, expect, it } from 'vitest'
import { ClientIds } from './client-ids'

/** Applies the same operations to a ClientIds and a Set and checks they agree after each. */
function agree(ops: Array<['add' | 'delete', number]>): void {
	const ids = new ClientIds()
	const set = new Set<number>()
	for (const [op, id] of ops) {
		if (op === 'add') {
			expect(ids.add(id)).toBe(ids)
			set.add(id)
		} else {
			expect(ids.delete(id)).toBe(set.delete(id))
		}
		expect(ids.size).toBe(set.size)
		expect([...ids]).toEqual([...set])
		for (const probe of [0, 1, 2, 3, 7, 42]) expect(ids.has(probe)).toBe(set.has(probe))
	}
}

describe('the awareness client ids of a connection', () => {
	it('holds one id without a set, as a set would', () => {
		agree([
			['add', 7],
			['add', 7],
			['delete', 3],
			['delete', 7],
			['delete', 7],
			['add', 0],
		])
	})

	it('holds more ids in the order they came, and keeps working as they are removed and added again', () => {
		agree([
			['add', 1],
			['add', 2],
			['add', 1],
			['add', 3],
			['delete', 1],
			['add', 1],
			['delete', 2],
			['delete', 3],
			['delete', 1],
			['add', 42],
			['add', 0],
		])
	})

	it('spreads into an array and a new Set like a set does', () => {
		const ids = new ClientIds().add(5).add(6)
		expect([...ids]).toEqual([5, 6])
		expect(new Set(ids)).toEqual(new Set([5, 6]))
		expect([...new ClientIds()]).toEqual([])
	})
})
