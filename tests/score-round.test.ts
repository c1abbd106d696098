/**
 * Score rounds (issue 16): the facilitator starts a round on a board whose template declares one, participants
 * give each part a mark through the API as real joined participants, the server refuses what is not a valid
 * mark, the board's session map holds the spread (counts only, never who gave what), phones see it in the
 * session answer, the reports carry it, and deleting the room deletes the marks.
 */
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import type { MyScores, ScoreRoundAnswer, SessionAnswer } from '@kompasbord/shared'
import { readScoreRound, SCORE_ROUND_KEY, scoreSpread } from '@kompasbord/shared/score-round'
import type { SqliteRoomStore } from '../server/src/store/sqlite-room-store'
import type { CreatedRoom } from './support/api'
import {
	freshId,
	nextDocState,
	openParticipant,
	participantToken,
	sessionOf,
	useInProcessServer,
} from './session-helpers'

type Answer<T> = T & { error?: { code: string; message: string } }

const ctx = useInProcessServer()
const PARTS = ['vraagstuk', 'belangen', 'relatie', 'organisatie', 'proces']

/** Starts or closes the round with the room's facilitator key, another key, or (null) none. */
const setRound = (room: CreatedRoom, action: unknown, key: string | null = room.facilitatorKey) =>
	ctx.client.request<Answer<ScoreRoundAnswer>>('PUT', `/api/rooms/${room.roomId}/score-round`, {
		body: { action },
		...(key ? { facilitatorKey: key } : {}),
	})

const give = async (room: CreatedRoom, name: string, zoneId: unknown, score: unknown) =>
	ctx.client.request<Answer<MyScores>>('PUT', `/api/rooms/${room.roomId}/scores`, {
		body: { zoneId, score },
		token: await participantToken(ctx.client, room, name),
	})

const counts = (marks: number[]) => Array.from({ length: 10 }, (_, i) => marks.filter((m) => m === i + 1).length)

