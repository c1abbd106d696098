import type { FastifyPluginAsync } from 'fastify'
import { createBoardRecords, DOCUMENT_ID, RECORDS_MAP, readSessionPhase, SESSION_MAP } from '@kompasbord/shared'
import type { TLRecord } from '@tldraw/tlschema'
import { getTemplate, resolveZones } from '@kompasbord/templates'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import { phoneBaseUrl, requestOrigin } from '../http/public-url'
import { hashKey, newFacilitatorKey, newJoinCode, newRoomId, normalizeJoinCode } from '../rooms/credentials'
import { initialDocUpdate } from '../rooms/initial-doc'
import { JoinCodeTakenError, type RoomRecord } from '../store/room-store'
import { writeCarriedNotes } from '../trajects/carried-notes'

/** Attempts at drawing a join code not used by an open room. */
const JOIN_CODE_ATTEMPTS = 20

/**
 * `POST /api/rooms`, `GET /api/rooms/:roomId`, `GET /api/join/:joinCode`.
 */
export const roomRoutes = routePlugin(
	'kompasbord-room-routes',
	{ dependencies: ['kompasbord-trajects'], decorators: ['config', 'rooms', 'store'] },
	async (app) => {
		const api = typed(app)
		api.route({
			...contractRoute('createRoom'),
			handler: async (request, reply) => {
				const body = request.body
				const template = getTemplate(body.templateId)
				if (!template) throw httpError(400, 'unknown_template', `Unknown template "${body.templateId}"`)
				const locale = body.locale ?? 'nl'
				const title = body.title?.trim() || template.title[locale]
				if (body.trajectId === undefined && body.carry?.length) {
					throw httpError(400, 'not_offered', 'Only a board created in a traject can carry notes from earlier boards')
				}
				const traject =
					body.trajectId === undefined ? null : await app.trajects.authorize(body.trajectId, body.trajectKey)
				const carry = traject ? await app.trajects.planNew(traject, template, body.carry ?? []) : null
				const columns = template.id === 'activiteitenmatrix' ? (carry?.columns ?? body.columns ?? 4) : null
				const records = createBoardRecords(template, { columns: columns ?? undefined, locale })
				const roomId = newRoomId()
				const facilitatorKey = newFacilitatorKey()
				const current = new Map<string, TLRecord>(records.map((record) => [record.id, record]))
				const carried = carry ? writeCarriedNotes(current, () => {}, carry.notes, roomId, Date.now()) : []
				const initial = initialDocUpdate([...current.values()])
				let room: RoomRecord | null = null
				for (let attempt = 0; attempt < JOIN_CODE_ATTEMPTS && !room; attempt++) {
					const candidate: RoomRecord = {
						roomId,
						title,
						templateId: template.id,
						columns,
						joinCode: newJoinCode(),
						facilitatorKeyHash: hashKey(facilitatorKey),
						anonymous: body.anonymous ?? true,
						createdAt: Date.now(),
						closedAt: null,
					}
					try {
						await app.store.createRoom(candidate, initial)
						room = candidate
					} catch (error) {
						if (!(error instanceof JoinCodeTakenError)) throw error
					}
				}
				if (!room) throw httpError(503, 'no_join_code', 'Could not find a free join code; try again')
				if (traject) await app.trajects.addBoard(traject, roomId, carried)
				const origin = requestOrigin(request)
				const phoneBase = phoneBaseUrl(app.config, request)
				reply.code(201)
				return {
					roomId,
					joinCode: room.joinCode,
					facilitatorKey,
					links: {
						board: `${origin}/b/${roomId}`,
						facilitator: `${origin}/b/${roomId}#key=${facilitatorKey}`,
						join: `${phoneBase}/j/${roomId}`,
						view: `${origin}/b/${roomId}?view=1`,
					},
				}
			},
		})

		api.route({
			...contractRoute('getRoom'),
			handler: async (request) => {
				const room = await app.store.getRoom(request.params.roomId)
				if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
				// The phase lives in the room's doc: load the room if no one has it open (phones ask while boards are away).
				// The board's language is in its document record (written when the room was made).
				const fromDoc = room.closedAt
					? null
					: await app.rooms.use(room.roomId, (loaded) => ({
							phase: readSessionPhase(loaded.doc.getMap(SESSION_MAP)),
							locale: (loaded.doc.getMap(RECORDS_MAP).get(DOCUMENT_ID) as { meta?: { locale?: unknown } } | undefined)
								?.meta?.locale,
						}))
				const docPhase = fromDoc?.phase
				const locale: 'nl' | 'en' | undefined =
					fromDoc?.locale === 'en' ? 'en' : fromDoc?.locale === 'nl' ? 'nl' : undefined
				const phase = room.closedAt ? 'closed' : (docPhase ?? 'open')
				return {
					roomId: room.roomId,
					title: room.title,
					templateId: room.templateId,
					phase,
					joinCode: room.joinCode,
					anonymous: room.anonymous,
					zones: (resolveZones(room.templateId, { columns: room.columns ?? undefined }) ?? []).map((z) => ({
						id: z.id,
						label: z.label,
					})),
					...(locale ? { locale } : {}),
				}
			},
		})

		api.route({
			...contractRoute('joinByCode'),
			handler: async (request) => {
				const code = normalizeJoinCode(request.params.joinCode)
				const room = code ? await app.store.findOpenRoomByJoinCode(code) : null
				if (!room) {
					// A code of a closed session says so, so the phone can tell the person instead of "unknown code".
					if (code && (await app.store.findClosedRoomByJoinCode(code))) {
						throw httpError(404, 'session_closed', 'This session is closed; its code no longer works')
					}
					throw httpError(404, 'join_code_not_found', 'No open session with this code')
				}
				return { roomId: room.roomId }
			},
		})
	}
)
