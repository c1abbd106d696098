/**
 * TypeBox schemas of the public HTTP contract: every route's path parameters, query, body and answers. The
 * server validates requests with them and serializes answers through them, `GET /api/openapi.json` is
 * generated from them, and the types below are derived from them (`Static<>`), so the board, the phone page
 * and the tests read the same shapes the server writes.
 *
 * Runtime TypeBox objects: the phone page must import only types from here (`import type`), never values.
 *
 * @packageDocumentation
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { ERROR_CODES } from './error-codes'
import {
	CLIENT_ID_PATTERN,
	MAX_AUTHOR_NAME,
	MAX_CLIENT_ID,
	MAX_COLOR,
	MAX_JOIN_CODE_INPUT,
	MAX_MATRIX_COLUMNS,
	MAX_NOTE_ID,
	MAX_NOTE_TEXT,
	MAX_ROOM_ID,
	MAX_SESSION_WAIT_SECONDS,
	MAX_TEMPLATE_ID,
	MAX_TIMER_SECONDS,
	MAX_TITLE,
	MAX_VOTES_PER_PARTICIPANT,
	MAX_ZONE_ID,
	MIN_CLIENT_ID,
	MIN_MATRIX_COLUMNS,
	SESSION_PHASES,
} from './limits'

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])
/** A string that is one of `values` (a JSON-schema enum). */
const oneOf = <const T extends readonly string[]>(values: T) =>
	Type.Unsafe<T[number]>({ type: 'string', enum: [...values] })

// Building blocks

/** A room id in a path. */
export const RoomId = Type.String({ minLength: 1, maxLength: MAX_ROOM_ID })
/** A note id in a path or body. */
export const NoteId = Type.String({ minLength: 1, maxLength: MAX_NOTE_ID })
/** A zone id. */
export const ZoneId = Type.String({ minLength: 1, maxLength: MAX_ZONE_ID })
/** Participant ids and client note ids: random ids the phone or board makes, url-safe. */
export const ClientId = Type.String({ minLength: MIN_CLIENT_ID, maxLength: MAX_CLIENT_ID, pattern: CLIENT_ID_PATTERN })
/** A language of the board and the reports. */
export const Locale = Type.Union([Type.Literal('nl'), Type.Literal('en')])
/** A text in both languages. */
export const LocalizedText = Type.Object({ nl: Type.String(), en: Type.String() })
/** A session phase. */
export const SessionPhase = oneOf(SESSION_PHASES)
export type SessionPhase = Static<typeof SessionPhase>
/** An error code of the contract (see `./error-codes`). */
export const ErrorCode = oneOf(ERROR_CODES)
export type ErrorCode = Static<typeof ErrorCode>

/** The body of every error answer. */
export const ErrorBody = Type.Object(
	{ error: Type.Object({ code: ErrorCode, message: Type.String() }) },
	{ description: 'Every 4xx and 5xx answer: {"error":{"code","message"}}' }
)
export type ErrorBody = Static<typeof ErrorBody>

// Path parameters and queries

/** `:roomId` */
export const RoomParams = Type.Object({ roomId: RoomId })
export type RoomParams = Static<typeof RoomParams>
/** `:roomId` and `:noteId` */
export const NoteParams = Type.Object({ roomId: RoomId, noteId: NoteId })
export type NoteParams = Static<typeof NoteParams>
/** `:joinCode` as typed (spaces, dashes and case are normalised by the server). */
export const JoinCodeParams = Type.Object({ joinCode: Type.String({ minLength: 1, maxLength: MAX_JOIN_CODE_INPUT }) })
export type JoinCodeParams = Static<typeof JoinCodeParams>
/** `?lang=` of the exports. */
export const ExportQuery = Type.Object({ lang: Type.Optional(Locale) }, { additionalProperties: false })
export type ExportQuery = Static<typeof ExportQuery>

// Service routes

/** One check of `GET /api/health`. */
export const HealthCheck = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) })
/** `GET /api/health` answer: 200 `ok` when every check passes, else 503 `failing`. */
export const Health = Type.Object({
	status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
	checks: Type.Record(Type.String(), HealthCheck),
})
export type Health = Static<typeof Health>

