import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { exportFileName } from '@kompasbord/shared/export-file-name'
import { getTemplate } from '@kompasbord/templates'
import { readPngSize, renderTrajectDocx, renderTrajectMarkdown, type ReportLocale } from '../export'
import { bearerToken, requireFacilitator } from '../http/auth'
import { contractRoute, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { requestOrigin } from '../http/public-url'
import { TrajectService } from '../trajects/traject-service'

declare module 'fastify' {
	interface FastifyInstance {
		/** Trajects: boards of one municipality in compass order, carry-forward, the traject report. */
		trajects: TrajectService
	}
}

/** Largest board image kept for the traject page and report, in bytes. */
export const MAX_SNAPSHOT_BYTES = 12 * 1024 * 1024
/** Trajects one address may create in a burst, and how many it regains per minute after that. */
const TRAJECT_BURST = 10
const TRAJECTS_PER_MINUTE = 2

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/**
 * Trajects (see docs/API.md):
 * - `POST /api/trajects {title}` → 201 `{trajectId, trajectKey, links}`; the key is shown once;
 * - with `Authorization: Bearer <trajectKey>`: `GET /api/trajects/:trajectId` (its boards in compass order),
 *   `GET …/offers?templateId=|roomId=` (what earlier boards offer a new or an existing board),
 *   `POST …/boards/:roomId/carry {items}` (carry into an existing board), `GET …/boards/:roomId/snapshot.png`,
 *   `GET …/export.md|.docx` (the traject report);
 * - `PUT /api/rooms/:roomId/snapshot` (facilitator key, `image/png`): keeps the board's image for the traject.
 * A board is created in a traject by `POST /api/rooms` with `trajectId`, `trajectKey` and `carry`.
 */
export const trajectRoutes: FastifyPluginAsync = fp(
	async (app) => {
		app.decorate('trajects', new TrajectService({ store: app.store, rooms: app.rooms }))
		const creations = app.rateLimits.factory.bucket('traject', {
			capacity: TRAJECT_BURST,
			refillPerSecond: TRAJECTS_PER_MINUTE / 60,
		})

		app.register(async (scope) => {
			scope.addContentTypeParser(
				'image/png',
				{ parseAs: 'buffer', bodyLimit: MAX_SNAPSHOT_BYTES },
				(_request, body, done) => done(null, body)
			)
			const api = typed(scope)
			const authorized = (request: FastifyRequest) =>
				app.trajects.authorize((request.params as { trajectId: string }).trajectId, bearerToken(request))
			/** Binary answers (PNG, Markdown, Word) go out as they are, past the JSON serializer. */
			const sendBinary = (reply: FastifyReply, type: string, body: string | Buffer, fileName?: string) => {
				reply.header('content-type', type).header('cache-control', 'no-store')
				if (fileName) reply.header('content-disposition', `attachment; filename="${fileName}"`)
				return reply.send(body)
			}
			const inTraject = async (trajectId: string, roomId: string) => {
				if ((await app.store.trajectOfRoom(roomId)) !== trajectId) {
					throw httpError(404, 'room_not_found', 'This board is not part of the traject')
				}
			}

			api.route({
				...contractRoute('createTraject'),
				handler: async (request, reply) => {
					const decision = await creations.take(request.ip)
					if (!decision.allowed) {
						reply.header('retry-after', String(Math.ceil(decision.retryAfterMs / 1000)))
						throw httpError(429, 'rate_limited', 'Too many trajects created from this address; try again later')
					}
					const title = request.body.title.trim()
					if (!title) throw httpError(400, 'invalid_title', 'Give the traject a title')
					const { traject, key } = await app.trajects.create(title)
					reply.code(201)
					return {
						trajectId: traject.trajectId,
						trajectKey: key,
						links: { traject: `${requestOrigin(request)}/t/${traject.trajectId}#key=${key}` },
					}
				},
			})

			api.route({
				...contractRoute('getTraject'),
				handler: async (request) => {
					const traject = await authorized(request)
					const boards = await app.trajects.boards(traject, request.query.lang ?? 'nl')
					return {
						trajectId: traject.trajectId,
						title: traject.title,
						createdAt: traject.createdAt,
						boards: boards.map(({ room, report, hasSnapshot, carried }) => ({
							roomId: room.roomId,
							title: room.title,
							templateId: room.templateId,
							templateTitle: report.template.title,
							bouwsteen: report.template.bouwsteen,
							phase: report.phase,
							createdAt: room.createdAt,
							notes: report.totals.notes,
							votes: report.totals.votes,
							carried,
							hasSnapshot,
						})),
					}
				},
			})

			api.route({
				...contractRoute('trajectOffers'),
				handler: async (request) => {
					const traject = await authorized(request)
					const { templateId, roomId } = request.query
					if ((templateId === undefined) === (roomId === undefined)) {
						throw httpError(
							400,
							'invalid_query',
							'Ask with either templateId (a new board) or roomId (an existing board)'
						)
					}
					const target = roomId === undefined ? null : await app.store.getRoom(roomId)
					if (roomId !== undefined) {
						if (!target) throw httpError(404, 'room_not_found', 'No room with this id')
						await inTraject(traject.trajectId, roomId)
					}
					const template = getTemplate(target?.templateId ?? templateId ?? '')
					if (!template) throw httpError(400, 'unknown_template', `Unknown template "${templateId}"`)
					const offers = await app.trajects.offers(traject, template, target ?? undefined)
					const lang = request.query.lang ?? 'nl'
					return { templateId: template.id, offers: offers.map((offer) => ({ ...offer, label: offer.label[lang] })) }
				},
			})

			api.route({
				...contractRoute('carryIntoBoard'),
				handler: async (request) => {
					const traject = await authorized(request)
					const room = await app.store.getRoom(request.params.roomId)
					if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
					if (room.closedAt !== null) throw httpError(409, 'session_closed', 'The session of this board is closed')
					const carried = await app.trajects.carryInto(traject, room, request.body.items)
					return { carried: carried.length }
				},
			})

			api.route({
				...contractRoute('trajectBoardImage'),
				handler: async (request, reply) => {
					const traject = await authorized(request)
					await inTraject(traject.trajectId, request.params.roomId)
					const snapshot = await app.store.getBoardSnapshot(request.params.roomId)
					if (!snapshot) throw httpError(404, 'no_snapshot', 'No image of this board has been kept yet')
					return sendBinary(reply, 'image/png', Buffer.from(snapshot.png))
				},
			})

			for (const ext of ['md', 'docx'] as const) {
				api.route({
					...contractRoute(ext === 'md' ? 'trajectExportMarkdown' : 'trajectExportDocx'),
					handler: async (request, reply) => {
						const traject = await authorized(request)
						const report = await app.trajects.report(traject, (request.query.lang ?? 'nl') as ReportLocale)
						const body = ext === 'md' ? renderTrajectMarkdown(report) : await renderTrajectDocx(report)
						const name = exportFileName(`Traject ${traject.title}`, report.date, ext)
						return sendBinary(reply, ext === 'md' ? 'text/markdown; charset=utf-8' : DOCX_TYPE, body, name)
					},
				})
			}

			api.route({
				...contractRoute('keepBoardImage'),
				bodyLimit: MAX_SNAPSHOT_BYTES,
				// The key is checked before the body is read: nobody without it makes the server take in an image.
				onRequest: async (request) => {
					const { roomId } = request.params as { roomId?: string }
					const room = roomId && roomId.length <= 64 ? await app.store.getRoom(roomId) : null
					if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
					requireFacilitator(request, room)
				},
				handler: async (request, reply) => {
					const body = request.body as unknown
					if (!Buffer.isBuffer(body)) {
						throw httpError(415, 'unsupported_media_type', 'Send the board image as the body, content-type image/png')
					}
					if (!readPngSize(body)) throw httpError(400, 'invalid_image', 'The body is not a PNG image')
					await app.store.saveBoardSnapshot({ roomId: request.params.roomId, png: body, updatedAt: Date.now() })
					reply.code(204)
					return null
				},
			})
		})
	},
	{ name: 'kompasbord-trajects' }
)
