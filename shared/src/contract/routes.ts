/**
 * The route table of the public HTTP API: for every route (named in `./route-lines`) its method, URL and
 * schemas — path parameters, query, body and the answer of each status. The server registers each route from
 * this table (`server/src/http/contract-route.ts`), `GET /api/openapi.json` lists them, and the typed fetch
 * helper (`./api-client`) derives its parameter and answer types from it. Runtime TypeBox objects: import
 * only types from here in the phone page.
 *
 * @packageDocumentation
 */
import { type TSchema, Type } from '@sinclair/typebox'
import { ROUTE_LINES, type RouteName, splitRouteLine } from './route-lines'
import {
	AdminPhaseAnswer,
	AdminRoomList,
	ClientConfig,
	CreateRoomRequest,
	CreatedRoom,
	DeletedNote,
	ErrorBody,
	ExportFile,
	ExportQuery,
	Health,
	HiddenNoteList,
	JoinAnswer,
	JoinCodeParams,
	JoinedRoom,
	JoinInfo,
	Metrics,
	NewFacilitatorLink,
	ModeratedNote,
	NoteBody,
	NoteDeletion,
	NoteList,
	NoteParams,
	NotePatch,
	NoteView,
	PostedNote,
	PresenterChange,
	FocusAnswer,
	FocusChange,
	PresenterState,
	RoomInfo,
	RoomLinksAnswer,
	RoomParams,
	MyScores,
	ScoreBody,
	ScoreRoundAnswer,
	ScoreRoundChange,
	SessionAnswer,
	SessionChange,
	SessionQuery,
	TemplateList,
	VoteAnswer,
	VoteBody,
	VotingList,
} from './schemas'
import {
	CarryAnswer,
	CarryRequest,
	CreatedTraject,
	CreateTrajectRequest,
	OffersQuery,
	PngImage,
	TrajectBoardParams,
	TrajectInfo,
	TrajectOffers,
	TrajectParams,
	TrajectQuery,
} from './traject-schemas'
import { JoinRequest, RoomAccess, RoomAccessChange } from './access-schemas'
import {
	CreatedTheme,
	CreateThemeRequest,
	ThemeParams,
	ThemePermission,
	ThemeSuggestionRequest,
	ThemeSuggestions,
} from './theme-schemas'
import {
	ApproveNotesRequest,
	RejectNotesRequest,
	ScreeningDecision,
	ScreeningQueue,
	ScreeningWords,
	ScreeningWordsChange,
} from './screening-schemas'

/** The schemas of one route, as Fastify and `@fastify/swagger` take them. */
export interface RouteSchema {
	summary: string
	description?: string
	tags: readonly string[]
	params?: TSchema
	querystring?: TSchema
	body?: TSchema
	response: Record<number, TSchema>
}

/** One route of the table. */
export interface ContractRoute<N extends RouteName = RouteName, S extends RouteSchema = RouteSchema> {
	name: N
	method: ReturnType<typeof splitRouteLine<(typeof ROUTE_LINES)[N]>>['method']
	url: ReturnType<typeof splitRouteLine<(typeof ROUTE_LINES)[N]>>['url']
	schema: S & { operationId: N }
}

function route<N extends RouteName, const S extends RouteSchema>(name: N, schema: S): ContractRoute<N, S> {
	return { name, ...splitRouteLine(ROUTE_LINES[name]), schema: { ...schema, operationId: name } }
}

/** The error answers of `statuses`, each `{"error":{"code","message"}}`. */
function errors<const S extends readonly number[]>(...statuses: S): { [K in S[number]]: typeof ErrorBody } {
	return Object.fromEntries(statuses.map((status) => [status, ErrorBody])) as { [K in S[number]]: typeof ErrorBody }
}

const NoContent = Type.Null({ description: 'No body' })

