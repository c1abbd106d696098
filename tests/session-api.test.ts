import { describe, expect, it } from 'vitest'
import { timerDisplaySeconds } from '@kompasbord/shared/session-timer'
import type { SessionAnswer, TimerState } from '@kompasbord/shared'
import { waitFor } from './support/wait-for'
import {
	freshId,
	nextDocState,
	openClient,
	openParticipant,
	participantToken,
	sessionOf,
	useInProcessServer,
} from './session-helpers'

const ctx = useInProcessServer()

async function patch(roomId: string, key: string | undefined, body: unknown) {
	return ctx.client.request<SessionAnswer & { error?: { code: string } }>('PATCH', `/api/rooms/${roomId}/session`, {
		body,
		facilitatorKey: key,
	})
}

describe('PATCH /api/rooms/:roomId/session', () => {
	it('is for the facilitator only: 401 without a key, 403 with a wrong one or the join code, 404 for no room', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		expect((await patch(room.roomId, undefined, { phase: 'voting' })).status).toBe(401)
		const wrong = await patch(room.roomId, 'x'.repeat(30), { phase: 'voting' })
		expect(wrong.status).toBe(403)
		expect(wrong.body.error?.code).toBe('forbidden')
		expect((await patch(room.roomId, room.joinCode, { phase: 'voting' })).status).toBe(403)
		expect((await patch('no-such-room', room.facilitatorKey, { phase: 'voting' })).status).toBe(404)
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('open')
	})

	it('refuses bad bodies with a clear 400 and changes nothing', async () => {
		const room = await ctx.client.createRoom('blanco')
		for (const body of [
			{ phase: 'party' },
			{ votesPerParticipant: 0 },
			{ votesPerParticipant: 2.5 },
			{ timerSeconds: -5 },
			{ timer: 'rewind' },
			{},
		]) {
			const res = await patch(room.roomId, room.facilitatorKey, body)
			expect(res.status, JSON.stringify(body)).toBe(400)
			expect(res.body.error?.code).toBeTruthy()
		}
		const raw = await fetch(`${ctx.server.baseUrl}/api/rooms/${room.roomId}/session`, {
			method: 'PATCH',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${room.facilitatorKey}` },
			body: '{"phase":',
		})
		expect(raw.status).toBe(400)
		const state = (await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`)).body
		expect(state).toMatchObject({ phase: 'open', votesPerParticipant: 3, structureLocked: true })
	})

	it('answers 200 with the session state and shows every change live on a board', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openParticipant(ctx, room)
		const res = await patch(room.roomId, room.facilitatorKey, {
			phase: 'voting',
			votesPerParticipant: 5,
			structureLocked: false,
		})
		expect(res.status).toBe(200)
		expect(res.body).toMatchObject({
			roomId: room.roomId,
			phase: 'voting',
			votesPerParticipant: 5,
			structureLocked: false,
		})
		expect(typeof res.body.serverNow).toBe('number')
		const session = sessionOf(board.doc)
		await nextDocState(
			board.doc,
			() => session.toJSON(),
			(s) => s.phase === 'voting'
		)
		expect(session.get('votesPerParticipant')).toBe(5)
		expect(session.get('structureLocked')).toBe(false)
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('voting')
	})

	it('runs the timer on the server clock: start, pause, resume, stop', async () => {
		const room = await ctx.client.createRoom('blanco')
		const board = await openParticipant(ctx, room)
		const before = Date.now()
		const started = (await patch(room.roomId, room.facilitatorKey, { timerSeconds: 300 })).body
		expect(started.timer).toMatchObject({ durationSeconds: 300, running: true, remainingSeconds: 300 })
		expect(started.timer.endsAt).toBeGreaterThanOrEqual(before + 300_000)
		expect(started.timer.endsAt).toBeLessThanOrEqual(started.serverNow + 300_000)
		expect(timerDisplaySeconds(started.timer, started.serverNow)).toBe(300)
		const timer = () => sessionOf(board.doc).get('timer') as TimerState | undefined
		await nextDocState(board.doc, timer, (t) => t?.running === true)
		expect(timer()).toEqual(started.timer)

		const paused = (await patch(room.roomId, room.facilitatorKey, { timer: 'pause' })).body
		expect(paused.timer.running).toBe(false)
		expect(paused.timer.endsAt).toBeNull()
		expect(paused.timer.remainingSeconds).toBeGreaterThan(290)
		expect(paused.timer.remainingSeconds).toBeLessThanOrEqual(300)
		await nextDocState(board.doc, timer, (t) => t?.running === false)

		const resumed = (await patch(room.roomId, room.facilitatorKey, { timer: 'start' })).body
		expect(resumed.timer.running).toBe(true)
		expect(resumed.timer.endsAt! - resumed.serverNow).toBeLessThanOrEqual(
			Math.ceil(paused.timer.remainingSeconds * 1000)
		)

		const stopped = (await patch(room.roomId, room.facilitatorKey, { timer: 'stop' })).body
		expect(stopped.timer).toEqual({ durationSeconds: 300, endsAt: null, remainingSeconds: 300, running: false })
		const cleared = (await patch(room.roomId, room.facilitatorKey, { timerSeconds: null })).body
		expect(cleared.timer.durationSeconds).toBe(0)
		const noTimer = await patch(room.roomId, room.facilitatorKey, { timer: 'start' })
		expect(noTimer.status).toBe(409)
		expect(noTimer.body.error?.code).toBe('no_timer')
	})

	it('carries the server clock for offset correction in the session answer', async () => {
		const room = await ctx.client.createRoom('blanco')
		const sentAt = Date.now()
		const res = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`)
		const receivedAt = Date.now()
		expect(res.body.serverNow).toBeGreaterThanOrEqual(sentAt)
		expect(res.body.serverNow).toBeLessThanOrEqual(receivedAt)
		expect(res.headers.get('cache-control')).toBe('no-store')
	})
})

describe('GET /api/rooms/:roomId/session', () => {
	it('long-polls: answers at once for an old tag, and waits for the next change otherwise', async () => {
		const room = await ctx.client.createRoom('blanco')
		const first = (await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`)).body
		const stale = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session?wait=20&tag=stale`)
		expect(stale.body.tag).toBe(first.tag)
		const phone = await participantToken(ctx.client, room, freshId('phone'))
		const waiting = ctx.client.request<SessionAnswer>(
			'GET',
			`/api/rooms/${room.roomId}/session?wait=20&tag=${first.tag}`,
			{ token: phone }
		)
		// The poll is parked on the room's session map once the server has seen the phone.
		await waitFor(async () => {
			const res = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, {
				facilitatorKey: room.facilitatorKey,
			})
			return res.body.connected?.phones === 1
		})
		await patch(room.roomId, room.facilitatorKey, { phase: 'private' })
		const changed = await waiting
		expect(changed.body.phase).toBe('private')
		expect(changed.body.tag).not.toBe(first.tag)
	})

	it('tells the facilitator who is connected: participant boards, phones, viewers', async () => {
		const room = await ctx.client.createRoom('blanco')
		const count = async () =>
			(
				await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, {
					facilitatorKey: room.facilitatorKey,
				})
			).body.connected
		expect(await count()).toEqual({ participants: 0, boards: 0, phones: 0, viewers: 0, facilitators: 0 })
		const phoneA = freshId('phone')
		await openParticipant(ctx, room, phoneA)
		await openParticipant(ctx, room)
		await openClient(ctx.server.wsUrl, room.roomId, { viewToken: room.viewToken })
		await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await ctx.client.request('GET', `/api/rooms/${room.roomId}/session`, {
			token: await participantToken(ctx.client, room, phoneA),
		})
		await ctx.client.request('GET', `/api/rooms/${room.roomId}/session`, {
			token: await participantToken(ctx.client, room, freshId('phone')),
		})
		// Phone A also has a board open: one person.
		expect(await count()).toEqual({ participants: 3, boards: 2, phones: 2, viewers: 1, facilitators: 1 })
		// Only the facilitator sees it.
		const plain = (await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`)).body
		expect(plain.connected).toBeUndefined()
		expect(plain.joinCode).toBeUndefined()
	})
})

