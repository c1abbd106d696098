/**
 * Issue 11, awareness: the server parses every awareness state (an escaped field name is the same field), keeps
 * the facilitator's awareness client id for facilitators after a reconnect, and caps the states and bytes one
 * socket may register — and presence keeps working for everyone else.
 */
import { describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import { FACILITATOR_FIELD, readFacilitatorPresence } from '@kompasbord/shared/session-awareness'
import { MAX_AWARENESS_STATE_BYTES, MAX_AWARENESS_STATES_PER_PEER } from '../../server/src/session/awareness-guard'
import { waitFor } from '../support/wait-for'
import { connectYClient } from '../support/y-client'
import { freshId, openClient, useInProcessServer } from '../session-helpers'
import { expectRoomWorks, rawPeer, roundTrip } from './ws-helpers'

const ctx = useInProcessServer()

/** An awareness update (y-protocols encoding) of raw JSON texts, as an attacker writes it. */
function awarenessOf(entries: { clientId: number; clock: number; json: string }[]): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, entries.length)
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId)
		encoding.writeVarUint(encoder, e.clock)
		encoding.writeVarString(encoder, e.json)
	}
	return encoding.toUint8Array(encoder)
}

const summon = {
	viewport: { x: 0, y: 0, w: 10, h: 10 },
	viewportAt: Date.now(),
	summon: { seq: 99, bounds: { x: 0, y: 0, w: 10, h: 10 } },
}

describe('awareness', () => {
	it('an escaped facilitator field (kompasbord\\u0046acilitator) is parsed, and stripped from a participant', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openClient(ctx.server.wsUrl, room.roomId)
		const attacker = await rawPeer(ctx.server, room.roomId)
		const clientId = 4_000_001
		const escaped = FACILITATOR_FIELD.replace('F', '\\u0046')
		expect(escaped).not.toBe(FACILITATOR_FIELD)
		attacker.sendAwareness(
			awarenessOf([{ clientId, clock: 1, json: `{"user":{"name":"Niemand"},"${escaped}":${JSON.stringify(summon)}}` }])
		)
		await waitFor(() => board.provider.awareness.getStates().has(clientId), { message: "the attacker's presence" })
		const state = board.provider.awareness.getStates().get(clientId)
		expect(readFacilitatorPresence(state)).toBeNull()
		expect(state).toEqual({ user: { name: 'Niemand' } })
		expect(ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates().get(clientId)).toEqual({
			user: { name: 'Niemand' },
		})
	})

	it("a participant cannot take over the facilitator's awareness id after the facilitator reconnects", async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openClient(ctx.server.wsUrl, room.roomId)
		const facilitator = connectYClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await facilitator.waitForSync()
		const fid = facilitator.doc.clientID
		facilitator.provider.awareness.setLocalStateField(FACILITATOR_FIELD, {
			viewport: null,
			viewportAt: 1,
			summon: null,
		})
		await waitFor(() => board.provider.awareness.getStates().has(fid), { message: "the facilitator's presence" })
		facilitator.destroy()
		await waitFor(() => !ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates().has(fid), {
			message: "the facilitator's presence removed",
		})
		const attacker = await rawPeer(ctx.server, room.roomId)
		attacker.sendAwareness(
			awarenessOf([{ clientId: fid, clock: 50, json: JSON.stringify({ user: { name: 'Facilitator' } }) }])
		)
		await roundTrip(attacker)
		expect(ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates().has(fid)).toBe(false)
		expect(board.provider.awareness.getStates().has(fid)).toBe(false)
	})

	it('one socket cannot register 1000 presences of 18 KB', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openClient(ctx.server.wsUrl, room.roomId, { pid: freshId('p') })
		const attacker = await rawPeer(ctx.server, room.roomId)
		const big = JSON.stringify({ user: { name: 'x'.repeat(18_000) } })
		for (let batch = 0; batch < 100; batch++) {
			const entries = []
			for (let i = 0; i < 10; i++) entries.push({ clientId: 5_000_000 + batch * 10 + i, clock: 1, json: big })
			attacker.sendAwareness(awarenessOf(entries))
		}
		await roundTrip(attacker)
		const states = ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates()
		let fromAttacker = 0
		let bytes = 0
		for (const [id, state] of states ?? []) {
			if (id >= 5_000_000 && id < 5_001_000) {
				fromAttacker++
				bytes += JSON.stringify(state).length
			}
		}
		expect(fromAttacker).toBeLessThanOrEqual(MAX_AWARENESS_STATES_PER_PEER)
		expect(bytes).toBeLessThanOrEqual(MAX_AWARENESS_STATES_PER_PEER * MAX_AWARENESS_STATE_BYTES)
		// Presence still works for the others.
		board.provider.awareness.setLocalStateField('user', { name: 'Gewoon' })
		const other = await openClient(ctx.server.wsUrl, room.roomId)
		await waitFor(
			() =>
				(other.provider.awareness.getStates().get(board.doc.clientID) as { user?: { name?: string } })?.user?.name ===
				'Gewoon'
		)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})
})
