import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import { FACILITATOR_FIELD, SERVER_FIELD } from '@kompasbord/shared/session-awareness'
import type { Room, RoomPeer } from '../rooms/room'
import { MAX_AWARENESS_STATES_PER_PEER, guardAwarenessUpdate } from './awareness-guard'

function peer(role: RoomPeer['role'], ids: number[] = []): RoomPeer {
	return { role, awarenessClientIds: new Set(ids), send: () => {} }
}

function room(serverId: number, peers: RoomPeer[]): Room {
	return { awareness: { clientID: serverId }, peers: new Set(peers) } as unknown as Room
}

/** An awareness update of one client with the given state (clock 1). */
function update(clientId: number, state: Record<string, unknown>): Uint8Array {
	const doc = new Y.Doc()
	doc.clientID = clientId
	const awareness = new awarenessProtocol.Awareness(doc)
	awareness.setLocalState(state)
	return awarenessProtocol.encodeAwarenessUpdate(awareness, [clientId])
}

function decode(bytes: Uint8Array): Map<number, unknown> {
	const target = new awarenessProtocol.Awareness(new Y.Doc())
	awarenessProtocol.applyAwarenessUpdate(target, bytes, null)
	return target.getStates()
}

describe('guardAwarenessUpdate', () => {
	const summon = { viewport: null, viewportAt: 1, summon: { seq: 1, bounds: { x: 0, y: 0, w: 1, h: 1 } } }

	it('passes ordinary presence through unchanged', () => {
		const bytes = update(5, { user: { name: 'A' } })
		expect(guardAwarenessUpdate(room(1, []), peer('participant'), bytes)).toBe(bytes)
	})

	it('strips the facilitator field from non-facilitators and the server field from everyone', () => {
		const bytes = update(5, { user: { name: 'A' }, [FACILITATOR_FIELD]: summon, [SERVER_FIELD]: true })
		const fromParticipant = guardAwarenessUpdate(room(1, []), peer('participant'), bytes)!
		expect(decode(fromParticipant).get(5)).toEqual({ user: { name: 'A' } })
		const fromFacilitator = guardAwarenessUpdate(room(1, []), peer('facilitator'), bytes)!
		expect(decode(fromFacilitator).get(5)).toEqual({ user: { name: 'A' }, [FACILITATOR_FIELD]: summon })
	})

	it("drops entries for the server's client id and for ids another connection owns", () => {
		const owner = peer('facilitator', [7])
		const attacker = peer('participant')
		expect(guardAwarenessUpdate(room(1, [owner, attacker]), attacker, update(7, { x: 1 }))).toBeNull()
		expect(guardAwarenessUpdate(room(1, [owner, attacker]), attacker, update(1, { x: 1 }))).toBeNull()
		const own = update(7, { x: 2 })
		expect(guardAwarenessUpdate(room(1, [owner, attacker]), owner, own)).toBe(own)
	})

	it('throws on bytes that are not an awareness update', () => {
		expect(() => guardAwarenessUpdate(room(1, []), peer('participant'), new Uint8Array([5, 1]))).toThrow()
	})

	it('parses states: an escaped field name is the same field, and is stripped', () => {
		const escaped = FACILITATOR_FIELD.replace('F', '\\u0046')
		const bytes = raw([{ clientId: 5, json: `{"user":{"name":"A"},"${escaped}":${JSON.stringify(summon)}}` }])
		expect(decode(guardAwarenessUpdate(room(1, []), peer('participant'), bytes)!).get(5)).toEqual({
			user: { name: 'A' },
		})
		expect(guardAwarenessUpdate(room(1, []), peer('participant'), raw([{ clientId: 5, json: '[1,2]' }]))).toBeNull()
	})

	it("caps the states per connection and keeps a facilitator's ids from participants", () => {
		const r = room(1, [])
		const many = raw(Array.from({ length: 10 }, (_, i) => ({ clientId: 100 + i, json: '{"a":1}' })))
		// decode's own awareness counts its local state too.
		expect(decode(guardAwarenessUpdate(r, peer('participant'), many)!).size).toBe(MAX_AWARENESS_STATES_PER_PEER + 1)
		guardAwarenessUpdate(r, peer('facilitator'), update(42, { x: 1 }))
		expect(guardAwarenessUpdate(r, peer('participant'), update(42, { x: 2 }))).toBeNull()
	})
})

/** An awareness update of raw JSON texts (clock 1), as an attacker writes it. */
function raw(entries: { clientId: number; json: string }[]): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, entries.length)
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId)
		encoding.writeVarUint(encoder, 1)
		encoding.writeVarString(encoder, e.json)
	}
	return encoding.toUint8Array(encoder)
}
