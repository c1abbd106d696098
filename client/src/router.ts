import { useSyncExternalStore } from 'react'

/**
 * The board app's routes (one SPA entry; the server answers every page path with index.html):
 * `/` the home page, `/b/:roomId` a board, `/b/:roomId/lijst` its list view (Lijstweergave), `/t/:trajectId`
 * a traject. The phone page (`/j`, `/j/:roomId`) is a separate entry.
 */
export type Route =
	| { name: 'home' }
	| { name: 'board'; roomId: string }
	| { name: 'list'; roomId: string }
	| { name: 'traject'; trajectId: string }
	| { name: 'not-found' }

/** Room ids as the server makes them: URL-safe, at most 64 characters. */
const ROOM_ID = /^[A-Za-z0-9_-]{1,64}$/

/** The route for a path. */
export function matchRoute(pathname: string): Route {
	const path = pathname.replace(/\/+$/, '') || '/'
	if (path === '/' || path === '/index.html') return { name: 'home' }
	const traject = /^\/t\/([^/]+)$/.exec(path)
	if (traject) {
		let trajectId: string
		try {
			trajectId = decodeURIComponent(traject[1])
		} catch {
			return { name: 'not-found' }
		}
		return ROOM_ID.test(trajectId) ? { name: 'traject', trajectId } : { name: 'not-found' }
	}
	const board = /^\/b\/([^/]+)(\/lijst)?$/.exec(path)
	if (board) {
		let roomId: string
		try {
			roomId = decodeURIComponent(board[1])
		} catch {
			return { name: 'not-found' }
		}
		if (ROOM_ID.test(roomId)) return board[2] ? { name: 'list', roomId } : { name: 'board', roomId }
	}
	return { name: 'not-found' }
}

/** The path of a board. */
export function boardPath(roomId: string): string {
	return `/b/${encodeURIComponent(roomId)}`
}

const listeners = new Set<() => void>()
let snapshot = currentLocation()

function currentLocation(): string {
	if (typeof window === 'undefined') return '/'
	return window.location.pathname + window.location.search + window.location.hash
}

function notify() {
	const next = currentLocation()
	if (next === snapshot) return
	snapshot = next
	for (const listener of listeners) listener()
}

if (typeof window !== 'undefined') window.addEventListener('popstate', notify)

/** Goes to a path of this app without reloading the page. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
	if (options.replace) window.history.replaceState(null, '', to)
	else window.history.pushState(null, '', to)
	notify()
}

/** React hook: the current path + query + hash; re-renders on navigation. */
export function useLocationKey(): string {
	return useSyncExternalStore(
		(listener) => {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		() => snapshot,
		() => snapshot
	)
}
