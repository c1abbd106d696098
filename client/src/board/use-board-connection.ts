import { useEffect, useRef, useState } from 'react'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import {
	atom,
	computed,
	createTLStore,
	defaultBindingUtils,
	defaultShapeUtils,
	type Atom,
	type Signal,
	type TLRecord,
	type TLStore,
	type TLUser,
} from 'tldraw'
import {
	CLOSE_DOC_REPLACED,
	CLOSE_ROOM_NOT_FOUND,
	SESSION_MAP,
	readSessionPhase,
	readStructureLocked,
} from '@kompasbord/shared'
import { fetchRoom, ApiError } from '../api'
import { ConnectionTracker } from './connection-state'
import { captureUnsentChanges, replayUnsentChanges } from './doc-replacement'
import type { BoardRole } from './roles'
import { BindError, bindDocToStore, type Binding, type RecordChanges } from './yjs-tldraw-sync'

/** Why a board cannot be shown. */
export type BoardError =
	| { kind: 'not-found' }
	| { kind: 'no-document' }
	| { kind: 'newer-schema' }
	| { kind: 'bad-key' }
	/** The stored participant token is not one of this room (any more): the board asks for the code again. */
	| { kind: 'bad-participant-token' }
	| { kind: 'closed'; code: number; reason: string }
	| { kind: 'other'; message: string }

/** Everything a mounted board works with; lives as long as the board page. */
export interface BoardSession {
	roomId: string
	doc: Y.Doc
	provider: WebsocketProvider
	store: TLStore
	tracker: ConnectionTracker
	/** The session phase from the doc's session map (`open`, `private`, `voting`, `closed`). */
	$phase: Signal<string>
	/** Whether the structure is locked for participants (the doc's session map, default true). */
	$structureLocked: Signal<boolean>
}

/** State of {@link useBoardConnection}. */
export type BoardConnectionState =
	| { status: 'loading' }
	| { status: 'error'; error: BoardError }
	| { status: 'ready'; session: BoardSession }

/** Connection attempts that fail before the first sync before the board asks the API what is wrong. */
const FAILURES_BEFORE_PROBE = 2

/** The websocket base URL of this page's server: `ws(s)://<host>/ws`. */
export function websocketBase(location: Pick<Location, 'protocol' | 'host'>): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`
}

/**
 * The websocket subprotocols of a role: `kompasbord` (the protocol) and the credential — the facilitator key,
 * the view token, or the participant token this browser shares with the phone page (facilitator/participant-id.ts).
 * Credentials travel in this header, never in the URL (which servers and proxies log).
 */
export function websocketProtocols(role: BoardRole, credential: string | null): string[] {
	if (!credential) return ['kompasbord']
	const kind = role === 'facilitator' ? 'facilitator' : role === 'viewer' ? 'view' : 'participant'
	return ['kompasbord', `kompasbord-${kind}.${credential}`]
}

/** Whether the board is read-only for this role in this phase (a closed session is read-only but for the facilitator). */
export function isReadOnly(role: BoardRole, phase: string): boolean {
	return role === 'viewer' || (role === 'participant' && phase === 'closed')
}

function bindFailure(error: unknown): BoardError {
	if (error instanceof BindError && error.reason === 'no-document') return { kind: 'no-document' }
	if (error instanceof BindError && error.reason === 'newer-schema') return { kind: 'newer-schema' }
	return { kind: 'other', message: error instanceof Error ? error.message : String(error) }
}

/**
 * Asks the API what is wrong when the websocket keeps failing before the first sync: the room may not exist
 * (the server refuses the upgrade with 404) or the facilitator key may be wrong (403).
 */
async function probeFailure(roomId: string, role: BoardRole, credential: string | null): Promise<BoardError | null> {
	const facilitatorKey = role === 'facilitator' ? credential : null
	try {
		await fetchRoom(roomId)
	} catch (error) {
		if (error instanceof ApiError && error.status === 404) return { kind: 'not-found' }
		return null
	}
	if (role === 'participant' && credential) {
		try {
			const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/notes`, {
				headers: { authorization: `Bearer ${credential}` },
				cache: 'no-store',
			})
			if (response.status === 401) return { kind: 'bad-participant-token' }
		} catch {
			// Network trouble: keep trying to connect.
		}
	}
	if (role === 'facilitator' && facilitatorKey) {
		try {
			const response = await fetch(`/api/rooms/${encodeURIComponent(roomId)}/export.json`, {
				method: 'HEAD',
				headers: { authorization: `Bearer ${facilitatorKey}` },
			})
			if (response.status === 401 || response.status === 403) return { kind: 'bad-key' }
		} catch {
			// Network trouble: keep trying to connect.
		}
	}
	return null
}

/**
 * Connects a board: creates the Y.Doc, the y-websocket provider (room = roomId, the role's credential as a
 * subprotocol, see {@link websocketProtocols}) and
 * the tldraw store, loads the doc into the store after the provider's first sync and keeps them bound. All of
 * it is created inside the effect and destroyed in its cleanup. The client never seeds a board: a doc without
 * a document record after the first sync is an error state.
 *
 * When the server says the board holds a doc it has since rebuilt ({@link CLOSE_DOC_REPLACED}), everything is
 * created anew (a new generation) and the changes made while offline are written into the new doc.
 */
