import { describe, expect, it } from 'vitest'
import { noticesFor } from './server-notices'

describe('noticesFor', () => {
	it('returns new notices addressed to this client once', () => {
		const seen = new Map<number, number>()
		const states = new Map<number, unknown>([
			[1, { kompasbordServer: true, notice: { to: [7, 8], reasons: ['structure-locked', 'weird'], seq: 3, at: 0 } }],
			[2, { kompasbordServer: true, notice: { to: [9], reasons: ['read-only'], seq: 1 } }],
			[7, { presence: {} }],
			[3, { notice: { to: [7], reasons: ['read-only'], seq: 1 } }],
		])
		expect(noticesFor(states, 7, seen)).toEqual([{ key: '1:3', reasons: ['structure-locked', 'unknown'] }])
		expect(noticesFor(states, 7, seen)).toEqual([])
		states.set(1, { kompasbordServer: true, notice: { to: [7], reasons: [], seq: 4 } })
		expect(noticesFor(states, 7, seen)).toEqual([{ key: '1:4', reasons: ['unknown'] }])
	})
})