/** `GET /api/config` answer: what the browser needs at run time. */
export const ClientConfig = Type.Object({
	tldrawLicenseKey: Nullable(Type.String()),
	publicUrl: Nullable(Type.String()),
	/** How long a closed or unused board is kept (`RETENTION`, ms); null: kept for ever. */
	retentionMs: Nullable(Type.Number()),
})
export type ClientConfig = Static<typeof ClientConfig>

/** Percentiles of a duration, in milliseconds. */
export const DurationSummary = Type.Object({
	count: Type.Integer(),
	p50: Nullable(Type.Number()),
	p99: Nullable(Type.Number()),
	max: Nullable(Type.Number()),
})
/**
 * `GET /api/metrics` answer. `durableMs`: an update's time from arrival to committed (crash-safe: it survives a
 * kill -9; the server broadcasts it then); `powerSafeMs`: to power-safe (fsync'd), the same as `durableMs` with
 * `durability: 'power'` and on PostgreSQL; `powerSafeLagMs`: how long the oldest commit not yet power-safe has
 * waited (0: none waits).
 */
export const Metrics = Type.Object(
	{
		loadedRooms: Type.Integer(),
		connections: Type.Integer(),
		durability: Type.Union([Type.Literal('crash'), Type.Literal('power')]),
		durableMs: DurationSummary,
		powerSafeMs: DurationSummary,
		powerSafeLagMs: Type.Number(),
	},
	{ additionalProperties: true }
)
export type Metrics = Static<typeof Metrics>

// Templates

/** The range of result columns a matrix template offers. */
export const ColumnRange = Type.Object({ min: Type.Integer(), max: Type.Integer(), default: Type.Integer() })
export type ColumnRange = Static<typeof ColumnRange>
/** A zone: its id and label. */
export const RoomZone = Type.Object({ id: Type.String(), label: LocalizedText })
export type RoomZone = Static<typeof RoomZone>
/** One entry of `GET /api/templates`. Zones are those of a room created with the default column count. */
export const TemplateSummary = Type.Object({
	id: Type.String(),
	title: LocalizedText,
	bouwsteen: Nullable(Type.String()),
	zones: Type.Array(RoomZone),
	columns: Type.Optional(ColumnRange),
	/** An SVG thumbnail of the board for the template picker. */
	preview: Type.Optional(Type.String()),
})
export type TemplateSummary = Static<typeof TemplateSummary>
/** `GET /api/templates` answer. */
export const TemplateList = Type.Array(TemplateSummary)
export type TemplateList = Static<typeof TemplateList>

// Rooms and joining

/** `POST /api/rooms` body. */
export const CreateRoomRequest = Type.Object(
	{
		templateId: Type.String({ minLength: 1, maxLength: MAX_TEMPLATE_ID }),
		title: Type.Optional(Type.String({ maxLength: MAX_TITLE })),
		/** Result columns of the activity matrix. */
		columns: Type.Optional(Type.Integer({ minimum: MIN_MATRIX_COLUMNS, maximum: MAX_MATRIX_COLUMNS })),
		/** Whether notes are kept without their author's name (default true). */
		anonymous: Type.Optional(Type.Boolean()),
		/** Language the template's texts are written in on the board. */
		locale: Type.Optional(Locale),
		/** Creates the board in this traject (with its key, `trajectKey`) — see `POST /api/trajects`. */
		trajectId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
		trajectKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
		/** Items the traject's earlier boards offer (`GET /api/trajects/:id/offers`) to carry into the new board. */
		carry: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500 })),
	},
	{ additionalProperties: false }
)
export type CreateRoomRequest = Static<typeof CreateRoomRequest>

/** The links of a new room. Capabilities travel in the hash, which browsers never send to a server. */
export const RoomLinks = Type.Object({
	/** The participant board (`/b/<roomId>#code=<joinCode>`: a laptop joins with the code in the hash). */
	board: Type.String(),
	/** The facilitator's board: the board link with the facilitator key in its hash. */
	facilitator: Type.String(),
	/** The phone page of the room (`/j/<joinCode>`, the QR code's link). */
	join: Type.String(),
	/** The read-only board, with the view token in its hash (`/b/<roomId>#view=<viewToken>`). */
	view: Type.String(),
})
export type RoomLinks = Static<typeof RoomLinks>

