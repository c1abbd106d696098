import { PAGE_ID, RECORDS_MAP, type HiddenNoteView } from '@kompasbord/shared'
import { isStickyNote, richTextToPlainText } from '@kompasbord/shared'
import { httpError } from '../http/errors'
import type { NoteService } from '../notes/note-service'
import type { Room } from '../rooms/room'
import type { NoteLedger } from '../store/note-ledger'
import type { HiddenNoteStore } from '../store/session-tables'
import type { VoteService } from './vote-service'

type PlainRecord = Record<string, unknown> & { id: string }

function isBindingTo(record: unknown, shapeId: string): boolean {
	const r = record as { typeName?: unknown; fromId?: unknown; toId?: unknown } | undefined
	return r?.typeName === 'binding' && (r.fromId === shapeId || r.toId === shapeId)
}

/**
 * Moderation by the facilitator: hide a note (it leaves the shared doc, so no participant's browser can read
 * it any more, and is kept server-side to be shown again), show it again, or delete it for good. Works for
 * every sticky note on the board, from phones and from the canvas alike. Dots on a hidden or deleted note are
 * given back to their voters.
 */
export class Moderation {
	constructor(
		private readonly store: HiddenNoteStore & NoteLedger,
		private readonly notes: NoteService,
		private readonly votes: VoteService,
		private readonly now: () => number = Date.now
	) {}

	/** Takes a note (and the bindings attached to it) off the board and keeps it. 404 for no such note. */
	async hide(room: Room, noteId: string): Promise<void> {
		const records = room.doc.getMap<unknown>(RECORDS_MAP)
		const note = records.get(noteId)
		if (!isStickyNote(note)) throw noteNotFound()
		const bindings: PlainRecord[] = []
		records.forEach((value) => {
			if (isBindingTo(value, noteId)) bindings.push(value as PlainRecord)
		})
		await this.store.hideNote({ roomId: room.id, noteId, records: [note, ...bindings], hiddenAt: this.now() })
		// No participant may put it back (the room refuses the id from them).
		room.retiredNoteIds.add(noteId)
		await room.change(() => {
			records.delete(noteId)
			for (const binding of bindings) records.delete(binding.id)
		})
		await this.votes.forgetNotes(room, [noteId])
	}

	/** Puts a hidden note back where it was (in its frame, or on the page if the frame is gone). */
	async show(room: Room, noteId: string): Promise<void> {
		const hidden = await this.store.getHiddenNote(room.id, noteId)
		if (!hidden) throw httpError(404, 'not_hidden', 'This note is not hidden')
		const [note, ...bindings] = hidden.records as PlainRecord[]
		const records = room.doc.getMap<unknown>(RECORDS_MAP)
		await room.change(() => {
			if (!records.has(noteId)) {
				const parentId = note.parentId as string
				records.set(noteId, records.has(parentId) ? note : { ...note, parentId: PAGE_ID })
			}
			for (const binding of bindings) {
				const other = binding.fromId === noteId ? binding.toId : binding.fromId
				if (!records.has(binding.id) && records.has(other as string)) records.set(binding.id, binding)
			}
		})
		await this.store.removeHiddenNote(room.id, noteId)
		room.retiredNoteIds.delete(noteId)
	}

	/** Deletes a note for good, whether it is on the board or hidden. 404 when it is neither. */
	async remove(room: Room, noteId: string): Promise<void> {
		const wasHidden = await this.store.removeHiddenNote(room.id, noteId)
		room.retiredNoteIds.add(noteId)
		if (isStickyNote(room.doc.getMap(RECORDS_MAP).get(noteId))) {
			await this.notes.remove(room, noteId, { kind: 'facilitator' })
		} else if (wasHidden) {
			const entry = await this.store.getNote(room.id, noteId)
			if (entry) await this.store.updateNote(room.id, noteId, { status: 'deleted', updatedAt: this.now() })
		} else {
			throw noteNotFound()
		}
		await this.votes.forgetNotes(room, [noteId])
	}

	/** The room's hidden notes, oldest first. */
	async list(room: Room): Promise<HiddenNoteView[]> {
		return (await this.store.listHiddenNotes(room.id)).map((hidden) => {
			const note = (hidden.records[0] ?? {}) as {
				props?: { richText?: unknown; color?: unknown }
				meta?: { zoneId?: unknown }
			}
			return {
				noteId: hidden.noteId,
				text: richTextToPlainText(note.props?.richText),
				color: typeof note.props?.color === 'string' ? note.props.color : 'yellow',
				zoneId: typeof note.meta?.zoneId === 'string' ? note.meta.zoneId : null,
				hiddenAt: hidden.hiddenAt,
			}
		})
	}
}

function noteNotFound() {
	return httpError(404, 'note_not_found', 'No note with this id on the board')
}
