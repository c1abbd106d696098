import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { NoteEntry } from './room-store'
import { SqliteRoomStore } from './sqlite-room-store'

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

describe('SqliteRoomStore note ledger', () => {
	let dir: string
	let store: SqliteRoomStore

	beforeEach(() => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kompasbord-ledger-'))
		store = new SqliteRoomStore(dir)
	})
	afterEach(async () => {
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('keeps one entry per clientNoteId and room', async () => {
		expect(await store.insertNote(entry())).toBe(true)
		expect(await store.insertNote(entry({ noteId: 'shape:note-2' }))).toBe(false)
		expect(await store.getNote('room-a', 'shape:note-2')).toBeNull()
		// The same clientNoteId in another room is another note.
		expect(await store.insertNote(entry({ roomId: 'room-b' }))).toBe(true)
		expect(await store.findNoteByClientId('room-a', 'client-1')).toEqual(entry())
	})

	it('updates only the given fields', async () => {
		await store.insertNote(entry())
		await store.updateNote('room-a', 'shape:note-1', { status: 'placed', text: 'Anders', updatedAt: 2000 })
		expect(await store.getNote('room-a', 'shape:note-1')).toEqual(
			entry({ status: 'placed', text: 'Anders', updatedAt: 2000 })
		)
		await store.updateNote('room-a', 'shape:note-1', {})
		expect((await store.getNote('room-a', 'shape:note-1'))?.text).toBe('Anders')
	})

	it("lists a participant's notes oldest first, and survives reopening the file", async () => {
		await store.insertNote(entry({ noteId: 'shape:b', clientNoteId: 'b', createdAt: 2000 }))
		await store.insertNote(entry({ noteId: 'shape:a', clientNoteId: 'a', createdAt: 1000 }))
		await store.insertNote(entry({ noteId: 'shape:c', clientNoteId: 'c', participantId: 'someone-else' }))
		await store.close()
		store = new SqliteRoomStore(dir)
		const mine = await store.listParticipantNotes('room-a', 'participant-1')
		expect(mine.map((n) => n.noteId)).toEqual(['shape:a', 'shape:b'])
	})
})