describe('score rounds', () => {
	it('takes one mark per participant per part, changeable while open, and shows the spread on every board', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek')
		const board = await openParticipant(ctx, room)
		const started = await setRound(room, 'start')
		expect(started.status).toBe(200)
		expect(started.body.scoreRound).toMatchObject({ status: 'open', min: 1, max: 10, closedAt: null })
		expect(started.body.scoreRound!.parts.map((p) => p.zoneId)).toEqual(PARTS)

		const marks: Record<string, [string, number][]> = {
			anna: [
				['relatie', 7],
				['proces', 4],
			],
			bram: [
				['relatie', 3],
				['proces', 9],
			],
			cas: [['relatie', 9]],
			dewi: [['relatie', 7]],
		}
		for (const [name, list] of Object.entries(marks)) {
			for (const [zoneId, score] of list) expect((await give(room, name, zoneId, score)).status).toBe(200)
		}
		// Bram changes his mind: his mark replaces the earlier one.
		const changed = await give(room, 'bram', 'relatie', 6)
		expect(changed.status).toBe(200)
		expect(changed.body.mine).toEqual({ relatie: 6, proces: 9 })

		const relatie = counts([7, 6, 9, 7])
		const onBoard = await nextDocState(
			board.doc,
			() => readScoreRound(sessionOf(board.doc).get(SCORE_ROUND_KEY)),
			(round) => JSON.stringify(round?.parts.find((p) => p.zoneId === 'relatie')?.counts) === JSON.stringify(relatie)
		)
		expect(onBoard!.parts.find((p) => p.zoneId === 'proces')!.counts).toEqual(counts([4, 9]))
		expect(onBoard!.parts.find((p) => p.zoneId === 'belangen')!.counts).toEqual(counts([]))
		expect(scoreSpread(relatie, 1)).toEqual({ n: 4, median: 7, low: 6, high: 9 })
		// The doc holds counts only: no participant id or name anywhere in the round.
		const token = await participantToken(ctx.client, room, 'anna')
		const annaId = token.split('.')[1]!
		expect(JSON.stringify(sessionOf(board.doc).toJSON())).not.toContain(annaId)

		// A phone sees the round in the session answer, and its own marks.
		const session = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, { token })
		expect(session.body.scoreRound?.parts.find((p) => p.zoneId === 'relatie')?.counts).toEqual(relatie)
		const mine = await ctx.client.request<MyScores>('GET', `/api/rooms/${room.roomId}/scores`, { token })
		expect(mine.status).toBe(200)
		expect(mine.body.mine).toEqual({ relatie: 7, proces: 4 })

		// Closed: the spread stays, no more marks.
		const closed = await setRound(room, 'close')
		expect(closed.body.scoreRound).toMatchObject({ status: 'closed' })
		expect(closed.body.scoreRound!.closedAt).toEqual(expect.any(Number))
		const late = await give(room, 'anna', 'relatie', 10)
		expect(late.status).toBe(409)
		expect(late.body.error?.code).toBe('score_round_closed')
		expect(
			(await ctx.client.request<MyScores>('GET', `/api/rooms/${room.roomId}/scores`, { token })).body.mine
		).toEqual({ relatie: 7, proces: 4 })

		// A new round starts empty.
		const again = await setRound(room, 'start')
		expect(again.body.scoreRound!.parts.every((p) => p.counts.every((c) => c === 0))).toBe(true)
		expect(
			(await ctx.client.request<MyScores>('GET', `/api/rooms/${room.roomId}/scores`, { token })).body.mine
		).toEqual({})
	})

	it('refuses invalid marks with 4xx: no token, wrong room, bad part, out of range, not a whole number, no round', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek')
		const other = await ctx.client.createRoom('samenwerking-in-gesprek')
		const before = await give(room, 'eva', 'relatie', 5)
		expect(before.status).toBe(409)
		expect(before.body.error?.code).toBe('no_score_round')
		await setRound(room, 'start')

		const anonymous = await ctx.client.request(`PUT`, `/api/rooms/${room.roomId}/scores`, {
			body: { zoneId: 'relatie', score: 5 },
		})
		expect(anonymous.status).toBe(401)
		const otherToken = await participantToken(ctx.client, other, 'eva')
		const wrongRoom = await ctx.client.request(`PUT`, `/api/rooms/${room.roomId}/scores`, {
			body: { zoneId: 'relatie', score: 5 },
			token: otherToken,
		})
		expect([401, 403]).toContain(wrongRoom.status)
		const forged = await ctx.client.request(`PUT`, `/api/rooms/${room.roomId}/scores`, {
			body: { zoneId: 'relatie', score: 5 },
			token: 'p1.someone.1.bad',
		})
		expect([401, 403]).toContain(forged.status)

		for (const [zoneId, score, code] of [
			['relatie', 0, 'score_out_of_range'],
			['relatie', 11, 'score_out_of_range'],
			['reflectie', 5, 'unknown_part'],
			['bestaat-niet', 5, 'unknown_part'],
		] as const) {
			const res = await give(room, 'eva', zoneId, score)
			expect(res.status, `${zoneId} ${score}`).toBe(400)
			expect(res.body.error?.code).toBe(code)
		}
		for (const body of [{ zoneId: 'relatie', score: 7.5 }, { zoneId: 'relatie', score: 101 }, { zoneId: 'relatie' }]) {
			const res = await ctx.client.request<Answer<object>>('PUT', `/api/rooms/${room.roomId}/scores`, {
				body,
				token: await participantToken(ctx.client, room, 'eva'),
			})
			expect(res.status, JSON.stringify(body)).toBe(400)
		}
		// Nothing of it counted.
		const round = readScoreRound(sessionOf(ctx.server.app.rooms.peek(room.roomId)!.doc).get(SCORE_ROUND_KEY))
		expect(round!.parts.every((p) => p.counts.every((c) => c === 0))).toBe(true)

		// A closed session takes no marks either.
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'closed' })
		const closedSession = await give(room, 'eva', 'relatie', 5)
		expect(closedSession.status).toBe(409)
		expect(closedSession.body.error?.code).toBe('session_closed')
	})

	it('lets only the facilitator start and close a round, and only on a template with one', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek')
		expect((await setRound(room, 'start', null)).status).toBe(401)
		expect((await setRound(room, 'start', 'wrong-key-0123456789')).status).toBe(403)
		const participant = await ctx.client.request('PUT', `/api/rooms/${room.roomId}/score-round`, {
			body: { action: 'start' },
			token: await participantToken(ctx.client, room, 'fien'),
		})
		expect(participant.status).toBe(403)
		expect((await setRound(room, 'pause')).status).toBe(400)
		const closeNothing = await setRound(room, 'close')
		expect(closeNothing.status).toBe(409)
		expect(closeNothing.body.error?.code).toBe('no_score_round')
		const blanco = await ctx.client.createRoom('blanco')
		const none = await setRound(blanco, 'start')
		expect(none.status).toBe(400)
		expect(none.body.error?.code).toBe('no_score_round')
		expect(
			(await ctx.client.request('PUT', '/api/rooms/no-such-room/score-round', { body: { action: 'start' } })).status
		).toBe(404)
	})

	it('wakes a phone’s long poll when a mark comes in', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek')
		await setRound(room, 'start')
		const token = await participantToken(ctx.client, room, 'gijs')
		const first = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, { token })
		const started = Date.now()
		const poll = ctx.client.request<SessionAnswer>(
			'GET',
			`/api/rooms/${room.roomId}/session?wait=20&tag=${encodeURIComponent(first.body.tag)}`,
			{ token }
		)
		await give(room, 'hanna', 'belangen', 8)
		const woken = await poll
		expect(Date.now() - started).toBeLessThan(15_000)
		expect(woken.body.tag).not.toBe(first.body.tag)
		expect(woken.body.scoreRound!.parts.find((p) => p.zoneId === 'belangen')!.counts).toEqual(counts([8]))
	})

	it('puts the spread per part in every report format', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek', { title: 'Evaluatie samenwerking' })
		await setRound(room, 'start')
		for (const [name, score] of [
			['ivo', 6],
			['jet', 7],
			['kim', 3],
			['lars', 9],
		] as const) {
			expect((await give(room, name, 'organisatie', score)).status).toBe(200)
		}
		await setRound(room, 'close')

		const json = (await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'json')).json()) as {
			zones: { id: string; scores?: Record<string, unknown> }[]
		}
		const organisatie = json.zones.find((z) => z.id === 'organisatie')!
		expect(organisatie.scores).toEqual({
			min: 1,
			max: 10,
			open: false,
			n: 4,
			median: 6.5,
			low: 3,
			high: 9,
			counts: counts([6, 7, 3, 9]),
		})
		expect(json.zones.find((z) => z.id === 'reflectie')!.scores).toBeUndefined()
		expect(json.zones.find((z) => z.id === 'proces')!.scores).toMatchObject({ n: 0, median: null })

		const line = 'Cijfers (1–10): mediaan 6,5, van 3 tot 9, 4 deelnemers · Verdeling: 3: 1×, 6: 1×, 7: 1×, 9: 1×'
		const md = await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'md')).text()
		expect(md).toContain(`**${line}**`)
		expect(md).toContain('Cijfers (1–10): nog geen cijfers')
		const csv = await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'csv')).text()
		expect(csv).toContain(`"organisatie","Organisatie",,"${line}",,"","scores"`)
		const docx = Buffer.from(
			await (await ctx.client.exportRoom(room.roomId, room.facilitatorKey, 'docx')).arrayBuffer()
		)
		const xml = await (await JSZip.loadAsync(docx)).file('word/document.xml')!.async('string')
		expect(xml).toContain(line)
		const en = await ctx.client.request<string>('GET', `/api/rooms/${room.roomId}/export.md?lang=en`, {
			facilitatorKey: room.facilitatorKey,
		})
		expect(en.body).toContain('Marks (1–10): median 6.5, from 3 to 9, 4 participants')
	})

	it('deletes the marks with the room', async () => {
		const room = await ctx.client.createRoom('samenwerking-in-gesprek')
		const keep = await ctx.client.createRoom('samenwerking-in-gesprek')
		for (const r of [room, keep]) {
			await setRound(r, 'start')
			expect((await give(r, freshId('m'), 'proces', 5)).status).toBe(200)
		}
		const db = (ctx.server.app.store as SqliteRoomStore).db
		const rows = (roomId: string) =>
			(db.prepare('SELECT COUNT(*) AS n FROM scores WHERE room_id = ?').get(roomId) as { n: number }).n
		expect(rows(room.roomId)).toBe(1)
		const res = await ctx.client.request('DELETE', `/api/rooms/${room.roomId}`, { facilitatorKey: room.facilitatorKey })
		expect(res.status).toBe(204)
		expect(rows(room.roomId)).toBe(0)
		expect(rows(keep.roomId)).toBe(1)
	})
})
