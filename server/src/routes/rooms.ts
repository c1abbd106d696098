import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import {
	createBoardRecords,
	DOCUMENT_ID,
	RECORDS_MAP,
	readSessionPhase,
	SESSION_MAP,
	type RoomLinks,
} from '@kompasbord/shared'
import type { TLRecord } from '@tldraw/tlschema'
import { getTemplate, resolveZones } from '@kompasbord/templates'
import { bearerToken, isFacilitator, participantOf, requireFacilitator, sameSecret } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { phoneBaseUrl, requestOrigin } from '../http/public-url'
import { refuseRateLimited } from '../http/rate-limit'
import { hashKey, newFacilitatorKey, newJoinCode, newRoomId, normalizeJoinCode } from '../rooms/credentials'
import { initialDocUpdate } from '../rooms/initial-doc'
import { verifyPassphrase } from '../rooms/passphrase'
import { JoinCodeTakenError, type RoomRecord } from '../store/room-store'
import { writeCarriedNotes } from '../trajects/carried-notes'
import { joinCodeExpired } from './room-access'

/** Attempts at drawing a join code not used by an open room. */
const JOIN_CODE_ATTEMPTS = 20

/**
 * A room's links. Capabilities travel in the hash, which browsers never send to a server (nor put in a log):
 * the facilitator key, the view token, and the join code of the laptop participant's board link.
 */
function roomLinks(
	app: FastifyInstance,
	request: FastifyRequest,
	room: Pick<RoomRecord, 'roomId' | 'joinCode' | 'facilitatorKeyHash'>,
	facilitatorKey: string | null
): { links: RoomLinks; viewToken: string } {
	const origin = requestOrigin(request)
	const phoneBase = phoneBaseUrl(app.config, request)
	const board = `${origin}/b/${encodeURIComponent(room.roomId)}`
	const viewToken = app.participantTokens.viewToken(room.roomId, room.facilitatorKeyHash)
	return {
		viewToken,
		links: {
			board: `${board}#code=${room.joinCode}`,
			facilitator: facilitatorKey ? `${board}#key=${facilitatorKey}` : '',
			join: `${phoneBase}/j/${room.joinCode}`,
			view: `${board}#view=${viewToken}`,
		},
	}
}

/**
 * Whether the request may learn the room's join code: the facilitator, or one of its participants (a view
 * token's holder or someone who only knows the room id may not: the code makes participants).
 */
function mayKnowJoinCode(request: FastifyRequest, room: RoomRecord): boolean {
	return isFacilitator(request, room) || participantOf(request, room.roomId) !== null
}

/**
 * `POST /api/rooms` guards: the operator's `CREATE_ROOM_TOKEN` when set (401 without, 403 wrong), then
 * `ROOMS_PER_ADDRESS` rooms per address per ten minutes (429).
 */
async function guardRoomCreation(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): Promise<void> {
	const required = app.config.createRoomToken
	if (required) {
		const token = bearerToken(request)
		if (!token) {
			throw httpError(
				401,
				'unauthorized',
				"Creating rooms needs the server's room token (Authorization: Bearer <token>)"
			)
		}
		if (!sameSecret(token, required)) throw httpError(403, 'forbidden', 'Wrong room token')
	}
	const decision = await app.rateLimits.roomCreation.take(request.ip)
	if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many new rooms from this address; try again later')
}

/**
 * `POST /api/rooms` (limited per address; `CREATE_ROOM_TOKEN` when set), `GET /api/rooms/:roomId` (the join
 * code only for the facilitator and participants), `GET /api/rooms/:roomId/links` (facilitator: the links, the
 * view link with its token), `GET /api/join/:joinCode` (the room id; 410 once the code expired),
 * `POST /api/join/:joinCode` (a participant token; the room's passphrase when it has one, wrong ones limited per
 * address and per room; new participants limited per room and per address).
 */
