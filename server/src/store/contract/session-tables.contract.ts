import { afterEach, beforeEach, expect, it } from 'vitest'
import type { SessionTables } from '../session-tables'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

/**
 * The contract of {@link SessionTables} (votes and hidden notes) that every backend passes; call inside a
 * `describe` with a factory of the backend.
 */
export function sessionTablesContract(factory: StoreFactory<SessionTables>): void {
	let t: StoreUnderTest<SessionTables>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('adds dots within the budget only, stacks them on a note and takes them off one by one', async () => {
		const { store } = t
		expect(await store.addVote('r1', 'p1', 'shape:a', 3)).toBe(true)
		expect(await store.addVote('r1', 'p1', 'shape:a', 3)).toBe(true)
		expect(await store.addVote('r1', 'p1', 'shape:b', 3)).toBe(true)
		expect(await store.addVote('r1', 'p1', 'shape:c', 3)).toBe(false)
		expect(await store.addVote('r1', 'p2', 'shape:a', 3)).toBe(true)
		expect(await store.addVote('r2', 'p1', 'shape:a', 1)).toBe(true)
		expect(await store.listParticipantVotes('r1', 'p1')).toEqual([
			{ noteId: 'shape:a', dots: 2 },
			{ noteId: 'shape:b', dots: 1 },
		])
		expect(await store.countVotes('r1')).toEqual(
			new Map([
				['shape:a', 3],
				['shape:b', 1],
			])
		)
		expect(await store.listVoteAllocations('r1')).toEqual([
			{ participantId: 'p1', noteId: 'shape:a', dots: 2 },
			{ participantId: 'p1', noteId: 'shape:b', dots: 1 },
			{ participantId: 'p2', noteId: 'shape:a', dots: 1 },
		])
		expect(await store.listVoteAllocations('r3')).toEqual([])
		expect(await store.removeVote('r1', 'p1', 'shape:b')).toBe(true)
		expect(await store.removeVote('r1', 'p1', 'shape:b')).toBe(false)
		expect(await store.removeVote('r1', 'p2', 'shape:b')).toBe(false)
		expect(await store.listParticipantVotes('r1', 'p1')).toEqual([{ noteId: 'shape:a', dots: 2 }])
		expect(await store.addVote('r1', 'p1', 'shape:c', 3)).toBe(true)
		await store.deleteNoteVotes('r1', ['shape:a'])
		expect(await store.countVotes('r1')).toEqual(new Map([['shape:c', 1]]))
		await store.deleteNoteVotes('r1', [])
		await store.clearVotes('r1')
		expect(await store.countVotes('r1')).toEqual(new Map())
		expect(await store.countVotes('r2')).toEqual(new Map([['shape:a', 1]]))
	})

	it('never lets concurrent votes of one participant exceed the budget', async () => {
		const results = await Promise.all(
			Array.from({ length: 12 }, (_, i) => t.store.addVote('r1', 'p1', `shape:${i % 4}`, 5))
		)
		expect(results.filter(Boolean)).toHaveLength(5)
		const total = [...(await t.store.countVotes('r1')).values()].reduce((a, b) => a + b, 0)
		expect(total).toBe(5)
		const removals = await Promise.all(
			Array.from({ length: 12 }, (_, i) => t.store.removeVote('r1', 'p1', `shape:${i % 4}`))
		)
		expect(removals.filter(Boolean)).toHaveLength(5)
		expect(await t.store.listParticipantVotes('r1', 'p1')).toEqual([])
	})

	it('keeps hidden notes with their records until they are shown again, across a reopen', async () => {
		const records = [
			{ id: 'shape:a', typeName: 'shape', props: { richText: { type: 'doc', content: [] } } },
			{ id: 'binding:x', typeName: 'binding', meta: { 'ü€': [1, null, true] } },
		]
		await t.store.hideNote({ roomId: 'r1', noteId: 'shape:a', records: [{ id: 'old' }], hiddenAt: 4 })
		await t.store.hideNote({ roomId: 'r1', noteId: 'shape:a', records, hiddenAt: 5 })
		await t.store.hideNote({ roomId: 'r1', noteId: 'shape:b', records: [{ id: 'shape:b' }], hiddenAt: 6 })
		await t.store.addVote('r1', 'p1', 'shape:c', 2)
		const store = await t.reopen()
		expect((await store.listHiddenNotes('r1')).map((h) => h.noteId)).toEqual(['shape:a', 'shape:b'])
		expect(await store.getHiddenNote('r1', 'shape:a')).toEqual({
			roomId: 'r1',
			noteId: 'shape:a',
			records,
			hiddenAt: 5,
		})
		expect(await store.countVotes('r1')).toEqual(new Map([['shape:c', 1]]))
		expect(await store.removeHiddenNote('r1', 'shape:a')).toBe(true)
		expect(await store.removeHiddenNote('r1', 'shape:a')).toBe(false)
		expect(await store.getHiddenNote('r1', 'shape:a')).toBeNull()
		expect(await store.listHiddenNotes('r2')).toEqual([])
	})

	it("keeps a room's screening words in their order, replaces and removes them, across a reopen", async () => {
		expect(await t.store.getScreeningWords('r1')).toEqual([])
		await t.store.setScreeningWords('r1', ['eerste', 'tweede'], 1)
		await t.store.setScreeningWords('r1', ['zeker', 'ü€ woord', 'alpha'], 2)
		await t.store.setScreeningWords('r2', ['ander'], 3)
		const store = await t.reopen()
		expect(await store.getScreeningWords('r1')).toEqual(['zeker', 'ü€ woord', 'alpha'])
		await store.setScreeningWords('r2', [], 4)
		expect(await store.getScreeningWords('r2')).toEqual([])
		expect(await store.getScreeningWords('r1')).toHaveLength(3)
	})
}
