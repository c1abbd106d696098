import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JoinCodeTakenError, type NoteEntry } from './room-store'
import { SqliteRoomStore } from './sqlite-room-store'
import { testRoom } from './test-fixtures'

function entry(noteId: string, status: NoteEntry['status'], createdAt: number): NoteEntry {
	return {
		roomId: 'r1',
		noteId,
		clientNoteId: `c-${noteId}`,
		participantId: 'participant-1',
		zoneId: 'notities',
		text: noteId,
		color: 'yellow',
		authorName: null,
		status,
		createdAt,
		updatedAt: createdAt,
	}
}

describe('SqliteRoomStore: votes, hidden notes, held notes', () => {
	let dir: string
	let store: SqliteRoomStore
	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-session-store-'))
		store = new SqliteRoomStore(dir)
	})
	afterEach(async () => {
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('adds dots within the budget only, stacks them on a note and takes them off one by one', async () => {
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
		expect(await store.removeVote('r1', 'p1', 'shape:b')).toBe(true)
		expect(await store.removeVote('r1', 'p1', 'shape:b')).toBe(false)
		expect(await store.removeVote('r1', 'p2', 'shape:b')).toBe(false)
		expect(await store.addVote('r1', 'p1', 'shape:c', 3)).toBe(true)
		await store.deleteNoteVotes('r1', ['shape:a'])
		expect(await store.countVotes('r1')).toEqual(new Map([['shape:c', 1]]))
		await store.clearVotes('r1')
		expect(await store.countVotes('r1')).toEqual(new Map())
		expect(await store.countVotes('r2')).toEqual(new Map([['shape:a', 1]]))
	})

	it('keeps hidden notes with their records until they are shown again', async () => {
		const records = [
			{ id: 'shape:a', typeName: 'shape' },
			{ id: 'binding:x', typeName: 'binding' },
		]
		await store.hideNote({ roomId: 'r1', noteId: 'shape:a', records, hiddenAt: 5 })
		await store.hideNote({ roomId: 'r1', noteId: 'shape:b', records: [{ id: 'shape:b' }], hiddenAt: 6 })
		expect((await store.listHiddenNotes('r1')).map((h) => h.noteId)).toEqual(['shape:a', 'shape:b'])
		expect((await store.getHiddenNote('r1', 'shape:a'))?.records).toEqual(records)
		expect(await store.removeHiddenNote('r1', 'shape:a')).toBe(true)
		expect(await store.removeHiddenNote('r1', 'shape:a')).toBe(false)
		expect(await store.getHiddenNote('r1', 'shape:a')).toBeNull()
		expect(await store.listHiddenNotes('r2')).toEqual([])
	})

	it('lists notes by ledger status, oldest first', async () => {
		await store.insertNote(entry('shape:2', 'held', 20))
		await store.insertNote(entry('shape:1', 'held', 10))
		await store.insertNote(entry('shape:3', 'placed', 5))
		expect((await store.listNotesByStatus('r1', 'held')).map((e) => e.noteId)).toEqual(['shape:1', 'shape:2'])
		expect((await store.listNotesByStatus('r1', 'placed')).map((e) => e.noteId)).toEqual(['shape:3'])
	})

	it('reopens a room under a new join code when its old one was taken meanwhile', async () => {
		await store.createRoom(testRoom('r1', 'ABCDEF'), new Uint8Array([0, 0]))
		await store.updateRoom('r1', { closedAt: 100 })
		await store.createRoom(testRoom('r2', 'ABCDEF'), new Uint8Array([0, 0]))
		await expect(store.updateRoom('r1', { closedAt: null })).rejects.toBeInstanceOf(JoinCodeTakenError)
		await store.updateRoom('r1', { closedAt: null, joinCode: 'GHJKLM' })
		expect((await store.findOpenRoomByJoinCode('GHJKLM'))?.roomId).toBe('r1')
		expect((await store.findOpenRoomByJoinCode('ABCDEF'))?.roomId).toBe('r2')
	})
})