describe('closing a session', () => {
	it('makes the join code fail, the room report closed, the board read-only and note posts fail; reopening undoes it', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		expect((await ctx.client.join(room.joinCode)).roomId).toBe(room.roomId)
		const board = await openParticipant(ctx, room)
		const writer = await participantToken(ctx.client, room, 'writer')
		const closed = await patch(room.roomId, room.facilitatorKey, { phase: 'closed' })
		expect(closed.status).toBe(200)
		expect(closed.body.phase).toBe('closed')
		await nextDocState(
			board.doc,
			() => sessionOf(board.doc).get('phase'),
			(p) => p === 'closed'
		)

		const join = await ctx.client.request<{ error: { code: string; message: string } }>(
			'GET',
			`/api/join/${room.joinCode}`
		)
		expect(join.status).toBe(404)
		expect(join.body.error.code).toBe('session_closed')
		expect(join.body.error.message).toMatch(/closed/i)
		const unknown = await ctx.client.request<{ error: { code: string } }>('GET', '/api/join/ZZZZZZ')
		expect(unknown.body.error.code).toBe('join_code_not_found')
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('closed')
		const post = await ctx.client.request<{ error: { code: string } }>('POST', `/api/rooms/${room.roomId}/notes`, {
			body: { zoneId: 'dos', text: 'Te laat', clientNoteId: freshId('n') },
			token: writer,
		})
		expect(post.status).toBe(409)
		expect(post.body.error.code).toBe('session_closed')
		// The room stays closed after it is unloaded and loaded again (closedAt is stored).
		const session = (await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`)).body
		expect(session.phase).toBe('closed')

		const reopened = await patch(room.roomId, room.facilitatorKey, { phase: 'open' })
		expect(reopened.body.phase).toBe('open')
		expect((await ctx.client.join(reopened.body.joinCode!)).roomId).toBe(room.roomId)
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('open')
	})
})
