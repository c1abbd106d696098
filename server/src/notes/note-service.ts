import type * as Y from 'yjs'
import type { TLDefaultColorStyle, TLFrameShape, TLNoteShape, TLRecord, TLShape, TLShapeId } from '@tldraw/tlschema'
import {
	NOTE_SIZE,
	RECORDS_MAP,
	SESSION_MAP,
	readSessionPhase,
	STRUCTURE_KIND,
	placeNoteInZone,
	growZone,
	shapeSize,
	zoneFrames,
	type NoteView,
	type PostedNote,
	type PublicNoteStatus,
	type ZonePlacement,
} from '@kompasbord/shared'
import { plainTextToRichText } from '@kompasbord/shared/contract/rich-text'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import type { NoteEntry, NoteLedger, NoteStatus } from '../store/note-ledger'
import {
	buildNoteRecord,
	estimateNoteFontAdjustment,
	estimateNoteGrowY,
	isNoteRecord,
	newNoteId,
	noteSizeFor,
	plainText,
	validateRecord,
} from './note-record'

/** Who asks for a change: a participant (by the id their phone keeps) or the facilitator. */
export type NoteActor = { kind: 'facilitator' } | { kind: 'participant'; participantId: string }

/** A validated new note (text, colour and name already normalised). */
export interface NewNote {
	zoneId: string
	text: string
	color: TLDefaultColorStyle
	participantId: string
	clientNoteId: string
	/** Dropped when the room is anonymous. */
	authorName: string | null
}

/** A validated change of a note; absent fields stay as they are. */
export interface NoteChange {
	text?: string
	color?: TLDefaultColorStyle
	zoneId?: string
}

/** What {@link NoteService.create} answers: the route's answer, and whether the note is new. */
export interface CreatedNote extends PostedNote {
	/** False when the `clientNoteId` was known: nothing was added. */
	created: boolean
}

/** Options of {@link NoteService}. */
export interface NoteServiceOptions {
	/**
	 * Whether a new note is held back instead of placed (a private-writing phase). Held notes are kept in the
	 * ledger only, and placed with {@link NoteService.placeEntry} when revealed. Default: never.
	 */
	holdNotes?: (room: Room) => boolean
	/**
	 * Whether a participant's new note waits in the facilitator's queue instead of being placed ("Notities eerst
	 * bekijken"): kept in the ledger as `awaiting_review`, placed with {@link NoteService.placeEntries} once
	 * approved. Private writing comes first: a note written then is held, and queued when revealed.
	 */
	screenNotes?: (room: Room) => boolean
	now?: () => number
}

type RecordsMap = Y.Map<TLRecord>

function recordsOf(doc: Y.Doc): RecordsMap {
	return doc.getMap(RECORDS_MAP) as RecordsMap
}

function snapshot(records: RecordsMap): Map<string, TLRecord> {
	return new Map(records.entries())
}

function publicStatus(status: NoteStatus): PublicNoteStatus {
	return status === 'held' || status === 'awaiting_review' ? status : 'placed'
}

/** Whether a ledger entry is kept off the board for now (private writing, or the screening queue). */
function offBoard(entry: NoteEntry): boolean {
	return entry.status === 'held' || entry.status === 'awaiting_review'
}

/**
 * The note service: phone notes from validated input to a tldraw note record in the room's doc.
 *
 * - Placement: the note goes into its zone's frame at the place and scale {@link placeNoteInZone} finds
 *   (never on another note, never outside; a full zone grows), on top of the frame's children.
 * - Durability: the ledger entry is written (status `pending`) before the doc change, and `create` resolves
 *   only once the doc update is durable; a crash in between is repaired by the retry, which finds the
 *   pending entry and places it.
 * - Idempotency: one note per room and `clientNoteId`; concurrent retries share one creation.
 * - Ownership: the ledger says which participant made a note; edits and deletes need that participant or the
 *   facilitator.
 */
