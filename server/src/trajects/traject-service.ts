/**
 * Trajects on the server: their keys, their boards in compass order, what earlier boards offer a later one and
 * carrying it over, and the traject report. Routes: server/src/routes/trajects.ts (and `POST /api/rooms` with a
 * `trajectId`).
 *
 * @module
 */
import type { Template } from '@kompasbord/shared'
import { RECORDS_MAP } from '@kompasbord/shared'
import { getTemplate, listTemplates } from '@kompasbord/templates'
import type { TLRecord } from '@tldraw/tlschema'
import type * as Y from 'yjs'
import { buildReport, type ExportReport, reportDate, type ReportLocale, type TrajectReport } from '../export'
import { httpError } from '../http/errors'
import { hashKey, newFacilitatorKey, newRoomId, verifyKey } from '../rooms/credentials'
import type { RoomManager } from '../rooms/room-manager'
import type { RoomRecord, RoomRecordStore } from '../store/room-records'
import type { CarriedNote, TrajectRecord, TrajectStore } from '../store/trajects'
import {
	type CarryOffer,
	carryOffers,
	type CarryPlan,
	carryItemId,
	isColumnsRule,
	planCarry,
	type SourceBoard,
} from './carry-forward'
import { writeCarriedNotes } from './carried-notes'

/** A board of a traject as the traject page lists it. */
export interface TrajectBoard {
	room: RoomRecord
	report: ExportReport
	hasSnapshot: boolean
	/** Notes carried into this board from earlier ones. */
	carried: number
}

/** The worksheet order of the compass: templates by bouwsteen ("0-A" < "0-B" < "0" < "1-A" < "3-B" < "6", as `listTemplates` orders them), boards without last. */
export function compassOrder(
	a: { templateId: string; createdAt: number },
	b: { templateId: string; createdAt: number }
): number {
	const order = new Map(listTemplates().map((template, i) => [template.id, i]))
	const ka = order.get(a.templateId) ?? Number.MAX_SAFE_INTEGER
	const kb = order.get(b.templateId) ?? Number.MAX_SAFE_INTEGER
	return ka - kb || a.createdAt - b.createdAt
}

/** What the traject service needs of the app. */
export interface TrajectServiceDeps {
	store: TrajectStore & RoomRecordStore
	rooms: RoomManager
	now?: () => number
}

export class TrajectService {
	private readonly now: () => number

	constructor(private readonly deps: TrajectServiceDeps) {
		this.now = deps.now ?? Date.now
	}

	/** Creates a traject; answers its id and its key (stored only as a hash). */
	async create(title: string): Promise<{ traject: TrajectRecord; key: string }> {
		const key = newFacilitatorKey()
		const traject: TrajectRecord = { trajectId: newRoomId(), title, keyHash: hashKey(key), createdAt: this.now() }
		await this.deps.store.createTraject(traject)
		return { traject, key }
	}

	/** The traject, when `key` is its key: 404 unknown traject, 401 no key, 403 a wrong key. */
	async authorize(trajectId: string, key: string | null | undefined): Promise<TrajectRecord> {
		const traject = await this.deps.store.getTraject(trajectId)
		if (!traject) throw httpError(404, 'traject_not_found', 'No traject with this id')
		if (!key) throw httpError(401, 'unauthorized', 'This needs the traject key (Authorization: Bearer <key>)')
		if (!verifyKey(key, traject.keyHash)) throw httpError(403, 'forbidden', 'Wrong traject key')
		return traject
	}

	/** The traject's boards in compass order, each with its report (rooms are loaded when no one has them open). */
	async boards(traject: TrajectRecord, locale?: ReportLocale): Promise<TrajectBoard[]> {
		const boards: TrajectBoard[] = []
		for (const roomId of await this.deps.store.listTrajectRooms(traject.trajectId)) {
			const room = await this.deps.store.getRoom(roomId)
			if (!room) continue
			const report = await this.deps.rooms.use(roomId, (loaded) => buildReport({ room, doc: loaded.doc, locale }))
			if (!report) continue
			const hasSnapshot = (await this.deps.store.getBoardSnapshot(roomId)) !== null
			const carried = (await this.deps.store.listCarriedNotes(roomId)).length
			boards.push({ room, report, hasSnapshot, carried })
		}
		return boards.sort((a, b) => compassOrder(a.room, b.room))
	}

