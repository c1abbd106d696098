import { SESSION_MAP, VOTES_MAP } from '@kompasbord/shared'
import type { Room } from '../rooms/room'

/** Longest a long poll of the session state may wait, in seconds (the contract's limit). */
export { MAX_SESSION_WAIT_SECONDS } from '@kompasbord/shared'

/**
 * Long polling of the session state, for phones (which have no websocket): resolves when the room's session
 * map (or its votes map: the focused note's dots) changes, after `timeoutMs`, or when `signal` aborts (the client went away) — whichever comes first.
 * `isCurrent` says whether the state the client holds is still the room's; when it is not, this resolves at once.
 */
export function waitForSessionChange(
	room: Room,
	isCurrent: () => boolean,
	timeoutMs: number,
	signal: AbortSignal
): Promise<void> {
	if (!isCurrent() || signal.aborted || timeoutMs <= 0) return Promise.resolve()
	const map = room.doc.getMap(SESSION_MAP)
	const votes = room.doc.getMap(VOTES_MAP)
	return new Promise<void>((resolve) => {
		const done = () => {
			clearTimeout(timer)
			map.unobserve(onChange)
			votes.unobserve(onChange)
			signal.removeEventListener('abort', done)
			resolve()
		}
		const onChange = () => {
			if (!isCurrent()) done()
		}
		// Unref'd: a pending long poll never keeps the process alive (a shutdown closes its connection anyway).
		const timer = setTimeout(done, timeoutMs)
		timer.unref()
		map.observe(onChange)
		votes.observe(onChange)
		signal.addEventListener('abort', done, { once: true })
	})
}
