import { afterEach, beforeEach, expect, it } from 'vitest'
import type { NoteEntry, NoteLedger } from '../note-ledger'
import type { StoreFactory, StoreUnderTest } from './store-under-test'

function entry(overrides: Partial<NoteEntry> = {}): NoteEntry {
	return {
		roomId: 'room-a',
		noteId: 'shape:note-1',
		clientNoteId: 'client-1',
		participantId: 'participant-1',
		zoneId: 'dos',
		text: 'Samen optrekken',
		color: 'yellow',
		authorName: null,
		status: 'pending',
		createdAt: 1000,
		updatedAt: 1000,
		...overrides,
	}
}

/** The contract of {@link NoteLedger} that every backend passes; call inside a `describe` with its factory. */
export function noteLedgerContract(factory: StoreFactory<NoteLedger>): void {
	let t: StoreUnderTest<NoteLedger>
	beforeEach(async () => {
		t = await factory()
	})
	afterEach(async () => {
		await t.destroy()
	})

	it('keeps one entry per clientNoteId and room', async () => {
		const { store } = t
		expect(await store.insertNote(entry())).toBe(true)
		expect(await store.insertNote(entry({ noteId: 'shape:note-2' }))).toBe(false)
		expect(await store.getNote('room-a', 'shape:note-2')).toBeNull()
		// The same clientNoteId in another room is another note.
		expect(await store.insertNote(entry({ roomId: 'room-b' }))).toBe(true)
		expect(await store.findNoteByClientId('room-a', 'client-1')).toEqual(entry())
		expect(await store.findNoteByClientId('room-a', 'client-2')).toBeNull()
	})

	it('lets exactly one of many concurrent inserts of one clientNoteId win', async () => {
		const results = await Promise.all(
			Array.from({ length: 8 }, (_, i) => t.store.insertNote(entry({ noteId: `shape:try-${i}` })))
		)
		expect(results.filter(Boolean)).toHaveLength(1)
		const winner = await t.store.findNoteByClientId('room-a', 'client-1')
		expect(winner?.noteId).toBe(`shape:try-${results.indexOf(true)}`)
	})

	it('updates only the given fields; an unknown note is left alone', async () => {
		const { store } = t
		await store.insertNote(entry({ authorName: 'Anouk' }))
		await store.updateNote('room-a', 'shape:note-1', { status: 'placed', text: 'Anders', updatedAt: 2000 })
		expect(await store.getNote('room-a', 'shape:note-1')).toEqual(
			entry({ authorName: 'Anouk', status: 'placed', text: 'Anders', updatedAt: 2000 })
		)
		await store.updateNote('room-a', 'shape:note-1', {})
		await store.updateNote('room-a', 'shape:note-1', { zoneId: 'doen', color: 'blue' })
		expect(await store.getNote('room-a', 'shape:note-1')).toMatchObject({
			text: 'Anders',
			zoneId: 'doen',
			color: 'blue',
		})
		await store.updateNote('room-a', 'shape:unknown', { text: 'x' })
		expect(await store.getNote('room-a', 'shape:unknown')).toBeNull()
	})

	it("lists a participant's notes oldest first, deleted ones included, and survives a reopen", async () => {
		await t.store.insertNote(entry({ noteId: 'shape:b', clientNoteId: 'b', createdAt: 2000 }))
		await t.store.insertNote(entry({ noteId: 'shape:a', clientNoteId: 'a', createdAt: 1000, status: 'deleted' }))
		await t.store.insertNote(entry({ noteId: 'shape:c', clientNoteId: 'c', participantId: 'someone-else' }))
		await t.store.insertNote(entry({ noteId: 'shape:d', clientNoteId: 'd', roomId: 'room-b' }))
		const store = await t.reopen()
		const mine = await store.listParticipantNotes('room-a', 'participant-1')
		expect(mine.map((n) => n.noteId)).toEqual(['shape:a', 'shape:b'])
		expect(mine[0]).toEqual(entry({ noteId: 'shape:a', clientNoteId: 'a', createdAt: 1000, status: 'deleted' }))
		expect(await store.listParticipantNotes('room-a', 'nobody')).toEqual([])
	})

	it('lists notes by ledger status, oldest first (insertion order on a tie)', async () => {
		const { store } = t
		await store.insertNote(entry({ noteId: 'shape:2', clientNoteId: 'c2', status: 'held', createdAt: 20 }))
		await store.insertNote(entry({ noteId: 'shape:1', clientNoteId: 'c1', status: 'held', createdAt: 10 }))
		await store.insertNote(entry({ noteId: 'shape:0', clientNoteId: 'c0', status: 'held', createdAt: 20 }))
		await store.insertNote(entry({ noteId: 'shape:3', clientNoteId: 'c3', status: 'placed', createdAt: 5 }))
		await store.insertNote(entry({ noteId: 'shape:4', clientNoteId: 'c4', status: 'held', roomId: 'room-b' }))
		expect((await store.listNotesByStatus('room-a', 'held')).map((e) => e.noteId)).toEqual([
			'shape:1',
			'shape:2',
			'shape:0',
		])
		expect((await store.listNotesByStatus('room-a', 'placed')).map((e) => e.noteId)).toEqual(['shape:3'])
		await store.updateNote('room-a', 'shape:1', { status: 'placed' })
		expect((await store.listNotesByStatus('room-a', 'held')).map((e) => e.noteId)).toEqual(['shape:2', 'shape:0'])
	})

	it('deletes an entry for good: gone by note id, client id and status, across a reopen; others kept', async () => {
		const { store } = t
		await store.insertNote(entry({ noteId: 'shape:w1', clientNoteId: 'cw1', status: 'awaiting_review' }))
		await store.insertNote(entry({ noteId: 'shape:w2', clientNoteId: 'cw2', status: 'awaiting_review' }))
		expect(await store.deleteNote('room-a', 'shape:w1')).toBe(true)
		expect(await store.deleteNote('room-a', 'shape:w1')).toBe(false)
		expect(await store.deleteNote('room-b', 'shape:w2')).toBe(false)
		const reopened = await t.reopen()
		expect(await reopened.getNote('room-a', 'shape:w1')).toBeNull()
		expect(await reopened.findNoteByClientId('room-a', 'cw1')).toBeNull()
		expect((await reopened.listNotesByStatus('room-a', 'awaiting_review')).map((e) => e.noteId)).toEqual(['shape:w2'])
		expect((await reopened.listParticipantNotes('room-a', 'participant-1')).map((e) => e.noteId)).toEqual(['shape:w2'])
	})
}