	/**
	 * What the traject's boards offer a board of `template`: a new one (no `target`), or `target`, an existing
	 * board of the traject (then only what was not carried into it before, and result columns only while it has
	 * free ones).
	 */
	async offers(traject: TrajectRecord, template: Template, target?: RoomRecord): Promise<CarryOffer[]> {
		const boards = (await this.boards(traject)).filter((board) => board.room.roomId !== target?.roomId)
		const sources: SourceBoard[] = boards.map((board) => ({
			roomId: board.room.roomId,
			title: board.room.title,
			templateId: board.room.templateId,
			createdAt: board.room.createdAt,
			report: board.report,
		}))
		const carried = target ? await this.deps.store.listCarriedNotes(target.roomId) : []
		return carryOffers(template, sources, new Set(carried.map((c) => carryItemId(c.sourceRoomId, c.sourceNoteId))))
	}

	/** Plans the chosen items for a new board of `template` (400 `not_offered` for an item not on offer). */
	async planNew(traject: TrajectRecord, template: Template, chosen: readonly string[]): Promise<CarryPlan> {
		if (chosen.length === 0) return { notes: [], columns: undefined }
		return plan(() => this.offers(traject, template).then((offers) => planCarry(template, offers, chosen)))
	}

	/** Puts a freshly created board into the traject and records what was carried into it. */
	async addBoard(traject: TrajectRecord, roomId: string, carried: readonly CarriedNote[]): Promise<void> {
		await this.deps.store.addTrajectRoom(traject.trajectId, roomId, this.now())
		await this.deps.store.recordCarriedNotes(carried)
	}

	/**
	 * Carries the chosen items into `target`, an existing board of the traject (404 when it is not in it): the
	 * notes are written into its live doc. Returns what was carried.
	 */
	async carryInto(traject: TrajectRecord, target: RoomRecord, chosen: readonly string[]): Promise<CarriedNote[]> {
		if ((await this.deps.store.trajectOfRoom(target.roomId)) !== traject.trajectId) {
			throw httpError(404, 'room_not_found', 'This board is not part of the traject')
		}
		const template = getTemplate(target.templateId)
		if (!template) throw httpError(404, 'unknown_template', `Unknown template "${target.templateId}"`)
		const offers = await this.offers(traject, template, target)
		const columns = target.columns ?? 0
		const filled = await this.filledColumns(template, target)
		const carriedPlan = await plan(async () => planCarry(template, offers, chosen, { columns, filledColumns: filled }))
		if (carriedPlan.notes.length === 0) return []
		const now = this.now()
		let carried: CarriedNote[] = []
		const done = await this.deps.rooms.use(target.roomId, (room) =>
			room.change((doc) => {
				const map = doc.getMap(RECORDS_MAP) as Y.Map<TLRecord>
				carried = writeCarriedNotes(
					new Map(map.entries()),
					(record) => map.set(record.id, record),
					carriedPlan.notes,
					target.roomId,
					now
				)
			})
		)
		if (done === null) throw httpError(404, 'room_not_found', 'No room with this id')
		await this.deps.store.recordCarriedNotes(carried)
		return carried
	}

	/** Result columns of `target` that already head a carried result. */
	private async filledColumns(template: Template, target: RoomRecord): Promise<Set<number>> {
		const pattern = (template.carryForward ?? []).find((rule) => isColumnsRule(template, rule))?.into
		const filled = new Set<number>()
		if (!pattern) return filled
		const [before, after] = pattern.split('{n}')
		await this.deps.rooms.use(target.roomId, (room) => {
			room.doc.getMap(RECORDS_MAP).forEach((value) => {
				const meta = (value as { meta?: Record<string, unknown> }).meta
				const zoneId = meta?.zoneId
				if (typeof meta?.carriedFromRoom !== 'string' || typeof zoneId !== 'string') return
				if (!zoneId.startsWith(before) || !zoneId.endsWith(after)) return
				const n = Number(zoneId.slice(before.length, zoneId.length - after.length))
				if (Number.isInteger(n)) filled.add(n)
			})
		})
		return filled
	}

	/** The traject report: every board in compass order with its report and its last kept image. */
	async report(traject: TrajectRecord, locale: ReportLocale = 'nl'): Promise<TrajectReport> {
		const boards = await this.boards(traject, locale)
		const withImages = []
		for (const board of boards) {
			const snapshot = await this.deps.store.getBoardSnapshot(board.room.roomId)
			withImages.push({ report: board.report, png: snapshot?.png ?? null })
		}
		return { title: traject.title, locale, date: reportDate(this.now()), boards: withImages }
	}
}

/** Runs a planning step, turning its RangeError (an item not on offer, too many results) into a 400. */
async function plan<T>(fn: () => Promise<T>): Promise<T> {
	try {
		return await fn()
	} catch (error) {
		if (error instanceof RangeError) throw httpError(400, 'not_offered', `Cannot carry these items: ${error.message}`)
		throw error
	}
}