/** `POST /api/rooms` answer (201). */
export const CreatedRoom = Type.Object({
	roomId: Type.String(),
	joinCode: Type.String(),
	facilitatorKey: Type.String(),
	/** The room's view token (also in `links.view`): it lets its holder watch the board, nothing more. */
	viewToken: Type.String(),
	links: RoomLinks,
})
export type CreatedRoom = Static<typeof CreatedRoom>

/** `GET /api/rooms/:roomId` answer. */
export const RoomInfo = Type.Object({
	roomId: Type.String(),
	title: Type.String(),
	templateId: Type.String(),
	/** `closed` once the room is closed, else the session phase in the room's doc. */
	phase: SessionPhase,
	/** Only for the facilitator and the room's participants (a view link's holder does not learn it). */
	joinCode: Type.Optional(Type.String()),
	/** Whether notes are kept without their author's name. */
	anonymous: Type.Boolean(),
	/** The board's zones in worksheet order. */
	zones: Type.Array(RoomZone),
	/** The language the board was made in (its structure is written in it); the phone page starts in it. */
	locale: Type.Optional(Locale),
	/** The score round the board's template offers (its parts and scale); absent when it offers none. */
	scoreRound: Type.Optional(
		Type.Object({ parts: Type.Array(Type.String()), min: Type.Integer(), max: Type.Integer() })
	),
})
export type RoomInfo = Static<typeof RoomInfo>

/** `GET /api/join/:joinCode` answer. */
export const JoinAnswer = Type.Object({ roomId: Type.String() })
export type JoinAnswer = Static<typeof JoinAnswer>

/**
 * `POST /api/join/:joinCode` answer (201 a new participant; 200 when the request carried a valid token of the
 * room, which is answered again): the participant's server-issued identity. Send `participantToken` as
 * `Authorization: Bearer <participantToken>` to the notes, votes and session routes, and as the websocket's
 * `kompasbord-participant.<token>` subprotocol.
 */
export const JoinedRoom = Type.Object({
	roomId: Type.String(),
	participantId: Type.String(),
	participantToken: Type.String(),
})
export type JoinedRoom = Static<typeof JoinedRoom>

/** `GET /api/rooms/:roomId/links` answer (facilitator only): the room's links, the view link with its token. */
export const RoomLinksAnswer = Type.Object({
	links: Type.Object({ board: Type.String(), join: Type.String(), view: Type.String() }),
	viewToken: Type.String(),
})
export type RoomLinksAnswer = Static<typeof RoomLinksAnswer>

/** `GET /api/rooms/:roomId/join-info` answer: what the board's join overlay shows. */
export const JoinInfo = Type.Object({
	/** The room's phone link, on an address phones can reach. */
	joinUrl: Type.String(),
	joinCode: Type.String(),
	/** `<base>/j`: where to type the code by hand. */
	joinBaseUrl: Type.String(),
	/** Whether the room is closed (its code no longer works). */
	closed: Type.Boolean(),
	/** Whether joining needs the room's passphrase (the overlay says "met wachtwoord"). */
	passphrase: Type.Boolean(),
	/** When the join code stops working (epoch ms); null: while the session is open. */
	joinCodeExpiresAt: Type.Union([Type.Integer(), Type.Null()]),
	/** The read-only view link with its token; only in the facilitator's answer. */
	viewUrl: Type.Optional(Type.String()),
})
export type JoinInfo = Static<typeof JoinInfo>

// Notes

/**
 * Where a participant's note is: on the board, held back by the server during private writing, or waiting in the
 * facilitator's queue ("Notities eerst bekijken"). A note the facilitator rejected is deleted: it is no longer listed.
 */
export const PublicNoteStatus = Type.Union([
	Type.Literal('placed'),
	Type.Literal('held'),
	Type.Literal('awaiting_review'),
])
export type PublicNoteStatus = Static<typeof PublicNoteStatus>

/** Raw text as sent; the real limit (MAX_NOTE_TEXT characters after trimming) has its own error code. */
const RawText = Type.String({ maxLength: MAX_NOTE_TEXT * 8 })
const Color = Type.String({ minLength: 1, maxLength: MAX_COLOR })

