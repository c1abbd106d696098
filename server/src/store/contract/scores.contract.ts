import { afterEach, beforeEach, expect, it } from 'vitest'
import type { ScoreStore } from '../scores'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/**
 * The contract of {@link ScoreStore} (the marks of score rounds) that every backend passes; call inside a
 * `describe` with a factory of the backend.
 */
export function scoresContract(factory: StoreFactory<ScoreStore & { close(): Promise<void> }>): void {
	let t: StoreUnderTest<ScoreStore & { close(): Promise<void> }>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('keeps one mark per participant per part, the last one given, per room', async () => {
		await t.store.setScore('r1', { participantId: 'p2', zoneId: 'relatie', score: 4, updatedAt: 1 })
		await t.store.setScore('r1', { participantId: 'p1', zoneId: 'relatie', score: 7, updatedAt: 2 })
		await t.store.setScore('r1', { participantId: 'p1', zoneId: 'belangen', score: 9, updatedAt: 3 })
		await t.store.setScore('r1', { participantId: 'p2', zoneId: 'relatie', score: 6, updatedAt: 4 })
		await t.store.setScore('r2', { participantId: 'p1', zoneId: 'relatie', score: 1, updatedAt: 5 })
		const store = await t.reopen()
		expect(await store.listScores('r1')).toEqual([
			{ participantId: 'p1', zoneId: 'belangen', score: 9, updatedAt: 3 },
			{ participantId: 'p1', zoneId: 'relatie', score: 7, updatedAt: 2 },
			{ participantId: 'p2', zoneId: 'relatie', score: 6, updatedAt: 4 },
		])
		expect(await store.listScores('r3')).toEqual([])
	})

	it('clears the marks of one room only', async () => {
		await t.store.setScore('r1', { participantId: 'p1', zoneId: 'proces', score: 3, updatedAt: 1 })
		await t.store.setScore('r2', { participantId: 'p1', zoneId: 'proces', score: 5, updatedAt: 1 })
		await t.store.clearScores('r1')
		const store = await t.reopen()
		expect(await store.listScores('r1')).toEqual([])
		expect((await store.listScores('r2')).map((s) => s.score)).toEqual([5])
	})
}
