/**
 * Notices from the server: when it reverts a change this board made (structure locked, session closed,
 * private writing, …) it says why through its own awareness state,
 * `{ kompasbordServer: true, notice: { to: clientIds, reasons, seq, at } }` (server/src/rooms/room.ts).
 */

/** Reasons the server gives (DenialReason in server/src/rooms/permissions.ts). */
export type NoticeReason =
	| 'read-only'
	| 'session-closed'
	| 'structure-locked'
	| 'server-owned'
	| 'private-writing'
	| 'invalid-record'
	| 'not-your-note'
	| 'moderated'

const KNOWN_REASONS: ReadonlySet<string> = new Set<NoticeReason>([
	'read-only',
	'session-closed',
	'structure-locked',
	'server-owned',
	'private-writing',
	'invalid-record',
	'not-your-note',
	'moderated',
])

/** A notice addressed to this board. */
export interface ServerNotice {
	/** The server's awareness client id and its sequence number: unique per notice. */
	key: string
	reasons: (NoticeReason | 'unknown')[]
}

/**
 * The notices in `states` addressed to `clientId` that are newer than `seen` (server client id → last seen
 * sequence number, updated in place). A reason this client does not know becomes `'unknown'`.
 */
export function noticesFor(
	states: ReadonlyMap<number, unknown>,
	clientId: number,
	seen: Map<number, number>
): ServerNotice[] {
	const found: ServerNotice[] = []
	for (const [serverId, state] of states) {
		if (!state || typeof state !== 'object') continue
		const s = state as { kompasbordServer?: unknown; notice?: unknown }
		if (s.kompasbordServer !== true || !s.notice || typeof s.notice !== 'object') continue
		const notice = s.notice as { to?: unknown; reasons?: unknown; seq?: unknown }
		if (typeof notice.seq !== 'number' || !Array.isArray(notice.to) || !notice.to.includes(clientId)) continue
		if (notice.seq <= (seen.get(serverId) ?? 0)) continue
		seen.set(serverId, notice.seq)
		const reasons = Array.isArray(notice.reasons) ? notice.reasons : []
		found.push({
			key: `${serverId}:${notice.seq}`,
			reasons: reasons.length
				? reasons.map((r) => (typeof r === 'string' && KNOWN_REASONS.has(r) ? (r as NoticeReason) : 'unknown'))
				: ['unknown'],
		})
	}
	return found
}
