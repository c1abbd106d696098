import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import { atom, createUserId, TLPOINTER_ID, UserRecordType, type TLInstancePresence, type TLUser } from 'tldraw'
import {
	PRESENCE_FIELD,
	USER_FIELD,
	diffPresence,
	presenceIdForClient,
	presenceRecordsFromStates,
	startPresence,
} from './presence'
import { usableStore } from './test-fixtures'

function user(id: string, name: string, color = '#d62828'): TLUser {
	return UserRecordType.create({ id: createUserId(id), name, color })
}

/** Two awareness instances that exchange every update, like two tabs through the server. */
function linkedAwareness(): [Awareness, Awareness] {
	const a = new Awareness(new Y.Doc())
	const b = new Awareness(new Y.Doc())
	const link = (from: Awareness, to: Awareness) =>
		from.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
			if (origin === 'remote') return
			applyAwarenessUpdate(to, encodeAwarenessUpdate(from, [...added, ...updated, ...removed]), 'remote')
		})
	link(a, b)
	link(b, a)
	return [a, b]
}

const cleanups: (() => void)[] = []
afterEach(() => {
	while (cleanups.length) cleanups.pop()!()
	vi.restoreAllMocks()
})

describe('presenceRecordsFromStates', () => {
	it('takes other clients with a valid presence, skipping itself, server states and invalid ones', () => {
		const store = usableStore()
		cleanups.push(() => store.dispose())
		const presence = {
			...store.schema.types.instance_presence.create({
				userId: createUserId('anna'),
				userName: 'Anna',
				color: '#d62828',
				currentPageId: 'page:page' as never,
			}),
		}
		const states = new Map<number, unknown>([
			[1, { [PRESENCE_FIELD]: presence, [USER_FIELD]: { name: 'Anna' } }],
			[2, { kompasbordServer: true, notice: { to: [1] } }],
			[3, { [PRESENCE_FIELD]: { ...presence, cursor: { x: 'far', y: 0 } } }],
			[4, { [PRESENCE_FIELD]: presence }],
			[5, null],
		])
		const invalid: number[] = []
		const records = presenceRecordsFromStates(store, states, 4, (clientId) => invalid.push(clientId))
		expect([...records.keys()]).toEqual([presenceIdForClient(1)])
		expect(records.get(presenceIdForClient(1))).toMatchObject({ userName: 'Anna', typeName: 'instance_presence' })
		expect(invalid).toEqual([3])
	})
})

describe('diffPresence', () => {
	it('puts new and changed records and removes the ones that left', () => {
		const store = usableStore()
		cleanups.push(() => store.dispose())
		const make = (n: number, x: number) =>
			store.schema.types.instance_presence.create({
				id: presenceIdForClient(n),
				userId: createUserId(`u${n}`),
				userName: `U${n}`,
				currentPageId: 'page:page' as never,
				cursor: { x, y: 0, type: 'default', rotation: 0 },
			}) as TLInstancePresence
		const current = [make(1, 0), make(2, 0), make(3, 0)]
		const next = new Map([make(1, 0), make(2, 5), make(4, 0)].map((r) => [r.id, r]))
		const { puts, removes } = diffPresence(current, next)
		expect(puts.map((r) => r.id)).toEqual([presenceIdForClient(2), presenceIdForClient(4)])
		expect(removes).toEqual([presenceIdForClient(3)])
	})
})