/** `POST /api/rooms/:roomId/notes` body. */
export const NoteBody = Type.Object(
	{
		zoneId: ZoneId,
		text: RawText,
		/** The phone's own id of the note: sending it again adds nothing and answers the same `noteId`. */
		clientNoteId: ClientId,
		color: Type.Optional(Color),
		authorName: Type.Optional(Type.String({ maxLength: MAX_AUTHOR_NAME * 4 })),
	},
	{ additionalProperties: false }
)
export type NoteBody = Static<typeof NoteBody>

/** `POST /api/rooms/:roomId/notes` answer (201 new, 200 a known `clientNoteId`). */
export const PostedNote = Type.Object({ noteId: Type.String(), status: PublicNoteStatus })
export type PostedNote = Static<typeof PostedNote>

/** `PATCH /api/rooms/:roomId/notes/:noteId` body; absent fields stay as they are. */
export const NotePatch = Type.Object(
	{
		text: Type.Optional(RawText),
		color: Type.Optional(Color),
		zoneId: Type.Optional(ZoneId),
	},
	{ additionalProperties: false }
)
export type NotePatch = Static<typeof NotePatch>

/** `DELETE /api/rooms/:roomId/notes/:noteId` body: none (who asks comes from the bearer token). */
export const NoteDeletion = Type.Union([Type.Object({}, { additionalProperties: false }), Type.Null()])
export type NoteDeletion = Static<typeof NoteDeletion>

/** `DELETE /api/rooms/:roomId/notes/:noteId` answer. */
export const DeletedNote = Type.Object({ noteId: Type.String(), status: Type.Literal('deleted') })
export type DeletedNote = Static<typeof DeletedNote>

/**
 * A note as its participant sees it (`GET /api/rooms/:roomId/notes` with the participant's token, and the `PATCH` answer):
 * its current content on the board, or the held note's.
 */
export const NoteView = Type.Object({
	noteId: Type.String(),
	clientNoteId: Type.String(),
	zoneId: Type.String(),
	text: Type.String(),
	color: Type.String(),
	status: PublicNoteStatus,
	createdAt: Type.Number(),
	updatedAt: Type.Number(),
})
export type NoteView = Static<typeof NoteView>

/** `GET /api/rooms/:roomId/notes` answer: the token's participant's notes, oldest first. */
export const NoteList = Type.Object({ notes: Type.Array(NoteView) })
export type NoteList = Static<typeof NoteList>

// Focus

/**
 * `PUT /api/rooms/:roomId/focus` body (facilitator only): `show` puts note or theme `targetId` on every screen,
 * `next` / `previous` step through its zone (by dots after a voting round, else in reading order), `off` leaves.
 */
export const FocusChange = Type.Object(
	{
		mode: Type.Union([Type.Literal('show'), Type.Literal('next'), Type.Literal('previous'), Type.Literal('off')]),
		targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 90, pattern: '^shape:[A-Za-z0-9_-]+$' })),
	},
	{ additionalProperties: false }
)
export type FocusChange = Static<typeof FocusChange>

/** The note or theme in focus: its text (a theme's label), its dots (a theme's: its notes' together). */
export const FocusView = Type.Object({
	targetId: Type.String(),
	kind: Type.Union([Type.Literal('note'), Type.Literal('theme')]),
	/** The zone it is in; null for a note in no zone. */
	zoneId: Nullable(Type.String()),
	text: Type.String(),
	dots: Type.Integer(),
	/** A theme's notes, most dots first (empty for a note). */
	notes: Type.Array(Type.Object({ noteId: Type.String(), text: Type.String(), dots: Type.Integer() })),
})
export type FocusView = Static<typeof FocusView>

/** `PUT /api/rooms/:roomId/focus` answer: what is in focus now (null after `off`). */
export const FocusAnswer = Type.Object({ focus: Nullable(FocusView) })
export type FocusAnswer = Static<typeof FocusAnswer>

// Score rounds

/**
 * A score round as the doc's session map holds it (written by the server only): its status, its scale and, per
 * part (a zone), how many participants gave each mark — `counts[i]` is the number of marks `min + i`. Who gave
 * what stays on the server.
 */
export const ScoreRoundView = Type.Object({
	status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
	min: Type.Integer(),
	max: Type.Integer(),
	parts: Type.Array(Type.Object({ zoneId: Type.String(), counts: Type.Array(Type.Integer()) })),
	startedAt: Type.Number(),
	closedAt: Nullable(Type.Number()),
})
export type ScoreRoundView = Static<typeof ScoreRoundView>

