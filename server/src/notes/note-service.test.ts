import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pino from 'pino'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { TLFrameShape, TLNoteShape, TLRecord } from '@tldraw/tlschema'
import { RECORDS_MAP, createBoardRecords, zoneFrameId } from '@kompasbord/shared'
import { getTemplate } from '@kompasbord/templates'
import { HttpError } from '../http/errors'
import { initialDocUpdate } from '../rooms/initial-doc'
import type { Room } from '../rooms/room'
import { RoomManager } from '../rooms/room-manager'
import { GroupCommitter } from '../store/group-commit'
import { SqliteRoomStore } from '../store/sqlite-room-store'
import { NoteService, type NewNote } from './note-service'

const log = pino({ level: 'silent' })

function newNote(overrides: Partial<NewNote> = {}): NewNote {
	return {
		zoneId: 'dos',
		text: 'Jongeren mee laten praten',
		color: 'yellow',
		participantId: 'participant-a',
		clientNoteId: 'client-note-1',
		authorName: null,
		...overrides,
	}
}

function notesOf(room: Room): TLNoteShape[] {
	return [...room.doc.getMap<TLRecord>(RECORDS_MAP).values()].filter(
		(r): r is TLNoteShape => r.typeName === 'shape' && r.type === 'note'
	)
}

