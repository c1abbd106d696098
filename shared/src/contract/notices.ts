/**
 * Server notices: when the server reverts a change a board made (structure locked, session closed, private
 * writing, …) it says why through its own y-websocket awareness state,
 * `{ kompasbordServer: true, notice: { to: clientIds, reasons, seq, at } }`. The server builds that state with
 * {@link serverNoticeState}; boards (and tests) read it with {@link readServerNotice}. No dependency.
 *
 * @packageDocumentation
 */

/** Why the server reverted a peer's change. */
export const DENIAL_REASONS = [
	/** A viewer's change. */
	'read-only',
	/** Any participant change once the session is closed. */
	'session-closed',
	/** A change of the template's structure while it is locked. */
	'structure-locked',
	/** The session state, votes, schema, document or page, or a change that makes or claims structure or a zone. */
	'server-owned',
	/** A new note (or note text) during private writing: the server holds it for its author instead. */
	'private-writing',
	/**
	 * A new note (or note text) of a participant while "Notities eerst bekijken" is on: the server puts it in the
	 * facilitator's queue instead.
	 */
	'screening',
	/** A tldraw `user` record (it carries a name) in an anonymous room; boards are not told. */
	'anonymous',
	/** Not a valid tldraw record under its own id, too big, or a shape outside the page's tree. */
	'invalid-record',
	/** The text of (or deleting) a note another participant wrote. */
	'not-your-note',
	/** A note the facilitator hid or deleted. */
	'moderated',
	/** Making, renaming or removing a theme while only the facilitator groups notes (moving one is fine). */
	'themes-facilitator',
] as const
/** @see DENIAL_REASONS */
export type DenialReason = (typeof DENIAL_REASONS)[number]

const KNOWN_REASONS: ReadonlySet<string> = new Set(DENIAL_REASONS)

/** A reason as a client shows it: one of {@link DENIAL_REASONS}, or `unknown` for one a newer server added. */
export function noticeReason(reason: unknown): DenialReason | 'unknown' {
	return typeof reason === 'string' && KNOWN_REASONS.has(reason) ? (reason as DenialReason) : 'unknown'
}

/** Marks the server's own awareness state. */
export const SERVER_FIELD = 'kompasbordServer'

/** A notice the server addresses to the awareness client ids of one connection. */
export interface ServerNotice {
	/** The awareness client ids of the connection whose change was reverted. */
	to: number[]
	/** As sent; {@link noticeReason} maps each to a known reason. */
	reasons: string[]
	/** Increases with every notice of the room: a board shows each `(server client id, seq)` once. */
	seq: number
	/** Server time (epoch ms). */
	at: number
}

/** The server's awareness state carrying a notice. */
export function serverNoticeState(notice: {
	to: number[]
	reasons: DenialReason[]
	seq: number
	at: number
}): Record<string, unknown> {
	return { [SERVER_FIELD]: true, notice: { to: notice.to, reasons: notice.reasons, seq: notice.seq, at: notice.at } }
}

/** The server's notice in an awareness state; null when the state is not the server's or has none. */
export function readServerNotice(state: unknown): ServerNotice | null {
	if (!state || typeof state !== 'object') return null
	const s = state as Record<string, unknown>
	if (s[SERVER_FIELD] !== true || !s.notice || typeof s.notice !== 'object') return null
	const n = s.notice as Record<string, unknown>
	if (!Array.isArray(n.to) || typeof n.seq !== 'number') return null
	return {
		to: n.to.filter((id): id is number => typeof id === 'number'),
		reasons: Array.isArray(n.reasons) ? n.reasons.filter((r): r is string => typeof r === 'string') : [],
		seq: n.seq,
		at: typeof n.at === 'number' ? n.at : 0,
	}
}
