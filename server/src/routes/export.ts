import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { ExportQuery, RoomParams } from '@kompasbord/shared'
import { exportFileName } from '@kompasbord/shared/export-file-name'
import { requireFacilitator } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import {
	buildReport,
	readPngSize,
	renderCsv,
	renderDocx,
	renderJson,
	renderMarkdown,
	type BoardImage,
	type ExportReport,
	type ReportLocale,
} from '../export'
import type { RoomRecord } from '../store/room-store'

/** Largest board image (PNG) the Word report takes, in bytes. The browser renders it at most 4096 px wide. */
export const MAX_BOARD_IMAGE_BYTES = 24 * 1024 * 1024

/** The report formats and how each is served. */
const FORMATS = {
	json: { route: 'exportJson', type: 'application/json; charset=utf-8', render: renderJson },
	md: { route: 'exportMarkdown', type: 'text/markdown; charset=utf-8', render: renderMarkdown },
	csv: { route: 'exportCsv', type: 'text/csv; charset=utf-8', render: renderCsv },
} as const satisfies Record<string, { route: string; type: string; render: (report: ExportReport) => string }>

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'

type Params = RoomParams
type Query = ExportQuery

/** The room record of each export request, set once its facilitator key is checked. */
const authorizedRooms = new WeakMap<FastifyRequest, RoomRecord>()

/**
 * The report of the request's room, built from the live doc (the room is loaded if no board is open).
 * Takes the room record from the store, so a renamed session shows its current title.
 */
async function reportFor(request: FastifyRequest): Promise<ExportReport> {
	const record = authorizedRooms.get(request)
	if (!record) throw httpError(401, 'unauthorized', 'This needs the facilitator key (Authorization: Bearer <key>)')
	const report = await request.server.rooms.use(record.roomId, (room) =>
		buildReport({ room: record, doc: room.doc, locale: (request.query as Query).lang as ReportLocale | undefined })
	)
	if (!report) throw httpError(404, 'room_not_found', 'No room with this id')
	return report
}

function sendFile(reply: FastifyReply, report: ExportReport, ext: string, type: string, body: string | Buffer) {
	const name = exportFileName(report.title, report.date, ext)
	return reply
		.header('content-type', type)
		.header('content-disposition', `attachment; filename="${name}"`)
		.header('cache-control', 'no-store')
		.send(body)
}

/**
 * Report exports, facilitator only (`Authorization: Bearer <facilitatorKey>`), built on the server from the
 * room's doc so they work with no board open:
 * - `GET /api/rooms/:roomId/export.json|.md|.csv|.docx` (`?lang=nl|en`, default the board's language);
 * - `POST /api/rooms/:roomId/export.docx` with a PNG of the board as body (`content-type: image/png`, at most
 *   {@link MAX_BOARD_IMAGE_BYTES}): the same Word report with the board image in it. The server has no browser,
 *   so the board's export menu renders the image with tldraw and sends it along.
 *
 * The key is checked before the body is read, so nobody without it can make the server take in an image.
 */
export const exportRoutes = routePlugin('kompasbord-export-routes', { decorators: ['store', 'rooms'] }, async (app) => {
	app.addContentTypeParser(
		'image/png',
		{ parseAs: 'buffer', bodyLimit: MAX_BOARD_IMAGE_BYTES },
		(_request, body, done) => done(null, body)
	)

	const authorize = async (request: FastifyRequest<{ Params: Params }>) => {
		const roomId = (request.params as Partial<Params>).roomId ?? ''
		const record = roomId.length <= 64 ? await app.store.getRoom(roomId) : null
		if (!record) throw httpError(404, 'room_not_found', 'No room with this id')
		requireFacilitator(request, record)
		authorizedRooms.set(request, record)
	}
	const api = typed(app)
	for (const [ext, format] of Object.entries(FORMATS)) {
		api.route({
			...contractRoute(format.route),
			onRequest: authorize,
			handler: async (request, reply) => {
				const report = await reportFor(request)
				return sendFile(reply, report, ext, format.type, format.render(report))
			},
		})
	}

	api.route({
		...contractRoute('exportDocx'),
		onRequest: authorize,
		handler: async (request, reply) => {
			const report = await reportFor(request)
			return sendFile(reply, report, 'docx', DOCX_TYPE, await renderDocx(report))
		},
	})

	api.route({
		...contractRoute('exportDocxWithImage'),
		onRequest: authorize,
		bodyLimit: MAX_BOARD_IMAGE_BYTES,
		handler: async (request, reply) => {
			const body = request.body
			if (!Buffer.isBuffer(body)) {
				throw httpError(415, 'unsupported_media_type', 'Send the board image as the body, content-type image/png')
			}
			if (!readPngSize(body)) throw httpError(400, 'invalid_image', 'The body is not a PNG image')
			const image: BoardImage = { png: body }
			const report = await reportFor(request)
			return sendFile(reply, report, 'docx', DOCX_TYPE, await renderDocx(report, image))
		},
	})
})
