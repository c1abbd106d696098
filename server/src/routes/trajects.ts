import { type Static, Type } from '@sinclair/typebox'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { exportFileName } from '@kompasbord/shared/export-file-name'
import { getTemplate } from '@kompasbord/templates'
import { readPngSize, renderTrajectDocx, renderTrajectMarkdown, type ReportLocale } from '../export'
import { bearerToken, requireFacilitator } from '../http/auth'
import { httpError } from '../http/errors'
import { TokenBucketLimiter } from '../http/rate-limit'
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

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
const Lang = Type.Optional(Type.Union([Type.Literal('nl'), Type.Literal('en')]))
const TrajectParams = Type.Object({ trajectId: Id })
const BoardParams = Type.Object({ trajectId: Id, roomId: Id })
const CreateTrajectBody = Type.Object(
	{ title: Type.String({ minLength: 1, maxLength: 120 }) },
	{ additionalProperties: false }
)
const OffersQuery = Type.Object(
	{ templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), roomId: Type.Optional(Id), lang: Lang },
	{ additionalProperties: false }
)
const CarryBody = Type.Object(
	{ items: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 }) },
	{ additionalProperties: false }
)
const LangQuery = Type.Object({ lang: Lang }, { additionalProperties: false })

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
		const creations = new TokenBucketLimiter({ capacity: TRAJECT_BURST, refillPerSecond: TRAJECTS_PER_MINUTE / 60 })

		app.register(async (scope) => {
			scope.addContentTypeParser(
				'image/png',
				{ parseAs: 'buffer', bodyLimit: MAX_SNAPSHOT_BYTES },
				(_request, body, done) => done(null, body)
			)

			scope.post<{ Body: Static<typeof CreateTrajectBody> }>(
				'/api/trajects',
				{ schema: { body: CreateTrajectBody } },
				async (request, reply) => {
					const decision = creations.take(request.ip)
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
				}
			)

			const authorized = (request: FastifyRequest<{ Params: { trajectId: string } }>) =>
				app.trajects.authorize(request.params.trajectId, bearerToken(request))

			scope.get<{ Params: Static<typeof TrajectParams>; Querystring: Static<typeof LangQuery> }>(
				'/api/trajects/:trajectId',
				{ schema: { params: TrajectParams, querystring: LangQuery } },
				async (request) => {
					const traject = await authorized(request)
					const lang = request.query.lang ?? 'nl'
					const boards = await app.trajects.boards(traject, lang)
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
				}
			)

			scope.get<{ Params: Static<typeof TrajectParams>; Querystring: Static<typeof OffersQuery> }>(
				'/api/trajects/:trajectId/offers',
				{ schema: { params: TrajectParams, querystring: OffersQuery } },
				async (request) => {
					const traject = await authorized(request)
					const { templateId, roomId } = request.query
					if ((templateId === undefined) === (roomId === undefined)) {
						throw httpError(
							400,
							'invalid_query',
							'Ask with either templateId (a new board) or roomId (an existing board)'
						)
					}
					let target = null
					if (roomId !== undefined) {
						target = await app.store.getRoom(roomId)
						if (!target || (await app.store.trajectOfRoom(roomId)) !== traject.trajectId) {
							throw httpError(404, 'room_not_found', 'This board is not part of the traject')
						}
					}
					const template = getTemplate(target?.templateId ?? templateId ?? '')
					if (!template) throw httpError(400, 'unknown_template', `Unknown template "${templateId}"`)
					const offers = await app.trajects.offers(traject, template, target ?? undefined)
					const lang = request.query.lang ?? 'nl'
					return {
						templateId: template.id,
						offers: offers.map((offer) => ({ ...offer, label: offer.label[lang] })),
					}
				}
			)

			scope.post<{ Params: Static<typeof BoardParams>; Body: Static<typeof CarryBody> }>(
				'/api/trajects/:trajectId/boards/:roomId/carry',
				{ schema: { params: BoardParams, body: CarryBody } },
				async (request) => {
					const traject = await authorized(request)
					const room = await app.store.getRoom(request.params.roomId)
					if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
					if (room.closedAt !== null) throw httpError(409, 'session_closed', 'The session of this board is closed')
					const carried = await app.trajects.carryInto(traject, room, request.body.items)
					return { carried: carried.length }
				}
			)

			scope.get<{ Params: Static<typeof BoardParams> }>(
				'/api/trajects/:trajectId/boards/:roomId/snapshot.png',
				{ schema: { params: BoardParams } },
				async (request, reply) => {
					const traject = await authorized(request)
					if ((await app.store.trajectOfRoom(request.params.roomId)) !== traject.trajectId) {
						throw httpError(404, 'room_not_found', 'This board is not part of the traject')
					}
					const snapshot = await app.store.getBoardSnapshot(request.params.roomId)
					if (!snapshot) throw httpError(404, 'no_snapshot', 'No image of this board has been kept yet')
					return reply
						.header('content-type', 'image/png')
						.header('cache-control', 'no-store')
						.send(Buffer.from(snapshot.png))
				}
			)

			const sendReport = async (
				request: FastifyRequest<{ Params: Static<typeof TrajectParams>; Querystring: Static<typeof LangQuery> }>,
				reply: FastifyReply,
				ext: 'md' | 'docx'
			) => {
				const traject = await authorized(request)
				const report = await app.trajects.report(traject, (request.query.lang ?? 'nl') as ReportLocale)
				const body = ext === 'md' ? renderTrajectMarkdown(report) : await renderTrajectDocx(report)
				const type =
					ext === 'md'
						? 'text/markdown; charset=utf-8'
						: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
				return reply
					.header('content-type', type)
					.header(
						'content-disposition',
						`attachment; filename="${exportFileName(`Traject ${traject.title}`, report.date, ext)}"`
					)
					.header('cache-control', 'no-store')
					.send(body)
			}
			for (const ext of ['md', 'docx'] as const) {
				scope.get<{ Params: Static<typeof TrajectParams>; Querystring: Static<typeof LangQuery> }>(
					`/api/trajects/:trajectId/export.${ext}`,
					{ schema: { params: TrajectParams, querystring: LangQuery } },
					(request, reply) => sendReport(request, reply, ext)
				)
			}

			scope.put<{ Params: { roomId: string }; Body: Buffer }>(
				'/api/rooms/:roomId/snapshot',
				{
					schema: { params: Type.Object({ roomId: Id }) },
					bodyLimit: MAX_SNAPSHOT_BYTES,
					// The key is checked before the body is read: nobody without it makes the server take in an image.
					onRequest: async (request) => {
						const { roomId } = request.params as { roomId?: string }
						const room = roomId && roomId.length <= 64 ? await app.store.getRoom(roomId) : null
						if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
						requireFacilitator(request, room)
					},
				},
				async (request, reply) => {
					const body = request.body
					if (!Buffer.isBuffer(body)) {
						throw httpError(415, 'unsupported_media_type', 'Send the board image as the body, content-type image/png')
					}
					if (!readPngSize(body)) throw httpError(400, 'invalid_image', 'The body is not a PNG image')
					await app.store.saveBoardSnapshot({ roomId: request.params.roomId, png: body, updatedAt: Date.now() })
					reply.code(204)
				}
			)
		})
	},
	{ name: 'kompasbord-trajects' }
)
