/**
 * Every route of the public HTTP API by name: its method and URL pattern. Plain strings with no dependency,
 * so the typed fetch helper (`./api-client`) and the phone page can use them without TypeBox; `./routes`
 * adds each route's schemas under the same names.
 *
 * @packageDocumentation
 */

/** Route name → `METHOD /url/:param`. */
export const ROUTE_LINES = {
	health: 'GET /api/health',
	clientConfig: 'GET /api/config',
	openApi: 'GET /api/openapi.json',
	metrics: 'GET /api/metrics',
	resetMetrics: 'DELETE /api/metrics',
	templates: 'GET /api/templates',
	createRoom: 'POST /api/rooms',
	getRoom: 'GET /api/rooms/:roomId',
	deleteRoom: 'DELETE /api/rooms/:roomId',
	joinByCode: 'GET /api/join/:joinCode',
	joinRoom: 'POST /api/join/:joinCode',
	roomLinks: 'GET /api/rooms/:roomId/links',
	getRoomAccess: 'GET /api/rooms/:roomId/access',
	setRoomAccess: 'PUT /api/rooms/:roomId/access',
	joinInfo: 'GET /api/rooms/:roomId/join-info',
	postNote: 'POST /api/rooms/:roomId/notes',
	listNotes: 'GET /api/rooms/:roomId/notes',
	patchNote: 'PATCH /api/rooms/:roomId/notes/:noteId',
	deleteNote: 'DELETE /api/rooms/:roomId/notes/:noteId',
	getSession: 'GET /api/rooms/:roomId/session',
	patchSession: 'PATCH /api/rooms/:roomId/session',
	castVote: 'POST /api/rooms/:roomId/votes',
	retractVote: 'DELETE /api/rooms/:roomId/votes',
	listVotes: 'GET /api/rooms/:roomId/votes',
	listHidden: 'GET /api/rooms/:roomId/moderation/hidden',
	hideNote: 'POST /api/rooms/:roomId/moderation/notes/:noteId/hide',
	showNote: 'POST /api/rooms/:roomId/moderation/notes/:noteId/show',
	deleteNoteForGood: 'DELETE /api/rooms/:roomId/moderation/notes/:noteId',
	setPresenter: 'PUT /api/rooms/:roomId/presenter',
	setFocus: 'PUT /api/rooms/:roomId/focus',
	setScoreRound: 'PUT /api/rooms/:roomId/score-round',
	giveScore: 'PUT /api/rooms/:roomId/scores',
	myScores: 'GET /api/rooms/:roomId/scores',
	exportJson: 'GET /api/rooms/:roomId/export.json',
	exportMarkdown: 'GET /api/rooms/:roomId/export.md',
	exportCsv: 'GET /api/rooms/:roomId/export.csv',
	exportDocx: 'GET /api/rooms/:roomId/export.docx',
	exportDocxWithImage: 'POST /api/rooms/:roomId/export.docx',
	adminListRooms: 'GET /api/admin/rooms',
	adminCloseRoom: 'POST /api/admin/rooms/:roomId/close',
	adminReopenRoom: 'POST /api/admin/rooms/:roomId/reopen',
	adminDeleteRoom: 'DELETE /api/admin/rooms/:roomId',
	adminNewFacilitatorKey: 'POST /api/admin/rooms/:roomId/facilitator-key',
	keepBoardImage: 'PUT /api/rooms/:roomId/snapshot',
	suggestThemes: 'POST /api/rooms/:roomId/themes/suggestions',
	createTheme: 'POST /api/rooms/:roomId/themes',
	setThemePermission: 'PUT /api/rooms/:roomId/themes/participants',
	deleteTheme: 'DELETE /api/rooms/:roomId/themes/:themeId',
	screeningQueue: 'GET /api/rooms/:roomId/screening',
	approveNotes: 'POST /api/rooms/:roomId/screening/approve',
	rejectNotes: 'POST /api/rooms/:roomId/screening/reject',
	setScreeningWords: 'PUT /api/rooms/:roomId/screening/words',
	createTraject: 'POST /api/trajects',
	getTraject: 'GET /api/trajects/:trajectId',
	trajectOffers: 'GET /api/trajects/:trajectId/offers',
	carryIntoBoard: 'POST /api/trajects/:trajectId/boards/:roomId/carry',
	trajectBoardImage: 'GET /api/trajects/:trajectId/boards/:roomId/snapshot.png',
	trajectExportMarkdown: 'GET /api/trajects/:trajectId/export.md',
	trajectExportDocx: 'GET /api/trajects/:trajectId/export.docx',
} as const

/** The name of a route. */
export type RouteName = keyof typeof ROUTE_LINES
/** An HTTP method of the API. */
export type RouteMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
/** The method of a route line. */
export type MethodOf<L extends string> = L extends `${infer M extends RouteMethod} ${string}` ? M : never
/** The URL pattern of a route line. */
export type UrlOf<L extends string> = L extends `${RouteMethod} ${infer U}` ? U : never

/** Splits a route line into its method and URL pattern. */
export function splitRouteLine<L extends string>(line: L): { method: MethodOf<L>; url: UrlOf<L> } {
	const space = line.indexOf(' ')
	return { method: line.slice(0, space) as MethodOf<L>, url: line.slice(space + 1) as UrlOf<L> }
}

/** The path of a route with its `:params` filled in (each URL-encoded). */
export function routePath(url: string, params: Record<string, string> = {}): string {
	return url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
		const value = params[name]
		if (value === undefined) throw new Error(`Missing path parameter ${name} for ${url}`)
		return encodeURIComponent(value)
	})
}
