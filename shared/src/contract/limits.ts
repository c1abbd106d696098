/**
 * The contract's constants: session phases, limits and id patterns. Plain values with no dependency, so the
 * phone page may import them without taking TypeBox or anything else into its bundle. The schemas in
 * `./schemas` are built from them; the server enforces them.
 *
 * @packageDocumentation
 */

/** The session phases, in the order the facilitator usually goes through them. */
export const SESSION_PHASES = ['open', 'private', 'voting', 'closed'] as const

/** The languages of the board, the phone page and the reports. */
export const CONTRACT_LOCALES = ['nl', 'en'] as const

/** Longest room id accepted in a path (the server makes 21-character nanoids). */
export const MAX_ROOM_ID = 64
/** Longest note id accepted in a path or body. */
export const MAX_NOTE_ID = 128
/** Longest zone id. */
export const MAX_ZONE_ID = 100
/** Longest join code accepted in a path (before normalising spaces and dashes away). */
export const MAX_JOIN_CODE_INPUT = 32
/** Longest template id in a request. */
export const MAX_TEMPLATE_ID = 100
/** Longest session title. */
export const MAX_TITLE = 120

/** Participant ids and client note ids: random ids a phone or board makes, url-safe. */
export const CLIENT_ID_PATTERN = '^[A-Za-z0-9_-]+$'
/** Shortest participant id or client note id. */
export const MIN_CLIENT_ID = 8
/** Longest participant id or client note id. */
export const MAX_CLIENT_ID = 100

/** Join-code alphabet: no look-alikes (no 0/O, 1/I/L). */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
/** Length of a join code. */
export const JOIN_CODE_LENGTH = 6

/** Longest note text, in characters (Unicode code points) after trimming. */
export const MAX_NOTE_TEXT = 500
/** Longest author name kept, in characters after trimming. */
export const MAX_AUTHOR_NAME = 40
/** Longest colour name in a request (the server accepts tldraw's palette only). */
export const MAX_COLOR = 32

/** Longest timer the facilitator may set: 24 hours. */
export const MAX_TIMER_SECONDS = 24 * 60 * 60
/** Most dots a participant may get in a voting round. */
export const MAX_VOTES_PER_PARTICIPANT = 50
/** Dots per participant when the facilitator set nothing. */
export const DEFAULT_VOTES_PER_PARTICIPANT = 3
/** Longest long poll of the session state, in seconds. */
export const MAX_SESSION_WAIT_SECONDS = 25

/** Shortest room passphrase, in characters after trimming (the facilitator sets it; participants type it once). */
export const MIN_PASSPHRASE = 4
/** Longest room passphrase, in characters after trimming. */
export const MAX_PASSPHRASE = 100
/** How far ahead the facilitator may set the join code's expiry: a year. */
export const MAX_JOIN_CODE_EXPIRY_MS = 366 * 24 * 60 * 60 * 1000

/** Result columns of the activity matrix a room may be created with. */
export const MIN_MATRIX_COLUMNS = 1
/** @see MIN_MATRIX_COLUMNS */
export const MAX_MATRIX_COLUMNS = 4

/** Whether a string is a participant id or client note id as the contract accepts it. */
export function isClientId(value: string): boolean {
	return value.length >= MIN_CLIENT_ID && value.length <= MAX_CLIENT_ID && /^[A-Za-z0-9_-]+$/.test(value)
}

/** Most words of a room's own screening word list (the facilitator's, next to the default list). */
export const MAX_SCREENING_WORDS = 200
/** Longest entry of a screening word list, in characters. */
export const MAX_SCREENING_WORD = 40
/** Most notes one approve or reject request names. */
export const MAX_SCREENING_BATCH = 500
