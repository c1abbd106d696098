/**
 * "Iedereen naar mij" and follow mode ride on awareness: the facilitator's state carries its viewport and a
 * summon request; the server lets only facilitator connections carry them. Thirty boards receive both.
 */
import { describe, expect, it } from 'vitest'
import {
	FACILITATOR_FIELD,
	readFacilitatorPresence,
	type FacilitatorPresence,
} from '@kompasbord/shared/session-awareness'
import { waitFor } from './support/wait-for'
import type { YClient } from './support/y-client'
import { openClient, openParticipant, useInProcessServer } from './session-helpers'

const ctx = useInProcessServer()

/** The facilitator presence a board sees, from any facilitator. */
function facilitatorSeenBy(board: YClient): FacilitatorPresence | null {
	for (const state of board.provider.awareness.getStates().values()) {
		const presence = readFacilitatorPresence(state)
		if (presence) return presence
	}
	return null
}

describe('Iedereen naar mij and follow mode', () => {
	it('reaches 30 boards: every board gets each summon and the facilitator viewport as it moves', {
		timeout: 120_000,
	}, async () => {
		const room = await ctx.client.createRoom('veranderverhaal')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const boards = await Promise.all(Array.from({ length: 30 }, () => openParticipant(ctx, room)))
		const set = (presence: FacilitatorPresence) =>
			facilitator.provider.awareness.setLocalStateField(FACILITATOR_FIELD, presence)

		const bounds = { x: 120, y: -40, w: 1600, h: 900 }
		set({ viewport: bounds, viewportAt: 1, summon: { seq: 1, bounds } })
		await waitFor(() => boards.every((b) => facilitatorSeenBy(b)?.summon?.seq === 1), {
			timeout: 30_000,
			message: 'summon 1 on 30 boards',
		})
		expect(boards.every((b) => JSON.stringify(facilitatorSeenBy(b)?.summon?.bounds) === JSON.stringify(bounds))).toBe(
			true
		)

		// The facilitator pans (follow mode tracks it), then summons again.
		for (let i = 1; i <= 10; i++)
			set({ viewport: { ...bounds, x: bounds.x + i * 50 }, viewportAt: 1 + i, summon: { seq: 1, bounds } })
		await waitFor(() => boards.every((b) => facilitatorSeenBy(b)?.viewport?.x === bounds.x + 500), {
			timeout: 30_000,
			message: 'viewport on 30 boards',
		})
		const second = { x: 3000, y: 2000, w: 800, h: 600 }
		set({ viewport: second, viewportAt: 20, summon: { seq: 2, bounds: second } })
		await waitFor(() => boards.every((b) => facilitatorSeenBy(b)?.summon?.seq === 2), {
			timeout: 30_000,
			message: 'summon 2 on 30 boards',
		})
		expect(boards.every((b) => facilitatorSeenBy(b)?.summon?.bounds.x === 3000)).toBe(true)
	})

	it('comes only from the facilitator link: a participant cannot summon anyone', async () => {
		const room = await ctx.client.createRoom('blanco')
		const participant = await openParticipant(ctx, room)
		const other = await openParticipant(ctx, room)
		participant.provider.awareness.setLocalState({
			user: { name: 'Mallory' },
			[FACILITATOR_FIELD]: {
				viewport: { x: 0, y: 0, w: 10, h: 10 },
				viewportAt: 1,
				summon: { seq: 5, bounds: { x: 0, y: 0, w: 10, h: 10 } },
			},
		})
		await waitFor(
			() =>
				(other.provider.awareness.getStates().get(participant.doc.clientID) as { user?: { name: string } } | undefined)
					?.user?.name === 'Mallory'
		)
		expect(facilitatorSeenBy(other)).toBeNull()
	})
})