export class NoteService {
	private readonly inFlight = new Map<string, Promise<CreatedNote>>()
	private readonly now: () => number
	/**
	 * Called (and awaited) whenever the room's screening queue changed through this service: a note queued, a
	 * queued note deleted by its author, a placed note's new text sent back to the queue. The session toolkit
	 * updates the queue's count in the session map with it.
	 */
	onScreeningQueueChanged: ((room: Room) => Promise<void>) | null = null

	constructor(
		private readonly store: NoteLedger,
		private readonly options: NoteServiceOptions = {}
	) {
		this.now = options.now ?? Date.now
	}

	/** Adds a note, or answers the note already made for its `clientNoteId`. */
	async create(room: Room, note: NewNote): Promise<CreatedNote> {
		const key = `${room.id}\u0000${note.clientNoteId}`
		const running = this.inFlight.get(key)
		if (running) {
			const first = await running
			return this.checkSameParticipant(room, note, { ...first, created: false })
		}
		const creating = this.createOnce(room, note).finally(() => this.inFlight.delete(key))
		this.inFlight.set(key, creating)
		return creating
	}

	private async checkSameParticipant(room: Room, note: NewNote, answer: CreatedNote): Promise<CreatedNote> {
		const entry = await this.store.findNoteByClientId(room.id, note.clientNoteId)
		if (entry && entry.participantId !== note.participantId) throw clientIdConflict()
		return answer
	}

	private async createOnce(room: Room, note: NewNote): Promise<CreatedNote> {
		const known = await this.store.findNoteByClientId(room.id, note.clientNoteId)
		if (known) return this.answerKnown(room, known, note)
		this.assertOpen(room)
		this.assertZone(room, note.zoneId)
		const now = this.now()
		const held = this.options.holdNotes?.(room) ?? false
		const screened = !held && (this.options.screenNotes?.(room) ?? false)
		const entry: NoteEntry = {
			roomId: room.id,
			noteId: newNoteId(),
			clientNoteId: note.clientNoteId,
			participantId: note.participantId,
			zoneId: note.zoneId,
			text: note.text,
			color: note.color,
			authorName: room.meta.anonymous ? null : note.authorName,
			status: held ? 'held' : screened ? 'awaiting_review' : 'pending',
			createdAt: now,
			updatedAt: now,
		}
		if (!(await this.store.insertNote(entry))) {
			// Another server instance took this clientNoteId between our look-up and our insert.
			const winner = await this.store.findNoteByClientId(room.id, note.clientNoteId)
			if (!winner) throw new Error(`note ledger refused ${note.clientNoteId} but does not have it`)
			return this.answerKnown(room, winner, note)
		}
		if (held) return { noteId: entry.noteId, status: 'held', created: true }
		if (screened) {
			await this.onScreeningQueueChanged?.(room)
			return { noteId: entry.noteId, status: 'awaiting_review', created: true }
		}
		await this.placeEntry(room, entry)
		return { noteId: entry.noteId, status: 'placed', created: true }
	}

	private async answerKnown(room: Room, entry: NoteEntry, note: NewNote): Promise<CreatedNote> {
		if (entry.participantId !== note.participantId) throw clientIdConflict()
		// A pending entry is a note whose doc write may not have happened (a crash): place it now.
		if (entry.status === 'pending') await this.placeEntry(room, entry)
		return { noteId: entry.noteId, status: publicStatus(entry.status), created: false }
	}

	/**
	 * Writes a ledger entry's note into the doc (unless it is there already), placed in its zone, and marks
	 * the entry `placed`; resolves once both are durable. Used for new notes, for crash repair, and to reveal
	 * held notes.
	 */
	async placeEntry(room: Room, entry: NoteEntry): Promise<void> {
		let zoneMissing = false
		await room.change((doc) => {
			const records = recordsOf(doc)
			if (records.has(entry.noteId)) return
			const placed = this.writePlaced(records, snapshot(records), entry)
			if (!placed) zoneMissing = true
		})
		if (zoneMissing) {
			await this.store.updateNote(room.id, entry.noteId, { status: 'deleted', updatedAt: this.now() })
			throw unknownZone(entry.zoneId)
		}
		room.noteOwners.set(entry.noteId, entry.participantId)
		await this.store.updateNote(room.id, entry.noteId, { status: 'placed', updatedAt: this.now() })
	}

