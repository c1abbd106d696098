import {
	SESSION_MAP,
	readScreening,
	writeScreeningQueue,
	type ScreeningDecision,
	type ScreeningQueue,
	type ScreeningWords,
} from '@kompasbord/shared'
import { httpError } from '../http/errors'
import type { NoteService } from '../notes/note-service'
import type { Room } from '../rooms/room'
import type { NoteEntry, NoteLedger } from '../store/note-ledger'
import type { ScreeningWordStore } from '../store/session-tables'
import { RoomQueue } from './room-queue'
import { DEFAULT_SCREENING_WORDS, flagsOf, normalizeWordList } from './screening-words'

/**
 * "Notities eerst bekijken": while the session's `screening` is on, participants' new notes (phone posts, and
 * notes drawn on a laptop board, which the room refuses and the toolkit hands to the note service) wait in the
 * note ledger with status `awaiting_review` — in no doc, so no participant's browser has them — until the
 * facilitator approves them (placed in their zone like any new note) or rejects them (their ledger entry deleted:
 * the text is gone from the server). The queue's size is published in the session map (`screeningQueue`), so the
 * facilitator's board refreshes its list and phones learn that their note moved on. A word list (the default one
 * and the room's own words) flags notes in the queue.
 */
export class ScreeningService {
	/** Decisions of one room, one after the other (an approve and a reject of one note never both run). */
	private readonly decisions = new RoomQueue()
	/** Count-and-publish of one room, one after the other, so the last published count is the latest. */
	private readonly counts = new RoomQueue()

	constructor(
		private readonly store: NoteLedger & ScreeningWordStore,
		private readonly notes: NoteService,
		private readonly now: () => number = Date.now
	) {}

	/** The notes waiting for review, oldest first. */
	waiting(room: Room): Promise<NoteEntry[]> {
		return this.store.listNotesByStatus(room.id, 'awaiting_review')
	}

	/** The word lists: the default one and the room's own. */
	async words(room: Room): Promise<ScreeningWords> {
		return { defaults: [...DEFAULT_SCREENING_WORDS], custom: await this.store.getScreeningWords(room.id) }
	}

	/** The facilitator's queue: the waiting notes with the list entries found in each. */
	async queue(room: Room): Promise<ScreeningQueue> {
		const words = await this.words(room)
		const notes = (await this.waiting(room)).map((entry) => ({
			noteId: entry.noteId,
			zoneId: entry.zoneId,
			text: entry.text,
			color: entry.color,
			authorName: room.meta.anonymous ? null : entry.authorName,
			createdAt: entry.createdAt,
			flags: flagsOf(entry.text, words.defaults, words.custom),
		}))
		return { screening: readScreening(room.doc.getMap(SESSION_MAP)), notes, words }
	}

	/**
	 * Places waiting notes (those named, or all), each in its zone with the normal placement, in one doc change.
	 * 409 `not_awaiting_review` when a named note is not waiting (approved or rejected already, or unknown);
	 * nothing is placed then.
	 */
	approve(room: Room, which: { noteIds: readonly string[] } | 'all'): Promise<ScreeningDecision> {
		return this.decisions.run(room, async () => {
			const chosen = this.pick(await this.waiting(room), which)
			const placed = chosen.length ? await this.notes.placeEntries(room, chosen) : []
			const dropped = chosen.filter((entry) => !placed.includes(entry.noteId)).map((entry) => entry.noteId)
			return { noteIds: placed, dropped, waiting: await this.publishCount(room) }
		})
	}

	/** Deletes waiting notes from the ledger for good. 409 `not_awaiting_review` as for {@link approve}. */
	reject(room: Room, noteIds: readonly string[]): Promise<ScreeningDecision> {
		return this.decisions.run(room, async () => {
			const chosen = this.pick(await this.waiting(room), { noteIds })
			for (const entry of chosen) await this.store.deleteNote(room.id, entry.noteId)
			return { noteIds: chosen.map((entry) => entry.noteId), dropped: [], waiting: await this.publishCount(room) }
		})
	}

	private pick(waiting: NoteEntry[], which: { noteIds: readonly string[] } | 'all'): NoteEntry[] {
		if (which === 'all') return waiting
		const byId = new Map(waiting.map((entry) => [entry.noteId, entry]))
		const chosen: NoteEntry[] = []
		for (const noteId of new Set(which.noteIds)) {
			const entry = byId.get(noteId)
			if (!entry) {
				throw httpError(409, 'not_awaiting_review', `Note ${noteId} is not waiting for review (any more)`)
			}
			chosen.push(entry)
		}
		return chosen
	}

	/** Replaces the room's own words (normalised; 400 `bad_word_list`), answering both lists. */
	async setWords(room: Room, words: readonly string[]): Promise<ScreeningWords> {
		await this.store.setScreeningWords(room.id, normalizeWordList(words), this.now())
		return this.words(room)
	}

	/**
	 * Counts the waiting notes and writes the count into the session map (one step further each time, so every
	 * board and phone long poll sees the change); resolves with the count once durable.
	 */
	publishCount(room: Room): Promise<number> {
		// By room id, not under the room's cluster lock: it runs inside decisions that hold it (room.change takes it).
		return this.counts.run(room.id, async () => {
			const waiting = (await this.waiting(room)).length
			await room.change((doc) => writeScreeningQueue(doc.getMap<unknown>(SESSION_MAP), waiting))
			return waiting
		})
	}
}
