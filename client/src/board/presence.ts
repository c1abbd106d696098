import type { Awareness } from 'y-protocols/awareness'
import {
	createPresenceStateDerivation,
	InstancePresenceRecordType,
	react,
	type Signal,
	type TLInstancePresence,
	type TLStore,
	type TLUser,
} from 'tldraw'

/**
 * Presence over Yjs awareness: each board puts its tldraw presence record (cursor, selection, camera, name,
 * colour) into its awareness state, and turns the other clients' states into `instance_presence` records in
 * its store, which tldraw shows as collaborators (cursors with names, selection outlines, the people menu).
 * Presence records never enter the doc. Follow-me builds on these records (`followingUserId`, `camera`).
 */

/** Awareness field holding a client's tldraw presence record. */
export const PRESENCE_FIELD = 'presence'
/** Awareness field holding `{ name, color, role }` (the y-websocket convention, for non-tldraw clients). */
export const USER_FIELD = 'user'

/** How often at most a client sends its presence (cursor moves are throttled to this). */
export const PRESENCE_THROTTLE_MS = 50

/** What a board puts in {@link USER_FIELD}. */
export interface AwarenessUser {
	name: string
	color: string
	role: 'facilitator' | 'participant' | 'viewer'
}

/** The presence record id of an awareness client: one per tab, so two tabs of one person are two cursors. */
export function presenceIdForClient(clientId: number): TLInstancePresence['id'] {
	return InstancePresenceRecordType.createId(`awareness-${clientId}`)
}

/**
 * The presence records the other clients' awareness states describe, validated with the store's schema.
 * States without a presence (the server's own state, viewers) are skipped; so is an invalid one, reported
 * through `onInvalid` with its client id.
 */
export function presenceRecordsFromStates(
	store: TLStore,
	states: ReadonlyMap<number, unknown>,
	localClientId: number,
	onInvalid?: (clientId: number, error: unknown) => void
): Map<TLInstancePresence['id'], TLInstancePresence> {
	const records = new Map<TLInstancePresence['id'], TLInstancePresence>()
	for (const [clientId, state] of states) {
		if (clientId === localClientId || !state || typeof state !== 'object') continue
		const presence = (state as Record<string, unknown>)[PRESENCE_FIELD]
		if (!presence || typeof presence !== 'object') continue
		const id = presenceIdForClient(clientId)
		try {
			const candidate = { ...(presence as object), id, typeName: 'instance_presence' } as TLInstancePresence
			const valid = store.schema.validateRecord(store, candidate, 'createRecord', null) as TLInstancePresence
			records.set(id, valid)
		} catch (error) {
			onInvalid?.(clientId, error)
		}
	}
	return records
}

/** What to put and remove so the store's presence records are exactly `next`. */
export function diffPresence(
	current: readonly TLInstancePresence[],
	next: ReadonlyMap<TLInstancePresence['id'], TLInstancePresence>
): { puts: TLInstancePresence[]; removes: TLInstancePresence['id'][] } {
	const byId = new Map(current.map((r) => [r.id, r]))
	const puts: TLInstancePresence[] = []
	for (const [id, record] of next) {
		const existing = byId.get(id)
		if (!existing || JSON.stringify(existing) !== JSON.stringify(record)) puts.push(record)
	}
	const removes = current.filter((r) => !next.has(r.id)).map((r) => r.id)
	return { puts, removes }
}

/** Options of {@link startPresence}. */
export interface PresenceOptions {
	store: TLStore
	awareness: Awareness
	/** The local user (`user:` record): name and colour of the cursor. */
	$user: Signal<TLUser>
	role: AwarenessUser['role']
	/** Whether this client shows its own cursor to others; viewers only watch. Default true. */
	broadcast?: boolean
	throttleMs?: number
}

function presenceRecords(store: TLStore): TLInstancePresence[] {
	return store.query.records('instance_presence').get()
}

/**
 * Starts presence for one board: publishes the local presence (throttled) and mirrors the other clients'
 * presence into the store, removing a client's record when it leaves (y-websocket drops the states of a lost
 * connection; awareness times out silent clients after 30 s). Returns the stop function, which also removes
 * every presence record it put and clears the local presence.
 */
export function startPresence(options: PresenceOptions): () => void {
	const { store, awareness, $user, role, broadcast = true, throttleMs = PRESENCE_THROTTLE_MS } = options
	const warned = new Set<number>()
	let stopped = false

	const syncRemote = () => {
		if (stopped) return
		const next = presenceRecordsFromStates(store, awareness.getStates(), awareness.clientID, (clientId, error) => {
			if (warned.has(clientId)) return
			warned.add(clientId)
			console.warn(`[kompasbord] ignored invalid presence of client ${clientId}:`, error)
		})
		const { puts, removes } = diffPresence(presenceRecords(store), next)
		if (!puts.length && !removes.length) return
		store.mergeRemoteChanges(() => {
			if (removes.length) store.remove(removes)
			if (puts.length) store.put(puts)
		})
	}
	awareness.on('change', syncRemote)
	syncRemote()

	// Local presence, throttled: at most one awareness update per `throttleMs`, always ending on the latest.
	let timer: ReturnType<typeof setTimeout> | null = null
	let lastSent = 0
	let latest: TLInstancePresence | null = null
	const send = () => {
		timer = null
		lastSent = Date.now()
		const user = $user.get()
		awareness.setLocalState({
			...(awareness.getLocalState() ?? {}),
			[USER_FIELD]: { name: user.name, color: user.color, role } satisfies AwarenessUser,
			[PRESENCE_FIELD]: broadcast ? latest : null,
		})
	}
	const schedule = () => {
		if (stopped || timer) return
		const wait = Math.max(0, lastSent + throttleMs - Date.now())
		timer = setTimeout(send, wait)
	}

	const $presence = createPresenceStateDerivation($user, { instanceId: presenceIdForClient(awareness.clientID) })(store)
	const stopReacting = react('kompasbord presence', () => {
		latest = broadcast ? $presence.get() : null
		// Name and colour changes are sent too ($user is read inside the derivation).
		$user.get()
		schedule()
	})

	return () => {
		stopped = true
		stopReacting()
		if (timer) clearTimeout(timer)
		awareness.off('change', syncRemote)
		const local = awareness.getLocalState()
		if (local) awareness.setLocalState({ ...local, [PRESENCE_FIELD]: null })
		const mine = presenceRecords(store).map((r) => r.id)
		if (mine.length) store.mergeRemoteChanges(() => store.remove(mine))
	}
}