/** Every route of the API with its schemas. */
export const ROUTES = {
	health: route('health', {
		summary: 'Health: the store can write, the commit thread works',
		tags: ['service'],
		response: { 200: Health, 503: Health },
	}),
	clientConfig: route('clientConfig', {
		summary: 'What the browser needs at run time (licence key, public URL)',
		tags: ['service'],
		response: { 200: ClientConfig },
	}),
	openApi: route('openApi', {
		summary: 'This OpenAPI document',
		tags: ['service'],
		response: { 200: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true }) },
	}),
	metrics: route('metrics', {
		summary:
			'Rooms in memory, connections, time to crash-safe and to power-safe (Authorization: Bearer <METRICS_TOKEN>)',
		tags: ['service'],
		response: { 200: Metrics, ...errors(401, 404) },
	}),
	resetMetrics: route('resetMetrics', {
		summary: 'Forget the measured durations (Authorization: Bearer <METRICS_TOKEN>)',
		tags: ['service'],
		response: { 204: NoContent, ...errors(401, 404) },
	}),
	templates: route('templates', {
		summary: 'The board templates with their zones',
		tags: ['rooms'],
		response: { 200: TemplateList },
	}),
	createRoom: route('createRoom', {
		summary: 'Make a room from a template',
		tags: ['rooms'],
		body: CreateRoomRequest,
		response: { 201: CreatedRoom, ...errors(400, 401, 403, 429, 503) },
	}),
	getRoom: route('getRoom', {
		summary:
			'A room: title, template, phase, zones, the board language; the join code with the facilitator key or a participant token',
		tags: ['rooms'],
		params: RoomParams,
		response: { 200: RoomInfo, ...errors(400, 404) },
	}),
	deleteRoom: route('deleteRoom', {
		summary: 'Delete a room and everything of it for good (facilitator); its websockets close with 4404',
		tags: ['rooms'],
		params: RoomParams,
		response: { 204: NoContent, ...errors(400, 401, 403, 404) },
	}),
	joinByCode: route('joinByCode', {
		summary: 'The room of a join code (410 once the code expired)',
		tags: ['rooms'],
		params: JoinCodeParams,
		response: { 200: JoinAnswer, ...errors(400, 404, 410, 429) },
	}),
	joinRoom: route('joinRoom', {
		summary:
			"Join a room: a new participant token (201; with the room's passphrase when it has one), or the same one again for its holder (200)",
		tags: ['rooms'],
		params: JoinCodeParams,
		body: JoinRequest,
		response: { 200: JoinedRoom, 201: JoinedRoom, ...errors(400, 401, 403, 404, 410, 429) },
	}),
	getRoomAccess: route('getRoomAccess', {
		summary: 'Who gets in: whether the room has a passphrase, when its join code expires (facilitator)',
		tags: ['rooms'],
		params: RoomParams,
		response: { 200: RoomAccess, ...errors(400, 401, 403, 404) },
	}),
	setRoomAccess: route('setRoomAccess', {
		summary: "Set or clear the room's passphrase and the join code's expiry (facilitator)",
		tags: ['rooms'],
		params: RoomParams,
		body: RoomAccessChange,
		response: { 200: RoomAccess, ...errors(400, 401, 403, 404) },
	}),
	roomLinks: route('roomLinks', {
		summary: "The room's links, the view link with its token (facilitator)",
		tags: ['rooms'],
		params: RoomParams,
		response: { 200: RoomLinksAnswer, ...errors(400, 401, 403, 404) },
	}),
	joinInfo: route('joinInfo', {
		summary: "What the board's join overlay shows (facilitator key or participant token)",
		tags: ['rooms'],
		params: RoomParams,
		response: { 200: JoinInfo, ...errors(400, 401, 403, 404) },
	}),
	postNote: route('postNote', {
		summary: 'Post a note (201 new, 200 known clientNoteId); held during private writing',
		tags: ['notes'],
		params: RoomParams,
		body: NoteBody,
		response: { 200: PostedNote, 201: PostedNote, ...errors(400, 401, 404, 409, 429) },
	}),
	listNotes: route('listNotes', {
		summary: "A participant's own notes, held ones included",
		tags: ['notes'],
		params: RoomParams,
		response: { 200: NoteList, ...errors(400, 401, 404) },
	}),
	patchNote: route('patchNote', {
		summary: "Change a note (its participant, or the facilitator's key)",
		tags: ['notes'],
		params: NoteParams,
		body: NotePatch,
		response: { 200: NoteView, ...errors(400, 401, 403, 404, 409, 429) },
	}),
	deleteNote: route('deleteNote', {
		summary: "Delete a note (its participant, or the facilitator's key)",
		tags: ['notes'],
		params: NoteParams,
		body: NoteDeletion,
		response: { 200: DeletedNote, ...errors(400, 401, 403, 404, 409, 429) },
	}),
	getSession: route('getSession', {
		summary: 'The session state (long poll with wait and tag); more for the facilitator',
		tags: ['session'],
		params: RoomParams,
		querystring: SessionQuery,
		response: { 200: SessionAnswer, ...errors(400, 403, 404) },
	}),
	patchSession: route('patchSession', {
		summary: 'Change the session (facilitator)',
		tags: ['session'],
		params: RoomParams,
		body: SessionChange,
		response: { 200: SessionAnswer, ...errors(400, 401, 403, 404, 409) },
	}),
	castVote: route('castVote', {
		summary: "Put one of the participant's dots on a note",
		tags: ['votes'],
		params: RoomParams,
		body: VoteBody,
		response: { 201: VoteAnswer, ...errors(400, 401, 404, 409, 429) },
	}),
	retractVote: route('retractVote', {
		summary: "Take one of the participant's dots off a note",
		tags: ['votes'],
		params: RoomParams,
		body: VoteBody,
		response: { 200: VoteAnswer, ...errors(400, 401, 404, 409, 429) },
	}),
	listVotes: route('listVotes', {
		summary: "The board's notes per zone ranked by votes, with the participant's dots",
		tags: ['votes'],
		params: RoomParams,
		response: { 200: VotingList, ...errors(400, 404) },
	}),
	listHidden: route('listHidden', {
		summary: 'The hidden notes (facilitator)',
		tags: ['moderation'],
		params: RoomParams,
		response: { 200: HiddenNoteList, ...errors(400, 401, 403, 404) },
	}),
	hideNote: route('hideNote', {
		summary: 'Take a note off the board and keep it (facilitator)',
		tags: ['moderation'],
		params: NoteParams,
		response: { 200: ModeratedNote, ...errors(400, 401, 403, 404) },
	}),
	showNote: route('showNote', {
		summary: 'Put a hidden note back (facilitator)',
		tags: ['moderation'],
		params: NoteParams,
		response: { 200: ModeratedNote, ...errors(400, 401, 403, 404) },
	}),
	deleteNoteForGood: route('deleteNoteForGood', {
		summary: 'Delete a note for good, on the board or hidden (facilitator)',
		tags: ['moderation'],
		params: NoteParams,
		response: { 200: ModeratedNote, ...errors(400, 401, 403, 404) },
	}),
	setPresenter: route('setPresenter', {
		summary: 'Show the board, the overview of every zone, or one zone on the projector (facilitator)',
		tags: ['session'],
		params: RoomParams,
		body: PresenterChange,
		response: { 200: PresenterState, ...errors(400, 401, 403, 404) },
	}),
	setFocus: route('setFocus', {
		summary: 'Put one note or theme on every screen, step to the next or previous one, or leave focus (facilitator)',
		tags: ['session'],
		params: RoomParams,
		body: FocusChange,
		response: { 200: FocusAnswer, ...errors(400, 401, 403, 404) },
	}),
	setScoreRound: route('setScoreRound', {
		summary: 'Start a score round on the template’s parts (dropping earlier marks) or close it (facilitator)',
		tags: ['scores'],
		params: RoomParams,
		body: ScoreRoundChange,
		response: { 200: ScoreRoundAnswer, ...errors(400, 401, 403, 404, 409) },
	}),
	giveScore: route('giveScore', {
		summary: "Give one part a mark, or change the participant's mark, while the score round is open",
		tags: ['scores'],
		params: RoomParams,
		body: ScoreBody,
		response: { 200: MyScores, ...errors(400, 401, 403, 404, 409, 429) },
	}),
	myScores: route('myScores', {
		summary: "The score round and the participant's own marks",
		tags: ['scores'],
		params: RoomParams,
		response: { 200: MyScores, ...errors(401, 403, 404) },
	}),
	exportJson: route('exportJson', exportSchema('The report as JSON')),
	exportMarkdown: route('exportMarkdown', exportSchema('The report as Markdown')),
	exportCsv: route('exportCsv', exportSchema('The notes as CSV')),
	exportDocx: route('exportDocx', exportSchema('The report as a Word document')),
	exportDocxWithImage: route('exportDocxWithImage', {
		...exportSchema('The Word report with the board image sent as the body (content-type image/png)'),
		response: { 200: ExportFile, ...errors(400, 401, 403, 404, 413, 415) },
	}),
	adminListRooms: route('adminListRooms', {
		summary: 'Every room with activity, participants, size and status (admin token; 404 without ADMIN_TOKEN)',
		tags: ['admin'],
		response: { 200: AdminRoomList, ...errors(401, 404) },
	}),
	adminCloseRoom: route('adminCloseRoom', {
		summary: "Close a room's session (admin token)",
		tags: ['admin'],
		params: RoomParams,
		response: { 200: AdminPhaseAnswer, ...errors(400, 401, 404) },
	}),
	adminReopenRoom: route('adminReopenRoom', {
		summary: "Reopen a room's session (admin token)",
		tags: ['admin'],
		params: RoomParams,
		response: { 200: AdminPhaseAnswer, ...errors(400, 401, 404, 503) },
	}),
	adminDeleteRoom: route('adminDeleteRoom', {
		summary: 'Delete a room and everything in it for good (admin token)',
		tags: ['admin'],
		params: RoomParams,
		response: { 204: NoContent, ...errors(400, 401, 404) },
	}),
	adminNewFacilitatorKey: route('adminNewFacilitatorKey', {
		summary: 'A new facilitator key and link; the old key stops working (admin token)',
		tags: ['admin'],
		params: RoomParams,
		response: { 200: NewFacilitatorLink, ...errors(400, 401, 404) },
	}),
	keepBoardImage: route('keepBoardImage', {
		summary: "Keep the board's image for its traject (facilitator; body: image/png)",
		tags: ['trajects'],
		params: RoomParams,
		response: { 204: NoContent, ...errors(400, 401, 403, 404, 413, 415) },
	}),
	suggestThemes: route('suggestThemes', {
		summary: "Themes proposed for a zone's notes that are in no theme yet (facilitator)",
		tags: ['themes'],
		params: RoomParams,
		body: ThemeSuggestionRequest,
		response: { 200: ThemeSuggestions, ...errors(400, 401, 403, 404) },
	}),
	createTheme: route('createTheme', {
		summary:
			'Group notes of a zone into a named theme that moves, counts and ranks as one (facilitator; participants when allowed)',
		tags: ['themes'],
		params: RoomParams,
		body: CreateThemeRequest,
		response: { 201: CreatedTheme, ...errors(400, 401, 403, 404) },
	}),
	setThemePermission: route('setThemePermission', {
		summary: 'Let participants group notes into themes, or not (facilitator)',
		tags: ['themes'],
		params: RoomParams,
		body: ThemePermission,
		response: { 200: ThemePermission, ...errors(400, 401, 403, 404) },
	}),
	deleteTheme: route('deleteTheme', {
		summary: 'Ungroup a theme: its notes stay where they are, in the zone (facilitator; participants when allowed)',
		tags: ['themes'],
		params: ThemeParams,
		response: { 204: NoContent, ...errors(400, 401, 403, 404) },
	}),
	screeningQueue: route('screeningQueue', {
		summary: 'The notes waiting for review, with the word-list flags, and the word lists (facilitator)',
		tags: ['screening'],
		params: RoomParams,
		response: { 200: ScreeningQueue, ...errors(400, 401, 403, 404) },
	}),
	approveNotes: route('approveNotes', {
		summary: 'Approve waiting notes (or all): each is placed in its zone (facilitator)',
		tags: ['screening'],
		params: RoomParams,
		body: ApproveNotesRequest,
		response: { 200: ScreeningDecision, ...errors(400, 401, 403, 404, 409, 429) },
	}),
	rejectNotes: route('rejectNotes', {
		summary: 'Reject waiting notes: deleted from the server, never shown (facilitator)',
		tags: ['screening'],
		params: RoomParams,
		body: RejectNotesRequest,
		response: { 200: ScreeningDecision, ...errors(400, 401, 403, 404, 409, 429) },
	}),
	setScreeningWords: route('setScreeningWords', {
		summary: "Replace the room's own words that flag notes in the queue (facilitator)",
		tags: ['screening'],
		params: RoomParams,
		body: ScreeningWordsChange,
		response: { 200: ScreeningWords, ...errors(400, 401, 403, 404, 429) },
	}),
	createTraject: route('createTraject', {
		summary: "Start a traject: a municipality's boards in compass order; answers its key once",
		tags: ['trajects'],
		body: CreateTrajectRequest,
		response: { 201: CreatedTraject, ...errors(400, 429) },
	}),
	getTraject: route('getTraject', {
		summary: 'The traject and its boards in compass order (traject key)',
		tags: ['trajects'],
		params: TrajectParams,
		querystring: TrajectQuery,
		response: { 200: TrajectInfo, ...errors(400, 401, 403, 404) },
	}),
	trajectOffers: route('trajectOffers', {
		summary: 'What earlier boards offer a new board of a template, or an existing board (traject key)',
		tags: ['trajects'],
		params: TrajectParams,
		querystring: OffersQuery,
		response: { 200: TrajectOffers, ...errors(400, 401, 403, 404) },
	}),
	carryIntoBoard: route('carryIntoBoard', {
		summary: 'Carry chosen notes of earlier boards into an existing board (traject key)',
		tags: ['trajects'],
		params: TrajectBoardParams,
		body: CarryRequest,
		response: { 200: CarryAnswer, ...errors(400, 401, 403, 404, 409) },
	}),
	trajectBoardImage: route('trajectBoardImage', {
		summary: "A board's kept image (traject key)",
		tags: ['trajects'],
		params: TrajectBoardParams,
		response: { 200: PngImage, ...errors(400, 401, 403, 404) },
	}),
	trajectExportMarkdown: route('trajectExportMarkdown', trajectExportSchema('The traject report as Markdown')),
	trajectExportDocx: route('trajectExportDocx', trajectExportSchema('The traject report as a Word document')),
} as const satisfies { [N in RouteName]: ContractRoute<N> }

function exportSchema(summary: string) {
	return {
		summary: `${summary} (facilitator)`,
		tags: ['export'],
		params: RoomParams,
		querystring: ExportQuery,
		response: { 200: ExportFile, ...errors(400, 401, 403, 404) },
	} as const
}

/** The route table's type. */
export type Routes = typeof ROUTES

function trajectExportSchema(summary: string) {
	return {
		summary: `${summary}: every board in compass order (traject key)`,
		tags: ['trajects'],
		params: TrajectParams,
		querystring: TrajectQuery,
		response: { 200: ExportFile, ...errors(400, 401, 403, 404) },
	} as const
}