	/**
	 * Places several ledger entries' notes in one doc transaction, each in its zone and clear of the ones placed
	 * before it, and marks them `placed` (`deleted` when their zone is gone) once the doc update is durable.
	 * The facilitator toolkit reveals held notes with it, so every board receives them together. Returns the
	 * ids now on the board.
	 */
	async placeEntries(room: Room, entries: readonly NoteEntry[]): Promise<string[]> {
		const placed: string[] = []
		const missing: string[] = []
		await room.change((doc) => {
			const records = recordsOf(doc)
			for (const entry of entries) {
				if (records.has(entry.noteId) || this.writePlaced(records, snapshot(records), entry)) placed.push(entry.noteId)
				else missing.push(entry.noteId)
			}
		})
		for (const entry of entries)
			if (placed.includes(entry.noteId)) room.noteOwners.set(entry.noteId, entry.participantId)
		const now = this.now()
		for (const noteId of missing) await this.store.updateNote(room.id, noteId, { status: 'deleted', updatedAt: now })
		for (const noteId of placed) await this.store.updateNote(room.id, noteId, { status: 'placed', updatedAt: now })
		return placed
	}

	/**
	 * Finds the place of a note in its zone within an open transaction (the note itself left out of the
	 * obstacles) and grows the zone's frame when placement asks for it; undefined when the board has no frame
	 * for the zone.
	 */
	private placeIn(
		records: RecordsMap,
		current: Map<string, TLRecord>,
		noteId: string,
		zoneId: string,
		size: { w: number; h: number }
	): ZonePlacement | undefined {
		current.delete(noteId)
		const placement = placeNoteInZone(current, zoneId, size)
		if (placement?.growTo) {
			// The zone grows; what lies below it moves down and the panel holding it grows along.
			for (const shape of growZone(current, placement.frameId, placement.growTo) ?? []) {
				const valid = validateRecord(shape)
				records.set(shape.id, valid)
				current.set(shape.id, valid)
			}
		}
		return placement
	}

	/** Writes a new note of `entry`'s content into its zone within an open transaction; false without a zone. */
	private writePlaced(
		records: RecordsMap,
		current: Map<string, TLRecord>,
		entry: Pick<NoteEntry, 'noteId' | 'zoneId' | 'text' | 'color' | 'authorName'>
	): boolean {
		const placement = this.placeIn(records, current, entry.noteId, entry.zoneId, noteSizeFor(entry.text))
		if (!placement) return false
		const record = buildNoteRecord({
			id: entry.noteId as TLShapeId,
			parentId: placement.frameId,
			index: placement.index,
			x: placement.x,
			y: placement.y,
			scale: placement.scale,
			text: entry.text,
			color: entry.color as TLDefaultColorStyle,
			zoneId: entry.zoneId,
			authorName: entry.authorName,
		})
		records.set(record.id, record)
		return true
	}