export function useBoardConnection(options: {
	roomId: string
	role: BoardRole
	/** The role's credential: the facilitator key, the view token or the participant token. */
	credential: string | null
	$userRecord: Signal<TLUser>
}): BoardConnectionState {
	const { roomId, role, credential, $userRecord } = options
	const [state, setState] = useState<BoardConnectionState>({ status: 'loading' })
	/** Bumped when the server replaced the room's doc: the effect then connects again from scratch. */
	const [generation, setGeneration] = useState(0)
	/** Offline changes of the previous generation, written into the new doc once it is bound. */
	const carriedOver = useRef<RecordChanges<TLRecord> | null>(null)

	useEffect(() => {
		let disposed = false
		setState({ status: 'loading' })

		const doc = new Y.Doc()
		const session = doc.getMap<unknown>(SESSION_MAP)
		const $phase: Atom<string> = atom('kompasbord phase', 'open')
		const $structureLocked: Atom<boolean> = atom('kompasbord structure locked', true)
		const readSession = () => {
			$phase.set(readSessionPhase(session))
			$structureLocked.set(readStructureLocked(session))
		}
		session.observe(readSession)

		const $online = atom<'online' | 'offline'>('kompasbord online', 'offline')
		// Rooms are anonymous unless created otherwise (the server refuses names there either way).
		const $anonymous = atom('kompasbord anonymous', true)
		void fetchRoom(roomId).then(
			(room) => $anonymous.set((room as { anonymous?: boolean }).anonymous !== false),
			() => {}
		)
		const store = createTLStore({
			shapeUtils: defaultShapeUtils,
			bindingUtils: defaultBindingUtils,
			// No attribution in anonymous rooms: tldraw would store a `user` record with the author's name.
			users: {
				currentUser: computed('kompasbord attribution user', () => ($anonymous.get() ? null : $userRecord.get())),
			},
			collaboration: {
				status: $online,
				mode: computed('kompasbord mode', () => (isReadOnly(role, $phase.get()) ? 'readonly' : 'readwrite')),
			},
		})
		const tracker = new ConnectionTracker()
		const provider = new WebsocketProvider(websocketBase(window.location), encodeURIComponent(roomId), doc, {
			protocols: websocketProtocols(role, credential),
			// Every tab talks to the server itself, so the server's rules apply to each.
			disableBc: true,
		})

		let binding: Binding | null = null
		let failures = 0
		let probing = false

		const fail = (error: BoardError) => {
			if (disposed) return
			provider.disconnect()
			setState({ status: 'error', error })
		}

		const onSync = (synced: boolean) => {
			tracker.setSynced(synced)
			if (!synced || binding || disposed) return
			readSession()
			try {
				binding = bindDocToStore(doc, store, {
					writable: role !== 'viewer',
					mayUpgrade: role === 'facilitator',
					onLocalChange: (ids) => tracker.recordLocalChanges(ids),
				})
			} catch (error) {
				fail(bindFailure(error))
				return
			}
			const unsent = carriedOver.current
			carriedOver.current = null
			if (unsent && role !== 'viewer') replayUnsentChanges(store, unsent)
			setState({ status: 'ready', session: { roomId, doc, provider, store, tracker, $phase, $structureLocked } })
		}
		const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
			tracker.setStatus(status)
			$online.set(status === 'connected' ? 'online' : 'offline')
		}
		const onConnectionFailure = () => {
			if (binding || probing || disposed) return
			failures++
			if (failures < FAILURES_BEFORE_PROBE) return
			probing = true
			void probeFailure(roomId, role, credential).then((error) => {
				probing = false
				failures = 0
				if (error) fail(error)
			})
		}
		const onClosed = (event: { code: number; reason: string }) => {
			if (disposed) return
			if (event.code === CLOSE_DOC_REPLACED) {
				console.info('[kompasbord] the room was rebuilt on the server; connecting again with a fresh copy')
				carriedOver.current = binding ? captureUnsentChanges(store, tracker.unsentRecordIds()) : null
				setGeneration((g) => g + 1)
				return
			}
			if (event.code === CLOSE_ROOM_NOT_FOUND) fail({ kind: 'not-found' })
			else fail({ kind: 'closed', code: event.code, reason: event.reason })
		}

		provider.on('sync', onSync)
		provider.on('status', onStatus)
		provider.on('connection-close', onConnectionFailure)
		provider.on('closed', onClosed)

		return () => {
			disposed = true
			binding?.dispose()
			session.unobserve(readSession)
			provider.off('sync', onSync)
			provider.off('status', onStatus)
			provider.off('connection-close', onConnectionFailure)
			provider.off('closed', onClosed)
			provider.destroy()
			doc.destroy()
			// The editor (a child) lets go of the store in its own cleanup, which React may run after this one.
			setTimeout(() => store.dispose(), 0)
		}
	}, [roomId, role, credential, $userRecord, generation])

	return state
}
