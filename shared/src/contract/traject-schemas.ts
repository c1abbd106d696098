/**
 * TypeBox schemas of the traject routes (`POST /api/trajects` and the routes under `/api/trajects/:trajectId`):
 * a municipality's boards in compass order, what earlier boards offer a later one, carrying it over. Like
 * `./schemas`: runtime TypeBox objects, so the phone page imports nothing from here.
 *
 * @packageDocumentation
 */
import { type Static, Type } from '@sinclair/typebox'
import { CLIENT_ID_PATTERN, MAX_ROOM_ID, MAX_TITLE } from './limits'
import { Locale, SessionPhase } from './schemas'

const Id = Type.String({ minLength: 1, maxLength: MAX_ROOM_ID, pattern: CLIENT_ID_PATTERN })
/** An item an earlier board offers: `<source room id>/<note id>`. */
const CarryItemId = Type.String({ minLength: 1, maxLength: 200 })

/** `:trajectId` */
export const TrajectParams = Type.Object({ trajectId: Id })
export type TrajectParams = Static<typeof TrajectParams>
/** `:trajectId` and `:roomId` (a board of the traject) */
export const TrajectBoardParams = Type.Object({ trajectId: Id, roomId: Id })
export type TrajectBoardParams = Static<typeof TrajectBoardParams>
/** `?lang=` of the traject page and report */
export const TrajectQuery = Type.Object({ lang: Type.Optional(Locale) }, { additionalProperties: false })
export type TrajectQuery = Static<typeof TrajectQuery>

/** `POST /api/trajects` body. */
export const CreateTrajectRequest = Type.Object(
	{ title: Type.String({ minLength: 1, maxLength: MAX_TITLE }) },
	{ additionalProperties: false }
)
export type CreateTrajectRequest = Static<typeof CreateTrajectRequest>

/** `POST /api/trajects` answer (201): the key is shown this once (the server keeps only its hash). */
export const CreatedTraject = Type.Object({
	trajectId: Type.String(),
	trajectKey: Type.String(),
	links: Type.Object({ traject: Type.String({ description: 'The traject page, with the key in its hash' }) }),
})
export type CreatedTraject = Static<typeof CreatedTraject>

/** A board of a traject as its page lists it. */
export const TrajectBoard = Type.Object({
	roomId: Type.String(),
	title: Type.String(),
	templateId: Type.String(),
	templateTitle: Type.String(),
	bouwsteen: Type.Union([Type.String(), Type.Null()]),
	phase: SessionPhase,
	createdAt: Type.Number(),
	notes: Type.Integer(),
	votes: Type.Integer(),
	/** Notes carried into this board from earlier ones. */
	carried: Type.Integer(),
	/** Whether the facilitator's board kept an image (`…/boards/:roomId/snapshot.png`). */
	hasSnapshot: Type.Boolean(),
})
export type TrajectBoard = Static<typeof TrajectBoard>

/** `GET /api/trajects/:trajectId` answer: the traject and its boards in compass order. */
export const TrajectInfo = Type.Object({
	trajectId: Type.String(),
	title: Type.String(),
	createdAt: Type.Number(),
	boards: Type.Array(TrajectBoard),
})
export type TrajectInfo = Static<typeof TrajectInfo>

/** `GET /api/trajects/:trajectId/offers` query: a new board of `templateId`, or the existing board `roomId`. */
export const OffersQuery = Type.Object(
	{
		templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
		roomId: Type.Optional(Id),
		lang: Type.Optional(Locale),
	},
	{ additionalProperties: false }
)
export type OffersQuery = Static<typeof OffersQuery>

/** One note an earlier board offers. */
export const CarryItem = Type.Object({
	id: CarryItemId,
	sourceRoomId: Type.String(),
	sourceTitle: Type.String(),
	sourceZoneId: Type.String(),
	sourceNoteId: Type.String(),
	text: Type.String(),
	votes: Type.Integer(),
})
export type CarryItem = Static<typeof CarryItem>

/** What one carry-forward rule of the later template offers. */
export const CarryOffer = Type.Object({
	/** The zone the notes go into, or the matrix column pattern (`resultaat-{n}`) when `columns`. */
	into: Type.String(),
	/** One note per result column. */
	columns: Type.Boolean(),
	/** What is carried, in the asked language. */
	label: Type.String(),
	fromTemplate: Type.String(),
	items: Type.Array(CarryItem),
})
export type CarryOffer = Static<typeof CarryOffer>

/** `GET /api/trajects/:trajectId/offers` answer. */
export const TrajectOffers = Type.Object({ templateId: Type.String(), offers: Type.Array(CarryOffer) })
export type TrajectOffers = Static<typeof TrajectOffers>

/** `POST /api/trajects/:trajectId/boards/:roomId/carry` body: the chosen item ids. */
export const CarryRequest = Type.Object(
	{ items: Type.Array(CarryItemId, { maxItems: 500 }) },
	{ additionalProperties: false }
)
export type CarryRequest = Static<typeof CarryRequest>

/** `POST /api/trajects/:trajectId/boards/:roomId/carry` answer: how many notes were carried. */
export const CarryAnswer = Type.Object({ carried: Type.Integer() })
export type CarryAnswer = Static<typeof CarryAnswer>

/** A PNG answer or body. */
export const PngImage = Type.Unsafe<string>({ type: 'string', format: 'binary', description: 'A PNG image' })
