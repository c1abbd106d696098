/**
 * Notices from the server: when it reverts a change this board made (structure locked, session closed,
 * private writing, …) it says why through its own awareness state (the contract's `readServerNotice`).
 */
import { type DenialReason, noticeReason, readServerNotice } from '@kompasbord/shared'

/** Reasons the server gives: the contract's denial reasons. */
export type NoticeReason = DenialReason

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
		const notice = readServerNotice(state)
		if (!notice || !notice.to.includes(clientId)) continue
		if (notice.seq <= (seen.get(serverId) ?? 0)) continue
		seen.set(serverId, notice.seq)
		found.push({
			key: `${serverId}:${notice.seq}`,
			reasons: notice.reasons.length ? notice.reasons.map(noticeReason) : ['unknown'],
		})
	}
	return found
}