/** `PUT /api/rooms/:roomId/score-round` body (facilitator only): `start` a new round (earlier marks are dropped), `close` it. */
export const ScoreRoundChange = Type.Object(
	{ action: Type.Union([Type.Literal('start'), Type.Literal('close')]) },
	{ additionalProperties: false }
)
export type ScoreRoundChange = Static<typeof ScoreRoundChange>

/** `PUT /api/rooms/:roomId/score-round` answer: the round as it is now. */
export const ScoreRoundAnswer = Type.Object({ scoreRound: Nullable(ScoreRoundView) })
export type ScoreRoundAnswer = Static<typeof ScoreRoundAnswer>

/** `PUT /api/rooms/:roomId/scores` body (a participant): their mark for one part, replacing an earlier one. */
export const ScoreBody = Type.Object(
	{ zoneId: ZoneId, score: Type.Integer({ minimum: 0, maximum: 100 }) },
	{ additionalProperties: false }
)
export type ScoreBody = Static<typeof ScoreBody>

/** `GET` / `PUT /api/rooms/:roomId/scores` answer: the round and the asking participant's own marks by part. */
export const MyScores = Type.Object({
	scoreRound: Nullable(ScoreRoundView),
	mine: Type.Record(Type.String(), Type.Integer()),
})
export type MyScores = Static<typeof MyScores>

// Session

/** A countdown timer driven by the server's clock. */
export const TimerState = Type.Object({
	/** Length the facilitator set, in seconds (0: no timer). */
	durationSeconds: Type.Number(),
	/** Server epoch ms at which the timer reaches zero while running; null when paused or stopped. */
	endsAt: Nullable(Type.Number()),
	/** Seconds left while paused; equals durationSeconds when stopped. */
	remainingSeconds: Type.Number(),
	running: Type.Boolean(),
})
export type TimerState = Static<typeof TimerState>

/** The session state, as the room's doc holds it (see `./session-codec`). Times are server epoch ms. */
export const SessionState = Type.Object({
	phase: SessionPhase,
	/** Dots each participant may spend in a voting round. */
	votesPerParticipant: Type.Integer(),
	/** Whether the template's structure is locked for participants (default true). */
	structureLocked: Type.Boolean(),
	/** "Notities eerst bekijken": participants' new notes wait for the facilitator's approval (default false). */
	screening: Type.Boolean(),
	timer: TimerState,
})
export type SessionState = Static<typeof SessionState>

/** Who is connected to a room now (in the facilitator's session answer). */
export const ConnectedCounts = Type.Object({
	/** Distinct participants: participant boards plus phones (a participant on both counts once). */
	participants: Type.Integer(),
	/** Participant boards (websocket connections with participant rights). */
	boards: Type.Integer(),
	/** Phones that polled the session state recently. */
	phones: Type.Integer(),
	viewers: Type.Integer(),
	facilitators: Type.Integer(),
})
export type ConnectedCounts = Static<typeof ConnectedCounts>

/** `GET` / `PATCH /api/rooms/:roomId/session` answer: the session state and the server's clock. */
export const SessionAnswer = Type.Composite([
	SessionState,
	Type.Object({
		roomId: Type.String(),
		/** The server's clock (epoch ms) when it answered: clients correct their clock by it. */
		serverNow: Type.Number(),
		/** Changes whenever the state does; send it back as `tag` to long-poll. */
		tag: Type.String(),
		/** Facilitator only: who is connected. */
		connected: Type.Optional(ConnectedCounts),
		/** Facilitator only: notes waiting for the reveal. */
		heldNotes: Type.Optional(Type.Integer()),
		/** Notes waiting in the facilitator's queue (screening); phones refresh their notes when it changes. */
		awaitingReview: Type.Optional(Type.Integer()),
		/** Facilitator only: notes hidden by moderation. */
		hiddenNotes: Type.Optional(Type.Integer()),
		/** Facilitator only: the join code (a reopened session may have a new one). */
		joinCode: Type.Optional(Type.String()),
		/** PATCH only: held notes this change placed on the board. */
		revealed: Type.Optional(Type.Integer()),
		/** The note or theme the facilitator put in focus, for every screen (absent when focus is off). */
		focus: Type.Optional(FocusView),
		/** The room's score round with the spread per part (absent when none was started). */
		scoreRound: Type.Optional(ScoreRoundView),
	}),
])
export type SessionAnswer = Static<typeof SessionAnswer>

