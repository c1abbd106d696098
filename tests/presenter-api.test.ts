import { describe, expect, it } from 'vitest'
import { PRESENTER_KEY, readPresenterState, type PresenterState } from '@kompasbord/shared/presenter'
import { freshId, nextDocState, openClient, sessionOf, useInProcessServer } from './session-helpers'

const ctx = useInProcessServer()

async function put(roomId: string, key: string | undefined, body: unknown) {
	return ctx.client.request<PresenterState & { error?: { code: string } }>('PUT', `/api/rooms/${roomId}/presenter`, {
		body,
		facilitatorKey: key,
	})
}

describe('PUT /api/rooms/:roomId/presenter', () => {
	it('is for the facilitator only: 401 without a key, 403 with a wrong one or the join code, 404 for no room', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		expect((await put(room.roomId, undefined, { mode: 'overview' })).status).toBe(401)
		const wrong = await put(room.roomId, 'x'.repeat(30), { mode: 'overview' })
		expect(wrong.status).toBe(403)
		expect(wrong.body.error?.code).toBe('forbidden')
		expect((await put(room.roomId, room.joinCode, { mode: 'zone', zoneId: 'dos' })).status).toBe(403)
		expect((await put(freshId('room'), room.facilitatorKey, { mode: 'overview' })).status).toBe(404)
		const board = await openClient(ctx.server.wsUrl, room.roomId)
		expect(sessionOf(board.doc).get(PRESENTER_KEY)).toBeUndefined()
	})

	it('refuses bad bodies and zones the board does not have with a clear 400', async () => {
		const room = await ctx.client.createRoom('blanco')
		for (const body of [
			{},
			{ mode: 'party' },
			{ mode: 'zone' },
			{ mode: 'zone', zoneId: 'dos' },
			{ mode: 'zone', zoneId: '<b>' },
		]) {
			const res = await put(room.roomId, room.facilitatorKey, body)
			expect(res.status, JSON.stringify(body)).toBe(400)
			expect(res.body.error?.code, JSON.stringify(body)).toBeTruthy()
		}
		expect((await put(room.roomId, room.facilitatorKey, { mode: 'zone', zoneId: 'dos' })).body.error?.code).toBe(
			'unknown_zone'
		)
	})

	it('writes the presenter state into the session map, where every board sees it live', async () => {
		const room = await ctx.client.createRoom('activiteitenmatrix', { columns: 2 })
		const board = await openClient(ctx.server.wsUrl, room.roomId)
		const session = sessionOf(board.doc)
		const shown = () => readPresenterState(session.get(PRESENTER_KEY))
		const res = await put(room.roomId, room.facilitatorKey, { mode: 'zone', zoneId: 'preventie:2' })
		expect(res.status).toBe(200)
		expect(res.body).toEqual({ mode: 'zone', zoneId: 'preventie:2' })
		await nextDocState(board.doc, shown, (s) => s.zoneId === 'preventie:2')
		await put(room.roomId, room.facilitatorKey, { mode: 'overview' })
		await nextDocState(board.doc, shown, (s) => s.mode === 'overview')
		await put(room.roomId, room.facilitatorKey, { mode: 'off' })
		await nextDocState(board.doc, shown, (s) => s.mode === 'off')
	})

	it('a participant connection cannot set it through the doc: the server reverts it before anyone else sees it', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const participant = await openClient(ctx.server.wsUrl, room.roomId)
		const observer = await openClient(ctx.server.wsUrl, room.roomId)
		const seen: unknown[] = []
		sessionOf(observer.doc).observe(() => seen.push(sessionOf(observer.doc).get(PRESENTER_KEY)))
		sessionOf(participant.doc).set(PRESENTER_KEY, { mode: 'zone', zoneId: 'dos' })
		await nextDocState(
			participant.doc,
			() => sessionOf(participant.doc).get(PRESENTER_KEY),
			(v) => v === undefined
		)
		await put(room.roomId, room.facilitatorKey, { mode: 'overview' })
		await nextDocState(
			observer.doc,
			() => readPresenterState(sessionOf(observer.doc).get(PRESENTER_KEY)),
			(s) => s.mode === 'overview'
		)
		expect(seen.filter((v) => readPresenterState(v).mode === 'zone')).toEqual([])
	})
})