	/**
	 * Edits a note: its text, colour or zone, keeping its other styles. A note moved to another zone, or whose
	 * new text makes it overlap a neighbour, is placed again in its zone.
	 */
	async update(room: Room, noteId: string, change: NoteChange, actor: NoteActor): Promise<NoteView> {
		const moveOnly = change.text === undefined && change.color === undefined
		const entry = await this.authorize(room, noteId, actor, moveOnly ? 'move' : 'edit')
		this.assertOpen(room)
		if (change.zoneId !== undefined) this.assertZone(room, change.zoneId)
		if (entry && offBoard(entry)) {
			const patch = { ...change, updatedAt: this.now() }
			await this.store.updateNote(room.id, noteId, patch)
			return toView({ ...entry, ...patch })
		}
		if (entry && actor.kind === 'participant' && change.text !== undefined && this.options.screenNotes?.(room)) {
			return this.requeue(room, entry, change)
		}
		let gone = false
		await room.change((doc) => {
			const records = recordsOf(doc)
			const current = records.get(noteId)
			if (!isNoteRecord(current)) {
				gone = true
				return
			}
			const currentZone = noteZone(current)
			const zoneId = change.zoneId ?? currentZone
			const props = { ...current.props, color: change.color ?? current.props.color }
			if (change.text !== undefined) {
				Object.assign(props, {
					richText: plainTextToRichText(change.text),
					growY: estimateNoteGrowY(change.text),
					fontSizeAdjustment: estimateNoteFontAdjustment(change.text),
				})
			}
			let next = { ...current, props, meta: zoneId === undefined ? current.meta : { ...current.meta, zoneId } }
			const all = snapshot(records)
			const moved = change.zoneId !== undefined && change.zoneId !== currentZone
			const resized = change.text !== undefined && (overlapsSibling(all, next) || outsideParent(all, next))
			if (zoneId !== undefined && (moved || resized)) {
				const placement = this.placeIn(records, all, noteId, zoneId, { w: NOTE_SIZE, h: NOTE_SIZE + props.growY })
				if (placement) {
					next = {
						...next,
						parentId: placement.frameId,
						index: placement.index,
						x: placement.x,
						y: placement.y,
						rotation: 0,
						props: { ...props, scale: placement.scale },
					}
				}
			}
			records.set(noteId, validateRecord(next))
		})
		if (gone) throw noteNotFound()
		const patch = { ...change, updatedAt: this.now() }
		if (entry) await this.store.updateNote(room.id, noteId, patch)
		const view = this.viewOf(room, entry ? { ...entry, ...patch } : null, noteId)
		if (!view) throw noteNotFound()
		return view
	}

	/**
	 * A participant's new text for a note on the board while screening is on: the note leaves the board and
	 * waits in the queue again with its new text (its zone and colour kept), like a new note would.
	 */
	private async requeue(room: Room, entry: NoteEntry, change: NoteChange): Promise<NoteView> {
		let zoneId = change.zoneId ?? entry.zoneId
		let color = change.color ?? entry.color
		await room.change((doc) => {
			const records = recordsOf(doc)
			const current = records.get(entry.noteId)
			if (!isNoteRecord(current)) return
			zoneId = change.zoneId ?? noteZone(current) ?? entry.zoneId
			color = change.color ?? current.props.color
			records.delete(entry.noteId)
		})
		const patch = { ...change, zoneId, color, status: 'awaiting_review' as const, updatedAt: this.now() }
		await this.store.updateNote(room.id, entry.noteId, patch)
		await this.onScreeningQueueChanged?.(room)
		return toView({ ...entry, ...patch })
	}

	/** Removes a note from the board (and marks its ledger entry deleted). */
	async remove(room: Room, noteId: string, actor: NoteActor): Promise<void> {
		const entry = await this.authorize(room, noteId, actor)
		this.assertOpen(room)
		let found = false
		await room.change((doc) => {
			const records = recordsOf(doc)
			if (isNoteRecord(records.get(noteId))) {
				records.delete(noteId)
				found = true
			}
		})
		if (entry) await this.store.updateNote(room.id, noteId, { status: 'deleted', updatedAt: this.now() })
		else if (!found) throw noteNotFound()
		if (entry?.status === 'awaiting_review') await this.onScreeningQueueChanged?.(room)
	}

	/** A participant's notes still on the board (or held), with their current text, oldest first. */
	async listFor(room: Room, participantId: string): Promise<NoteView[]> {
		const entries = await this.store.listParticipantNotes(room.id, participantId)
		const views: NoteView[] = []
		for (const entry of entries) {
			if (entry.status === 'deleted') continue
			const view = this.viewOf(room, entry, entry.noteId)
			if (view) views.push(view)
		}
		return views
	}

	/** The view of a note: the doc's current content when it is on the board, else the ledger's when held or queued. */
	private viewOf(room: Room, entry: NoteEntry | null, noteId: string): NoteView | null {
		const record = recordsOf(room.doc).get(noteId)
		if (isNoteRecord(record)) {
			return {
				noteId,
				clientNoteId: entry?.clientNoteId ?? '',
				zoneId: noteZone(record) ?? entry?.zoneId ?? '',
				text: plainText(record.props.richText),
				color: record.props.color,
				status: 'placed',
				createdAt: entry?.createdAt ?? 0,
				updatedAt: entry?.updatedAt ?? 0,
			}
		}
		if (entry && offBoard(entry)) return toView(entry)
		return null
	}

