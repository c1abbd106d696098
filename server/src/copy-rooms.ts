import * as Y from 'yjs'
import type { NoteEntry, NoteStatus } from './store/note-ledger'
import { PgRoomStore } from './store/pg-room-store'
import type { RoomStore } from './store/room-store'
import { SqliteRoomStore } from './store/sqlite-room-store'

const STATUSES: readonly NoteStatus[] = ['pending', 'placed', 'held', 'awaiting_review', 'deleted']

/** Opens the store a `--from`/`--to` argument names: a postgres:// URL, or a DATA_DIR of a SQLite store. */
export async function openStore(location: string): Promise<RoomStore> {
	if (/^postgres(ql)?:\/\//.test(location)) return PgRoomStore.open(location, { maxConnections: 4 })
	return new SqliteRoomStore(location)
}

/** What {@link copyRooms} did with one room. */
export interface CopiedRoom {
	roomId: string
	/** Null when copied; else why not (e.g. its join code belongs to another open room at the target). */
	error: string | null
	notes: number
	votes: number
	hiddenNotes: number
}

/**
 * Copies rooms from one store to another, whole: the record (id, title, template, join code, facilitator key hash,
 * anonymous, created, closed), the board as one snapshot of its doc, the retired client ids, the note ledger, the
 * votes, the hidden notes, the score-round marks and the last activity time. A room that exists at the target is deleted there first,
 * so copying again gives the same result (idempotent). Rooms are copied one after the other; `roomIds` limits
 * the copy (default: every room of the source).
 */
export async function copyRooms(from: RoomStore, to: RoomStore, roomIds?: readonly string[]): Promise<CopiedRoom[]> {
	const summaries = await from.listRoomSummaries()
	const activity = new Map(summaries.map((s) => [s.roomId, s.lastActivityAt]))
	const ids = roomIds ?? summaries.map((s) => s.roomId).reverse()
	const results: CopiedRoom[] = []
	for (const roomId of ids) {
		const result: CopiedRoom = { roomId, error: null, notes: 0, votes: 0, hiddenNotes: 0 }
		results.push(result)
		try {
			const record = await from.getRoom(roomId)
			if (!record) {
				result.error = 'no such room at the source'
				continue
			}
			const doc = new Y.Doc()
			for (const update of (await from.loadUpdates(roomId)).updates) Y.applyUpdate(doc, update)
			const snapshot = Y.encodeStateAsUpdate(doc)
			doc.destroy()
			const retired = await from.listRetiredClients(roomId)
			const notes: NoteEntry[] = []
			for (const status of STATUSES) notes.push(...(await from.listNotesByStatus(roomId, status)))
			notes.sort((a, b) => a.createdAt - b.createdAt)
			const votes = await from.listVoteAllocations(roomId)
			const hidden = await from.listHiddenNotes(roomId)
			const screeningWords = await from.getScreeningWords(roomId)
			const scores = await from.listScores(roomId)

			await to.deleteRoom(roomId)
			await to.createRoom(record, snapshot)
			if (retired.length) await to.replaceDoc(roomId, snapshot, retired)
			for (const note of notes) await to.insertNote(note)
			for (const { participantId, noteId, dots } of votes) {
				for (let i = 0; i < dots; i++) await to.addVote(roomId, participantId, noteId, Number.MAX_SAFE_INTEGER)
			}
			for (const note of hidden) await to.hideNote(note)
			for (const entry of scores) await to.setScore(roomId, entry)
			if (screeningWords.length) await to.setScreeningWords(roomId, screeningWords, Date.now())
			await to.touchRoom(roomId, activity.get(roomId) ?? record.createdAt)
			result.notes = notes.length
			result.votes = votes.reduce((sum, v) => sum + v.dots, 0)
			result.hiddenNotes = hidden.length
		} catch (error) {
			result.error = error instanceof Error ? error.message : String(error)
		}
	}
	return results
}