export const roomRoutes = routePlugin(
	'kompasbord-room-routes',
	{ dependencies: ['kompasbord-trajects'], decorators: ['config', 'rooms', 'store'] },
	async (app) => {
		const api = typed(app)
		api.route({
			...contractRoute('createRoom'),
			handler: async (request, reply) => {
				await guardRoomCreation(app, request, reply)
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
						passphraseHash: null,
						joinCodeExpiresAt: null,
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
				reply.code(201)
				const { links, viewToken } = roomLinks(app, request, room, facilitatorKey)
				return { roomId, joinCode: room.joinCode, facilitatorKey, viewToken, links }
			},
		})

		api.route({
			...contractRoute('roomLinks'),
			handler: async (request, reply) => {
				const room = await app.store.getRoom(request.params.roomId)
				if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
				requireFacilitator(request, room)
				reply.header('cache-control', 'no-store')
				const { links, viewToken } = roomLinks(app, request, room, null)
				return { links: { board: links.board, join: links.join, view: links.view }, viewToken }
			},
		})

		api.route({
			...contractRoute('getRoom'),
			handler: async (request, reply) => {
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
				const scoreRound = getTemplate(room.templateId)?.scoreRound
				reply.header('cache-control', 'no-store')
				return {
					roomId: room.roomId,
					title: room.title,
					templateId: room.templateId,
					phase,
					...(mayKnowJoinCode(request, room) ? { joinCode: room.joinCode } : {}),
					anonymous: room.anonymous,
					zones: (resolveZones(room.templateId, { columns: room.columns ?? undefined }) ?? []).map((z) => ({
						id: z.id,
						label: z.label,
					})),
					...(locale ? { locale } : {}),
					...(scoreRound
						? { scoreRound: { parts: [...scoreRound.parts], min: scoreRound.min, max: scoreRound.max } }
						: {}),
				}
			},
		})

		/** The open room of a join code; 404 `session_closed` or `join_code_not_found` (counted by the rate limits). */
		const openRoomOf = async (joinCode: string): Promise<RoomRecord> => {
			const code = normalizeJoinCode(joinCode)
			const room = code ? await app.store.findOpenRoomByJoinCode(code) : null
			if (!room) {
				// A code of a closed session says so, so the phone can tell the person instead of "unknown code".
				if (code && (await app.store.findClosedRoomByJoinCode(code))) {
					throw httpError(404, 'session_closed', 'This session is closed; its code no longer works')
				}
				throw httpError(404, 'join_code_not_found', 'No open session with this code')
			}
			return room
		}

		/** 410 `join_code_expired` once the facilitator's expiry of the room's join code has passed. */
		const refuseExpired = (room: RoomRecord): void => {
			if (joinCodeExpired(room)) {
				throw httpError(410, 'join_code_expired', 'This join code has expired; ask the facilitator for a new one')
			}
		}

		api.route({
			...contractRoute('joinByCode'),
			handler: async (request) => {
				const room = await openRoomOf(request.params.joinCode)
				refuseExpired(room)
				return { roomId: room.roomId }
			},
		})

		/**
		 * The room's passphrase, when it has one: 401 `passphrase_required` without one in the body, 403
		 * `wrong_passphrase` for a wrong one, which counts against the address and the room; once either has too
		 * many recent misses, 429 before the passphrase is even hashed.
		 */
		const checkPassphrase = async (
			request: FastifyRequest,
			reply: FastifyReply,
			room: RoomRecord,
			typed: string | undefined
		): Promise<void> => {
			if (room.passphraseHash === null) return
			if (typed === undefined || typed.trim() === '') {
				throw httpError(401, 'passphrase_required', 'This session needs its passphrase (body: {"passphrase": …})')
			}
			const limits = app.rateLimits
			for (const decision of await Promise.all([
				limits.passphraseMissesPerAddress.check(request.ip),
				limits.passphraseMissesPerRoom.check(room.roomId),
			])) {
				if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many wrong passphrases; try again later')
			}
			if (!(await verifyPassphrase(typed, room.passphraseHash))) {
				await Promise.all([
					limits.passphraseMissesPerAddress.fail(request.ip),
					limits.passphraseMissesPerRoom.fail(room.roomId),
				])
				throw httpError(403, 'wrong_passphrase', 'Wrong passphrase')
			}
		}

		api.route({
			...contractRoute('joinRoom'),
			handler: async (request, reply) => {
				const room = await openRoomOf(request.params.joinCode)
				reply.header('cache-control', 'no-store')
				// Whoever holds a token of the room is in already: no passphrase, and an expired code does not shut
				// them out (the phone and the board of one browser ask again with the token they share).
				const known = participantOf(request, room.roomId)
				if (known) {
					return {
						roomId: room.roomId,
						participantId: known.participantId,
						participantToken: bearerToken(request) as string,
					}
				}
				refuseExpired(room)
				await checkPassphrase(request, reply, room, request.body?.passphrase)
				const limits = app.rateLimits
				const decision = await limits.newParticipants.take(request.ip)
				if (!decision.allowed) {
					refuseRateLimited(reply, decision, 'Too many new participants from this address; try again later')
				}
				if (!(await limits.participantsPerRoom.take(room.roomId))) {
					throw httpError(429, 'room_full', 'This session has as many participants as it may have')
				}
				const issued = app.participantTokens.issue(room.roomId)
				reply.code(201)
				return { roomId: room.roomId, participantId: issued.participantId, participantToken: issued.token }
			},
		})
	}
)