	/**
	 * The ledger entry of a note the actor may change (null for a note drawn on the board, which has none). The
	 * same policy as on the websocket (rooms/permissions.ts): the facilitator may change any note; a participant
	 * may move any note on the board (`move`: only its zone changes), but change the text or colour of, or
	 * delete, only a note they wrote (the ledger says who: phone notes, and notes drawn on the board by a
	 * participant, which the session toolkit records there).
	 */
	private async authorize(
		room: Room,
		noteId: string,
		actor: NoteActor,
		intent: 'move' | 'edit' = 'edit'
	): Promise<NoteEntry | null> {
		const entry = await this.store.getNote(room.id, noteId)
		if (entry?.status === 'deleted') throw noteNotFound()
		const onBoard = recordsOf(room.doc).get(noteId)
		if (actor.kind === 'facilitator') {
			if (!entry && !isNoteRecord(onBoard)) throw noteNotFound()
			return entry
		}
		if (!entry && !isNoteRecord(onBoard)) throw noteNotFound()
		if (intent === 'move' && isNoteRecord(onBoard)) return entry
		if (!entry) throw noteNotFound()
		if (entry.participantId !== actor.participantId) {
			throw httpError(
				403,
				'not_your_note',
				'Only the participant who wrote this note (or the facilitator) may change it'
			)
		}
		return entry
	}

	private assertOpen(room: Room): void {
		if (room.meta.closedAt !== null || readSessionPhase(room.doc.getMap(SESSION_MAP)) === 'closed') {
			throw httpError(409, 'session_closed', 'This session is closed; notes can no longer be added or changed')
		}
	}

	private assertZone(room: Room, zoneId: string): void {
		if (!zoneFrames(snapshot(recordsOf(room.doc))).has(zoneId)) throw unknownZone(zoneId)
	}
}

function toView(entry: NoteEntry): NoteView {
	return {
		noteId: entry.noteId,
		clientNoteId: entry.clientNoteId,
		zoneId: entry.zoneId,
		text: entry.text,
		color: entry.color,
		status: publicStatus(entry.status),
		createdAt: entry.createdAt,
		updatedAt: entry.updatedAt,
	}
}

function noteZone(record: TLNoteShape): string | undefined {
	const zoneId = (record.meta as { zoneId?: unknown } | undefined)?.zoneId
	return typeof zoneId === 'string' ? zoneId : undefined
}

/** Whether a note overlaps another non-structure child of its parent frame. */
function overlapsSibling(records: Map<string, TLRecord>, note: TLNoteShape): boolean {
	const box = (r: TLShape) => ({ x: r.x, y: r.y, ...shapeSize(r) })
	const a = box(note)
	for (const other of records.values()) {
		if (other.typeName !== 'shape' || other.id === note.id || other.parentId !== note.parentId) continue
		if ((other.meta as { kind?: unknown } | undefined)?.kind === STRUCTURE_KIND) continue
		const b = box(other)
		if (a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h) return true
	}
	return false
}

/** Whether a note reaches beyond its parent frame's right or bottom edge. */
function outsideParent(records: Map<string, TLRecord>, note: TLNoteShape): boolean {
	const parent = records.get(note.parentId)
	if (parent?.typeName !== 'shape' || parent.type !== 'frame') return false
	const { w, h } = shapeSize(note)
	const frame = parent as TLFrameShape
	return note.x + w > frame.props.w || note.y + h > frame.props.h
}

function noteNotFound() {
	return httpError(404, 'note_not_found', 'No note with this id in this room')
}

function unknownZone(zoneId: string) {
	return httpError(400, 'unknown_zone', `This board has no zone "${zoneId}"`)
}

function clientIdConflict() {
	return httpError(409, 'client_note_id_conflict', 'This clientNoteId belongs to a note of another participant')
}