/** `GET /api/rooms/:roomId/session` query. */
export const SessionQuery = Type.Object({
	/** Long poll: wait up to this many seconds for a change of the state tagged `tag`. */
	wait: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SESSION_WAIT_SECONDS })),
	tag: Type.Optional(Type.String({ maxLength: 64 })),
})
export type SessionQuery = Static<typeof SessionQuery>

/** What to do with the timer. */
export const TimerAction = Type.Union([Type.Literal('start'), Type.Literal('pause'), Type.Literal('stop')])
export type TimerAction = Static<typeof TimerAction>

/** `PATCH /api/rooms/:roomId/session` body (facilitator only); absent fields stay as they are. */
export const SessionChange = Type.Object(
	{
		phase: Type.Optional(SessionPhase),
		/** The timer's length; null or 0 removes the timer. */
		timerSeconds: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: MAX_TIMER_SECONDS }))),
		timer: Type.Optional(TimerAction),
		votesPerParticipant: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_VOTES_PER_PARTICIPANT })),
		structureLocked: Type.Optional(Type.Boolean()),
		/**
		 * "Notities eerst bekijken" on or off. Turning it off places nothing: notes still waiting stay in the queue
		 * until the facilitator approves or rejects them (`POST …/screening/approve` with `all`).
		 */
		screening: Type.Optional(Type.Boolean()),
		/** Throws away every dot (a new voting round). */
		resetVotes: Type.Optional(Type.Boolean()),
		/** Places the notes held during private writing. */
		reveal: Type.Optional(Type.Boolean()),
	},
	{ additionalProperties: false }
)
export type SessionChange = Static<typeof SessionChange>

// Votes

/** `POST` / `DELETE /api/rooms/:roomId/votes` body. */
export const VoteBody = Type.Object({ noteId: NoteId }, { additionalProperties: false })
export type VoteBody = Static<typeof VoteBody>

/** A participant's dots in a room. */
export const VoteSummary = Type.Object({
	/** Dots per participant in this round (the facilitator's `votesPerParticipant`). */
	budget: Type.Integer(),
	used: Type.Integer(),
	remaining: Type.Integer(),
	/** The participant's dots by note id. */
	mine: Type.Record(Type.String(), Type.Integer()),
})
export type VoteSummary = Static<typeof VoteSummary>

/** `POST` / `DELETE /api/rooms/:roomId/votes` answer: the note's dots and the participant's budget. */
export const VoteAnswer = Type.Composite([
	VoteSummary,
	Type.Object({
		noteId: Type.String(),
		/** All dots on the note now. */
		votes: Type.Integer(),
	}),
])
export type VoteAnswer = Static<typeof VoteAnswer>

/** A note in a zone's ranking. */
export const RankedNote = Type.Object({
	noteId: Type.String(),
	text: Type.String(),
	color: Type.String(),
	votes: Type.Integer(),
	/** 1 for the most votes; notes with equal votes share a rank (1, 2, 2, 4). */
	rank: Type.Integer(),
})
export type RankedNote = Static<typeof RankedNote>

/**
 * A theme of a zone in the voting list, ranked as one item: `votes` is its own dots (given to the theme) and its
 * notes' dots together, `own` its own only (vote on it with its `themeId` as `noteId`).
 */
export const RankedTheme = Type.Object({
	themeId: Type.String(),
	label: Type.String(),
	votes: Type.Integer(),
	own: Type.Integer(),
	/** 1 for the most votes among the zone's themes; equal votes share a rank. */
	rank: Type.Integer(),
	noteIds: Type.Array(Type.String()),
})
export type RankedTheme = Static<typeof RankedTheme>

/** One zone of the voting list: its label and its notes, ranked by votes (and its themes, when it has any). */
export const VotingZone = Type.Object({
	/** Null for the notes that are in no zone. */
	zoneId: Nullable(Type.String()),
	label: LocalizedText,
	notes: Type.Array(RankedNote),
	themes: Type.Optional(Type.Array(RankedTheme)),
})
export type VotingZone = Static<typeof VotingZone>

