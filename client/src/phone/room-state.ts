/**
 * The phone's live view of its room: `GET /api/rooms/:roomId` polled every few seconds while the page is
 * visible, plus whether the server is reachable. A small state/subscribe store, so later features (the session
 * phase, a timer) can show what the room says without touching the rest of the page.
 */
import type { RoomInfo } from '@kompasbord/shared'
import { getRoom } from './api'

/** What the phone knows about its room. */
export interface RoomState {
	/** The last answer of `GET /api/rooms/:roomId`; null before the first one. */
	room: RoomInfo | null
	/** Whether the last request reached the server (and the browser says it is online). */
	online: boolean
	/** Set when the server said the room does not exist. */
	notFound: boolean
	/** Epoch ms of the last answer. */
	updatedAt: number | null
}

/** The store {@link createRoomState} returns. */
export interface RoomStateStore {
	get(): RoomState
	/** Calls `listener` on every change (not at once); returns the unsubscribe function. */
	subscribe(listener: (state: RoomState) => void): () => void
	/** Fetches now; resolves with the new state. */
	refresh(): Promise<RoomState>
	/** Tells the store what the browser's `online`/`offline` events say. */
	setOnline(online: boolean): void
	/** Starts polling (and refreshing when the page becomes visible). */
	start(): void
	stop(): void
}

/** Options of {@link createRoomState}. */
export interface RoomStateOptions {
	/** Poll interval (default 5 s). */
	intervalMs?: number
	fetchRoom?: typeof getRoom
}

/** Creates the live room store of the phone page. */
export function createRoomState(roomId: string, options: RoomStateOptions = {}): RoomStateStore {
	const intervalMs = options.intervalMs ?? 5000
	const fetchRoom = options.fetchRoom ?? getRoom
	const listeners = new Set<(state: RoomState) => void>()
	let state: RoomState = { room: null, online: true, notFound: false, updatedAt: null }
	let timer: ReturnType<typeof setInterval> | null = null
	let pending: Promise<RoomState> | null = null

	const set = (next: Partial<RoomState>) => {
		state = { ...state, ...next }
		for (const listener of [...listeners]) listener(state)
	}

	const refresh = (): Promise<RoomState> => {
		pending ??= fetchRoom(roomId)
			.then((result) => {
				if (result.ok) set({ room: result.data, online: true, notFound: false, updatedAt: Date.now() })
				else if (result.kind === 'http') set({ online: true, notFound: result.status === 404 })
				else set({ online: false })
				return state
			})
			.finally(() => {
				pending = null
			})
		return pending
	}

	const onVisibility = () => {
		if (document.visibilityState === 'visible') void refresh()
	}

	return {
		get: () => state,
		subscribe(listener) {
			listeners.add(listener)
			return () => listeners.delete(listener)
		},
		refresh,
		setOnline(online) {
			if (online !== state.online) set({ online })
			if (online) void refresh()
		},
		start() {
			if (timer) return
			timer = setInterval(() => {
				if (typeof document === 'undefined' || document.visibilityState === 'visible') void refresh()
			}, intervalMs)
			if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onVisibility)
			void refresh()
		},
		stop() {
			if (timer) clearInterval(timer)
			timer = null
			if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onVisibility)
		},
	}
}