describe('startPresence', () => {
	it('shows each board the other one as a collaborator with name, colour and cursor, and removes it when it leaves', async () => {
		const [awarenessA, awarenessB] = linkedAwareness()
		const storeA = usableStore()
		const storeB = usableStore()
		const $anna = atom('anna', user('anna', 'Anna', '#1d4e89'))
		const $bo = atom('bo', user('bo', 'Bo', '#2a9d8f'))
		const stopA = startPresence({
			store: storeA,
			awareness: awarenessA,
			$user: $anna,
			role: 'facilitator',
			throttleMs: 0,
		})
		const stopB = startPresence({
			store: storeB,
			awareness: awarenessB,
			$user: $bo,
			role: 'participant',
			throttleMs: 0,
		})
		cleanups.push(() => {
			stopB()
			storeA.dispose()
			storeB.dispose()
		})

		await vi.waitFor(() => expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toBeDefined())
		expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toMatchObject({
			userId: 'user:anna',
			userName: 'Anna',
			color: '#1d4e89',
		})
		expect(awarenessA.getLocalState()?.[USER_FIELD]).toEqual({ name: 'Anna', color: '#1d4e89', role: 'facilitator' })
		// Own presence is never a record in one's own store.
		expect(storeA.get(presenceIdForClient(awarenessA.clientID))).toBeUndefined()

		// A cursor move reaches the other board.
		storeA.update(TLPOINTER_ID, (p) => ({ ...p, x: 321, y: 123 }))
		await vi.waitFor(() =>
			expect(storeB.get(presenceIdForClient(awarenessA.clientID))?.cursor).toMatchObject({ x: 321, y: 123 })
		)
		// A rename too.
		$anna.set(user('anna', 'Anna B', '#1d4e89'))
		await vi.waitFor(() => expect(storeB.get(presenceIdForClient(awarenessA.clientID))?.userName).toBe('Anna B'))

		// Stopping clears A's presence for B, and A's store no longer holds B.
		stopA()
		await vi.waitFor(() => expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toBeUndefined())
		expect(storeA.query.records('instance_presence').get()).toEqual([])
	})

	it('removes a collaborator whose awareness state is removed (connection lost)', async () => {
		const [awarenessA, awarenessB] = linkedAwareness()
		const storeA = usableStore()
		const storeB = usableStore()
		const stopA = startPresence({
			store: storeA,
			awareness: awarenessA,
			$user: atom('u', user('a', 'A')),
			role: 'participant',
			throttleMs: 0,
		})
		const stopB = startPresence({
			store: storeB,
			awareness: awarenessB,
			$user: atom('u', user('b', 'B')),
			role: 'participant',
			throttleMs: 0,
		})
		cleanups.push(() => {
			stopA()
			stopB()
			storeA.dispose()
			storeB.dispose()
		})
		await vi.waitFor(() => expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toBeDefined())
		removeAwarenessStates(awarenessB, [awarenessA.clientID], 'remote')
		expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toBeUndefined()
	})

	it('a viewer watches without showing a cursor', async () => {
		const [awarenessA, awarenessB] = linkedAwareness()
		const storeA = usableStore()
		const storeB = usableStore()
		const stopA = startPresence({
			store: storeA,
			awareness: awarenessA,
			$user: atom('u', user('v', 'Kijker')),
			role: 'viewer',
			broadcast: false,
			throttleMs: 0,
		})
		const stopB = startPresence({
			store: storeB,
			awareness: awarenessB,
			$user: atom('u', user('b', 'B')),
			role: 'participant',
			throttleMs: 0,
		})
		cleanups.push(() => {
			stopA()
			stopB()
			storeA.dispose()
			storeB.dispose()
		})
		await vi.waitFor(() => expect(storeA.get(presenceIdForClient(awarenessB.clientID))).toBeDefined())
		await vi.waitFor(() =>
			expect(awarenessB.getStates().get(awarenessA.clientID)?.[USER_FIELD]).toMatchObject({ role: 'viewer' })
		)
		expect(awarenessB.getStates().get(awarenessA.clientID)?.[PRESENCE_FIELD]).toBeNull()
		expect(storeB.get(presenceIdForClient(awarenessA.clientID))).toBeUndefined()
	})

	it('throttles cursor updates', async () => {
		const awareness = new Awareness(new Y.Doc())
		const store = usableStore()
		const stop = startPresence({
			store,
			awareness,
			$user: atom('u', user('a', 'A')),
			role: 'participant',
			throttleMs: 10_000,
		})
		cleanups.push(() => {
			stop()
			store.dispose()
		})
		await vi.waitFor(() => expect(awareness.getLocalState()?.[PRESENCE_FIELD]).toBeTruthy())
		const updates: unknown[] = []
		awareness.on('update', () => updates.push(1))
		for (let i = 0; i < 20; i++) store.update(TLPOINTER_ID, (p) => ({ ...p, x: i }))
		// Within the throttle window nothing more is sent.
		expect(updates).toEqual([])
	})
})