/** `GET /api/rooms/:roomId/votes` answer. */
export const VotingList = Type.Object({
	phase: SessionPhase,
	zones: Type.Array(VotingZone),
	/** With a participant token: that participant's dots. */
	votes: Type.Optional(VoteSummary),
})
export type VotingList = Static<typeof VotingList>

// Moderation

/** A hidden note as the facilitator's panel lists it. */
export const HiddenNoteView = Type.Object({
	noteId: Type.String(),
	text: Type.String(),
	color: Type.String(),
	zoneId: Nullable(Type.String()),
	hiddenAt: Type.Number(),
})
export type HiddenNoteView = Static<typeof HiddenNoteView>

/** `GET /api/rooms/:roomId/moderation/hidden` answer: the room's hidden notes, oldest first. */
export const HiddenNoteList = Type.Object({ notes: Type.Array(HiddenNoteView) })
export type HiddenNoteList = Static<typeof HiddenNoteList>

/** The answer of the moderation actions on one note (`…/hide`, `…/show`, `DELETE`). */
export const ModeratedNote = Type.Object({
	noteId: Type.String(),
	status: Type.Union([Type.Literal('hidden'), Type.Literal('placed'), Type.Literal('deleted')]),
})
export type ModeratedNote = Static<typeof ModeratedNote>

// Presenter view

/** What the presenter view shows: nothing (the board), the overview of every zone, or one zone. */
export const PresenterMode = Type.Union([Type.Literal('off'), Type.Literal('overview'), Type.Literal('zone')])
export type PresenterMode = Static<typeof PresenterMode>

/** `PUT /api/rooms/:roomId/presenter` body (facilitator only). `zoneId` is required with mode `zone`. */
export const PresenterChange = Type.Object(
	{
		mode: PresenterMode,
		zoneId: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9:_-]+$' }))),
	},
	{ additionalProperties: false }
)
export type PresenterChange = Static<typeof PresenterChange>

/** The presenter state as the session map holds it (`PUT /api/rooms/:roomId/presenter` answer). */
export const PresenterState = Type.Object({
	mode: PresenterMode,
	/** The zone shown when `mode` is `zone`; null otherwise. */
	zoneId: Nullable(Type.String()),
})
export type PresenterState = Static<typeof PresenterState>

// Exports

/** An export file (JSON, Markdown, CSV or Word), served as an attachment. */
export const ExportFile = Type.Unsafe<string>({ type: 'string', format: 'binary', description: 'The report file' })

/** One room in the admin view (`GET /api/admin/rooms`). */
export const AdminRoom = Type.Object({
	roomId: Type.String(),
	title: Type.String(),
	templateId: Type.String(),
	/** Epoch ms. */
	createdAt: Type.Number(),
	/** Last time anyone used the room (epoch ms). */
	lastActivityAt: Type.Number(),
	/** Set when the session is closed (epoch ms). */
	closedAt: Nullable(Type.Number()),
	status: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
	/** Distinct participants that wrote a note or placed a dot. */
	participants: Type.Integer(),
	/** Boards and phones connected now. */
	connected: Type.Integer(),
	/** Bytes the room takes in the store. */
	bytes: Type.Integer(),
})
export type AdminRoom = Static<typeof AdminRoom>

/** `GET /api/admin/rooms` answer. */
export const AdminRoomList = Type.Object({
	rooms: Type.Array(AdminRoom),
	/** `RETENTION` in ms; null when boards are kept for ever. */
	retentionMs: Nullable(Type.Number()),
})
export type AdminRoomList = Static<typeof AdminRoomList>

/** `POST /api/admin/rooms/:roomId/close` and `…/reopen` answer. */
export const AdminPhaseAnswer = Type.Object({ roomId: Type.String(), phase: SessionPhase })
export type AdminPhaseAnswer = Static<typeof AdminPhaseAnswer>

/** `POST /api/admin/rooms/:roomId/facilitator-key` answer: the new key and links (the old key no longer works). */
export const NewFacilitatorLink = Type.Object({
	roomId: Type.String(),
	facilitatorKey: Type.String(),
	links: RoomLinks,
})
export type NewFacilitatorLink = Static<typeof NewFacilitatorLink>