describe('NoteService', () => {
	let dir: string
	let store: SqliteRoomStore
	let rooms: RoomManager
	let room: Room

	beforeEach(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-notes-'))
		store = new SqliteRoomStore(dir)
		rooms = new RoomManager(store, new GroupCommitter(store), log, 60_000)
		const template = getTemplate('dos-en-donts')!
		await store.createRoom(
			{
				roomId: 'room-1',
				title: 'Test',
				templateId: template.id,
				columns: null,
				joinCode: 'ABCDEF',
				facilitatorKeyHash: '00',
				anonymous: true,
				createdAt: 0,
				closedAt: null,
				passphraseHash: null,
				joinCodeExpiresAt: null,
			},
			initialDocUpdate(createBoardRecords(template))
		)
		room = (await rooms.acquire('room-1'))!
	})

	afterEach(async () => {
		await rooms.closeAll()
		await store.close()
		fs.rmSync(dir, { recursive: true, force: true })
	})

	it('writes the ledger entry as placed, with the note in the doc', async () => {
		const notes = new NoteService(store)
		const created = await notes.create(room, newNote())
		expect(created).toMatchObject({ status: 'placed', created: true })
		expect(await store.getNote('room-1', created.noteId)).toMatchObject({
			status: 'placed',
			participantId: 'participant-a',
		})
		expect(notesOf(room).map((n) => n.id)).toEqual([created.noteId])
	})

	it('repairs a note whose doc write was lost in a crash: the retry places the pending entry once', async () => {
		const notes = new NoteService(store)
		// What a crash between the ledger write and the doc commit leaves behind.
		await store.insertNote({
			roomId: 'room-1',
			noteId: 'shape:crashed',
			clientNoteId: 'client-note-1',
			participantId: 'participant-a',
			zoneId: 'donts',
			text: 'Bijna verloren',
			color: 'orange',
			authorName: null,
			status: 'pending',
			createdAt: 1,
			updatedAt: 1,
		})
		const retried = await notes.create(room, newNote())
		expect(retried).toEqual({ noteId: 'shape:crashed', status: 'placed', created: false })
		const [placed] = notesOf(room)
		expect(placed).toMatchObject({ id: 'shape:crashed', parentId: zoneFrameId('donts'), props: { color: 'orange' } })
		expect((await store.getNote('room-1', 'shape:crashed'))?.status).toBe('placed')
		await notes.create(room, newNote())
		expect(notesOf(room)).toHaveLength(1)
	})

	it('holds notes while the hold policy says so, and places them when revealed', async () => {
		let privateWriting = true
		const notes = new NoteService(store, { holdNotes: () => privateWriting })
		const held = await notes.create(room, newNote())
		expect(held).toMatchObject({ status: 'held', created: true })
		expect(notesOf(room)).toEqual([])
		expect(await notes.listFor(room, 'participant-a')).toEqual([
			expect.objectContaining({ noteId: held.noteId, status: 'held', text: 'Jongeren mee laten praten' }),
		])
		const edited = await notes.update(
			room,
			held.noteId,
			{ text: 'Jongeren laten meebeslissen' },
			{ kind: 'participant', participantId: 'participant-a' }
		)
		expect(edited).toMatchObject({ status: 'held', text: 'Jongeren laten meebeslissen' })
		privateWriting = false
		await notes.placeEntry(room, (await store.getNote('room-1', held.noteId))!)
		expect(notesOf(room).map((n) => n.id)).toEqual([held.noteId])
		expect(await notes.listFor(room, 'participant-a')).toEqual([
			expect.objectContaining({ noteId: held.noteId, status: 'placed', text: 'Jongeren laten meebeslissen' }),
		])
	})

	it('grows a full zone rather than letting a note fall outside', async () => {
		const notes = new NoteService(store)
		const frameBefore = room.doc.getMap<TLRecord>(RECORDS_MAP).get(zoneFrameId('dos')) as TLFrameShape
		for (let i = 0; i < 120; i++) {
			await notes.create(room, newNote({ clientNoteId: `client-note-${i}`, text: `Notitie ${i}` }))
		}
		const frame = room.doc.getMap<TLRecord>(RECORDS_MAP).get(zoneFrameId('dos')) as TLFrameShape
		expect(frame.props.h).toBeGreaterThan(frameBefore.props.h)
		for (const n of notesOf(room)) {
			expect(n.y + (200 + n.props.growY) * n.props.scale).toBeLessThanOrEqual(frame.props.h)
			expect(n.x + 200 * n.props.scale).toBeLessThanOrEqual(frame.props.w)
		}
	})

	it('moves an edited note whose longer text would overlap its neighbour', async () => {
		const notes = new NoteService(store)
		const first = await notes.create(room, newNote({ clientNoteId: 'c-first', text: 'Kort' }))
		// Enough neighbours for a second row below the first note.
		for (let i = 0; i < 20; i++) await notes.create(room, newNote({ clientNoteId: `c-${i}`, text: `Buur ${i}` }))
		const actor = { kind: 'participant', participantId: 'participant-a' } as const
		await notes.update(
			room,
			first.noteId,
			{ text: 'Een heel lange tekst die de notitie hoger maakt. '.repeat(8) },
			actor
		)
		const all = notesOf(room)
		const frame = room.doc.getMap<TLRecord>(RECORDS_MAP).get(zoneFrameId('dos')) as TLFrameShape
		const box = (n: TLNoteShape) => ({
			x: n.x,
			y: n.y,
			w: 200 * n.props.scale,
			h: (200 + n.props.growY) * n.props.scale,
		})
		for (const a of all) {
			for (const b of all) {
				if (a.id >= b.id || a.parentId !== b.parentId) continue
				const p = box(a)
				const q = box(b)
				expect(
					p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h,
					`${a.id} overlaps ${b.id}`
				).toBe(false)
			}
			expect(box(a).y + box(a).h).toBeLessThanOrEqual(frame.props.h)
		}
	})

	it('keeps an edited note of the bottom row inside its frame', async () => {
		const notes = new NoteService(store)
		const only = await notes.create(room, newNote({ text: 'Kort' }))
		const actor = { kind: 'participant', participantId: 'participant-a' } as const
		await notes.update(room, only.noteId, { text: 'Lang. '.repeat(80) }, actor)
		const frame = room.doc.getMap<TLRecord>(RECORDS_MAP).get(zoneFrameId('dos')) as TLFrameShape
		const [note] = notesOf(room)
		expect(note.y + (200 + note.props.growY) * note.props.scale).toBeLessThanOrEqual(frame.props.h)
	})

	it('refuses other participants and unknown zones with their HTTP errors', async () => {
		const notes = new NoteService(store)
		const created = await notes.create(room, newNote())
		const code = async (work: Promise<unknown>) => {
			try {
				await work
			} catch (error) {
				return error instanceof HttpError ? `${error.statusCode} ${error.code}` : String(error)
			}
			return 'ok'
		}
		expect(
			await code(notes.remove(room, created.noteId, { kind: 'participant', participantId: 'participant-b' }))
		).toBe('403 not_your_note')
		expect(await code(notes.create(room, newNote({ clientNoteId: 'other', zoneId: 'nergens' })))).toBe(
			'400 unknown_zone'
		)
		expect(await code(notes.create(room, newNote({ participantId: 'participant-b' })))).toBe(
			'409 client_note_id_conflict'
		)
		expect(await code(notes.remove(room, 'shape:nope', { kind: 'facilitator' }))).toBe('404 note_not_found')
	})
})
