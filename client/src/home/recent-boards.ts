import type { RoomLinks } from '@kompasbord/shared'
import type { KeyValueStorage } from '../i18n'

/**
 * The boards this browser created, so the facilitator can reopen one at the next evaluation round and find
 * its participant and view links again. Kept in localStorage on the facilitator's own device only.
 */

/** One remembered board. */
export interface RecentBoard {
	roomId: string
	title: string
	templateId: string
	joinCode: string
	links: RoomLinks
	/** Epoch ms. */
	createdAt: number
}

/** localStorage key of the list. */
export const RECENT_BOARDS_KEY = 'kompasbord:recentBoards'

/** At most this many boards are remembered (newest first). */
export const MAX_RECENT_BOARDS = 12

function isRecentBoard(value: unknown): value is RecentBoard {
	if (!value || typeof value !== 'object') return false
	const v = value as Record<string, unknown>
	const links = v.links as Record<string, unknown> | undefined
	return (
		typeof v.roomId === 'string' &&
		typeof v.title === 'string' &&
		typeof v.templateId === 'string' &&
		typeof v.joinCode === 'string' &&
		typeof v.createdAt === 'number' &&
		!!links &&
		['board', 'facilitator', 'join', 'view'].every((k) => typeof links[k] === 'string')
	)
}

/** The remembered boards, newest first; entries that are not boards are dropped. */
export function readRecentBoards(storage: KeyValueStorage | null): RecentBoard[] {
	try {
		const raw = storage?.getItem(RECENT_BOARDS_KEY)
		if (!raw) return []
		const parsed: unknown = JSON.parse(raw)
		return Array.isArray(parsed) ? parsed.filter(isRecentBoard).slice(0, MAX_RECENT_BOARDS) : []
	} catch {
		return []
	}
}

function write(storage: KeyValueStorage | null, boards: RecentBoard[]): RecentBoard[] {
	try {
		storage?.setItem(RECENT_BOARDS_KEY, JSON.stringify(boards))
	} catch {
		// Not remembered; the board itself is on the server either way.
	}
	return boards
}

/** Puts a board first in the list (replacing an older entry of the same room); returns the new list. */
export function rememberBoard(storage: KeyValueStorage | null, board: RecentBoard): RecentBoard[] {
	const others = readRecentBoards(storage).filter((b) => b.roomId !== board.roomId)
	return write(storage, [board, ...others].slice(0, MAX_RECENT_BOARDS))
}

/** Removes a board from the list; returns the new list. */
export function forgetBoard(storage: KeyValueStorage | null, roomId: string): RecentBoard[] {
	return write(
		storage,
		readRecentBoards(storage).filter((b) => b.roomId !== roomId)
	)
}

/**
 * A link from the server as a path on this app's origin when it points here (so the SPA can navigate without a
 * reload), else null.
 */
export function sameOriginPath(link: string, origin: string): string | null {
	try {
		const url = new URL(link, origin)
		return url.origin === origin ? url.pathname + url.search + url.hash : null
	} catch {
		return null
	}
}
