import type { FastifyBaseLogger } from 'fastify'
import type { TLDefaultColorStyle, TLRecord, TLShape } from '@tldraw/tlschema'
import { RECORDS_MAP } from '@kompasbord/shared'
import { richTextToPlainText } from '@kompasbord/shared/contract/rich-text'
import { zoneFrames, zoneOfShape } from '@kompasbord/shared/zones'
import { MAX_NOTE_TEXT, NOTE_COLORS, normalizeAuthorName } from '../notes/note-input'
import type { CreatedNote, NoteService } from '../notes/note-service'
import type { Room } from '../rooms/room'
import type { NoteLedger } from '../store/note-ledger'

/** What became of a sticky note a participant drew on the canvas during private writing. */
export type CanvasNoteOutcome =
	| { kind: 'held'; note: CreatedNote }
	/** The note had no text yet (a fresh, empty sticky): nothing to keep; the board opens its private panel. */
	| { kind: 'empty' }
	/** The connection carried no participant id, so there is no one to keep it for. */
	| { kind: 'anonymous-connection' }

/** The `clientNoteId` under which a canvas note is held: stable per shape id, url-safe. */
export function canvasClientNoteId(shapeId: string): string {
	const tail = shapeId
		.replace(/^shape:/, '')
		.replace(/[^A-Za-z0-9_-]/g, '_')
		.slice(0, 80)
	return `canvas-${tail.padEnd(8, '_')}`
}

function colorOf(value: unknown): TLDefaultColorStyle {
	return NOTE_COLORS.find((c) => c === value) ?? 'yellow'
}

function shorten(text: string): string {
	const chars = [...text]
	return chars.length > MAX_NOTE_TEXT ? chars.slice(0, MAX_NOTE_TEXT).join('').trim() : text
}

/**
 * Private writing on the server: notes are held back (kept in the note ledger with status `held`, never in the
 * shared doc) until the facilitator reveals them, and then all placed together, each in its zone.
 *
 * Phone notes are held by the note service itself (its `holdNotes` option). Laptop participants' canvas notes
 * are refused by the room during private writing ({@link Room.onPrivateCanvasNote}); {@link holdCanvasNote}
 * keeps them for their author the same way, under the participant id the board connected with (`?pid=`).
 * While screening is on the room refuses them too, and {@link holdCanvasNote} hands them to the note service,
 * which queues them for the facilitator (status `awaiting_review`).
 */
export class HeldNotes {
	constructor(
		private readonly store: NoteLedger,
		private readonly notes: NoteService,
		private readonly log: FastifyBaseLogger
	) {}

	/** Number of notes waiting for the reveal. */
	async count(room: Room): Promise<number> {
		return (await this.store.listNotesByStatus(room.id, 'held')).length
	}

	/**
	 * Keeps a canvas note the room refused during private writing for its author: its text, colour and the
	 * zone it was drawn in (else the board's first zone).
	 */
	async holdCanvasNote(
		room: Room,
		participantId: string | null,
		record: Record<string, unknown>
	): Promise<CanvasNoteOutcome> {
		const props = (record.props ?? {}) as { richText?: unknown; color?: unknown }
		// eslint-disable-next-line no-control-regex
		const text = shorten(
			richTextToPlainText(props.richText)
				.replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '')
				.trim()
		)
		if (!text) return { kind: 'empty' }
		if (!participantId) return { kind: 'anonymous-connection' }
		const records = new Map<string, TLRecord>()
		room.doc.getMap<TLRecord>(RECORDS_MAP).forEach((value, key) => records.set(key, value))
		const frames = zoneFrames(records)
		const meta = (record.meta ?? {}) as { zoneId?: unknown; authorName?: unknown }
		let zoneId: string | undefined
		try {
			zoneId = zoneOfShape(record as unknown as TLShape, records)
		} catch {
			zoneId = undefined
		}
		if (!zoneId && typeof meta.zoneId === 'string' && frames.has(meta.zoneId)) zoneId = meta.zoneId
		zoneId ??= frames.keys().next().value
		if (!zoneId) return { kind: 'empty' }
		const note = await this.notes.create(room, {
			zoneId,
			text,
			color: colorOf(props.color),
			participantId,
			clientNoteId: canvasClientNoteId(String(record.id ?? '')),
			authorName: typeof meta.authorName === 'string' ? normalizeAuthorName(meta.authorName) : null,
		})
		return { kind: 'held', note }
	}

	/**
	 * Places every held note of the room, each in its zone, in one doc transaction: every board receives them
	 * together. Resolves with the number of notes placed once they are durable. While screening is on they go
	 * to the facilitator's queue instead (0 placed).
	 */
	async reveal(room: Room): Promise<number> {
		const held = await this.store.listNotesByStatus(room.id, 'held')
		if (held.length === 0) return 0
		if (room.sessionSnapshot().screening) {
			// "Notities eerst bekijken" is on: the revealed notes go to the facilitator's queue, not the board.
			const now = Date.now()
			for (const entry of held)
				await this.store.updateNote(room.id, entry.noteId, { status: 'awaiting_review', updatedAt: now })
			await this.notes.onScreeningQueueChanged?.(room)
			return 0
		}
		const placed = await this.notes.placeEntries(room, held)
		if (placed.length < held.length) {
			this.log.warn(
				{ roomId: room.id, held: held.length, placed: placed.length },
				'held notes whose zone is gone were dropped'
			)
		}
		return placed.length
	}
}
