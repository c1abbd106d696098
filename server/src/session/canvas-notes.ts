import type { FastifyBaseLogger } from 'fastify'
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { RECORDS_MAP } from '@kompasbord/shared'
import { richTextToPlainText } from '@kompasbord/shared/contract/rich-text'
import { zoneOfShape } from '@kompasbord/shared/zones'
import { NOTE_COLORS } from '../notes/note-input'
import type { Room } from '../rooms/room'
import type { RoomStore } from '../store/room-store'
import { canvasClientNoteId } from './held-notes'

/**
 * Note ownership in a loaded room (rooms/permissions.ts: only a note's author, or the facilitator, may change
 * its text or delete it): the room learns who wrote which note from the note ledger when it loads, and every
 * note a participant draws on the canvas is written to the ledger under their identity — so the author keeps
 * it after a restart, and the REST routes (which go by the ledger) apply the same rule.
 */
export class CanvasNotes {
	constructor(
		private readonly store: RoomStore,
		private readonly log: FastifyBaseLogger,
		private readonly now: () => number = Date.now
	) {}

	/** Attaches to a room that just loaded: reads its notes' authors, records new canvas notes. */
	attach(room: Room): void {
		for (const status of ['placed', 'pending'] as const) {
			this.store.listNotesByStatus(room.id, status).then(
				(entries) => {
					if (entries.length === 0) return
					// Once the doc holds the board (before any peer's change is judged): its keys are the note ids kept.
					// Held notes are not on the board: no keys to look through for them.
					room.whenDecoded(() =>
						room.noteOwners.addFromLedger(
							entries,
							status === 'placed' ? room.doc.getMap<unknown>(RECORDS_MAP).keys() : []
						)
					)
				},
				(error: unknown) => this.log.warn({ err: error, roomId: room.id }, 'reading note authors failed')
			)
		}
		room.onCanvasNoteCreated = (participantId, record) => {
			this.record(room, participantId, record).catch((error: unknown) =>
				this.log.warn({ err: error, roomId: room.id }, 'recording a canvas note failed')
			)
		}
	}

	private async record(room: Room, participantId: string, record: Record<string, unknown>): Promise<void> {
		const records = new Map<string, TLRecord>()
		room.doc.getMap<TLRecord>(RECORDS_MAP).forEach((value, key) => records.set(key, value))
		let zoneId: string | undefined
		try {
			zoneId = zoneOfShape(record as unknown as TLShape, records)
		} catch {
			zoneId = undefined
		}
		const props = (record.props ?? {}) as { richText?: unknown; color?: unknown }
		const now = this.now()
		await this.store.insertNote({
			roomId: room.id,
			noteId: String(record.id),
			clientNoteId: canvasClientNoteId(String(record.id)),
			participantId,
			zoneId: zoneId ?? '',
			text: richTextToPlainText(props.richText),
			color: NOTE_COLORS.find((c) => c === props.color) ?? 'yellow',
			authorName: null,
			status: 'placed',
			createdAt: now,
			updatedAt: now,
		})
	}
}
