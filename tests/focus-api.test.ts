/**
 * Focus (issue 18): the facilitator puts one note or theme on every screen and steps through the zone. Only the
 * facilitator may; unknown, hidden or unfocusable shapes are refused; boards see the focus in the doc's session
 * map, phones get the focused item's text and dots in the session answer; leaving clears it.
 */
import { describe, expect, it } from 'vitest'
import type { FocusAnswer, SessionAnswer } from '@kompasbord/shared'
import { FOCUS_KEY, readFocusTarget } from '@kompasbord/shared/focus'
import { freshId, nextDocState, openClient, participantToken, sessionOf, useInProcessServer } from './session-helpers'

const ctx = useInProcessServer()
const auth = (key: string) => ({ authorization: `Bearer ${key}` })
type Answer = FocusAnswer & { error?: { code: string } }

const put = (roomId: string, key: string | undefined, body: unknown) =>
	ctx.client.request<Answer>('PUT', `/api/rooms/${roomId}/focus`, { body, facilitatorKey: key })
const session = async (roomId: string, query = '') =>
	(await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${roomId}/session${query}`)).body

async function roomWithNotes(texts: string[]) {
	const room = await ctx.client.createRoom('dos-en-donts')
	const ids: string[] = []
	for (const text of texts) {
		const posted = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text, clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, freshId('p'))
		)
		ids.push(posted.noteId)
	}
	return { room, ids }
}

describe('PUT /api/rooms/:roomId/focus', () => {
	it('is for the facilitator only: 401 without a key, 403 with a wrong one or the join code', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken'])
		const body = { mode: 'show', targetId: ids[0] }
		expect((await put(room.roomId, undefined, body)).status).toBe(401)
		const wrong = await put(room.roomId, 'x'.repeat(30), body)
		expect(wrong.status).toBe(403)
		expect(wrong.body.error?.code).toBe('forbidden')
		expect((await put(room.roomId, room.joinCode, body)).status).toBe(403)
		expect((await put(freshId('room'), room.facilitatorKey, body)).status).toBe(404)
		expect((await session(room.roomId)).focus).toBeUndefined()
	})

	it('refuses bad bodies, unknown and hidden notes and shapes that are no note or theme', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken', 'Scheldwoorden'])
		for (const body of [{}, { mode: 'party' }, { mode: 'show' }, { mode: 'show', targetId: '<b>' }, { mode: 'next' }]) {
			const res = await put(room.roomId, room.facilitatorKey, body)
			expect(res.status, JSON.stringify(body)).toBe(400)
			expect(res.body.error?.code, JSON.stringify(body)).toBeTruthy()
		}
		const unknown = await put(room.roomId, room.facilitatorKey, { mode: 'show', targetId: 'shape:nergens' })
		expect(unknown.status).toBe(404)
		expect(unknown.body.error?.code).toBe('note_not_found')
		const zone = await put(room.roomId, room.facilitatorKey, { mode: 'show', targetId: 'shape:zone-dos' })
		expect([400, 404]).toContain(zone.status)
		const hide = await ctx.client.request('POST', `/api/rooms/${room.roomId}/moderation/notes/${ids[1]}/hide`, {
			headers: auth(room.facilitatorKey),
		})
		expect(hide.status).toBe(200)
		const hidden = await put(room.roomId, room.facilitatorKey, { mode: 'show', targetId: ids[1] })
		expect(hidden.status).toBe(404)
		expect((await session(room.roomId)).focus).toBeUndefined()
	})

	it('puts a note on every screen with its dots, steps by dots after voting, and leaving clears it', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken', 'Meldpunt voor jongeren', 'Budget voor drie jaar'])
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 5 })
		const vote = async (noteId: string, name: string) =>
			ctx.client.request('POST', `/api/rooms/${room.roomId}/votes`, {
				body: { noteId },
				token: await participantToken(ctx.client, room, name),
			})
		const p1 = freshId('p')
		const p2 = freshId('p')
		for (const [noteId, who] of [
			[ids[1], p1],
			[ids[1], p2],
			[ids[1], p1],
			[ids[2], p2],
		]) {
			expect((await vote(noteId, who)).status).toBe(201)
		}
		const board = await openClient(ctx.server.wsUrl, room.roomId)
		const target = () => readFocusTarget(sessionOf(board.doc).get(FOCUS_KEY))
		const before = await session(room.roomId)

		// Most dots first: Meldpunt (3), Budget (1), Ouders (0).
		const shown = await put(room.roomId, room.facilitatorKey, { mode: 'show', targetId: ids[1] })
		expect(shown.status).toBe(200)
		expect(shown.body.focus).toMatchObject({ targetId: ids[1], kind: 'note', text: 'Meldpunt voor jongeren', dots: 3 })
		await nextDocState(board.doc, target, (t) => t === ids[1])
		const phone = (
			await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, {
				token: await participantToken(ctx.client, room, p1),
			})
		).body
		expect(phone.focus).toMatchObject({ targetId: ids[1], text: 'Meldpunt voor jongeren', dots: 3, zoneId: 'dos' })
		expect(phone.tag).not.toBe(before.tag)

		// A phone's long poll wakes when a dot lands on the focused note.
		const polling = session(room.roomId, `?wait=20&tag=${encodeURIComponent(phone.tag)}`)
		expect((await vote(ids[1], p2)).status).toBe(201)
		expect((await polling).focus).toMatchObject({ targetId: ids[1], dots: 4 })

		const next = await put(room.roomId, room.facilitatorKey, { mode: 'next' })
		expect(next.body.focus).toMatchObject({ targetId: ids[2], text: 'Budget voor drie jaar', dots: 1 })
		await nextDocState(board.doc, target, (t) => t === ids[2])
		expect((await put(room.roomId, room.facilitatorKey, { mode: 'next' })).body.focus?.targetId).toBe(ids[0])
		// Clamped at the end.
		expect((await put(room.roomId, room.facilitatorKey, { mode: 'next' })).body.focus?.targetId).toBe(ids[0])
		expect((await put(room.roomId, room.facilitatorKey, { mode: 'previous' })).body.focus?.targetId).toBe(ids[2])
		expect((await session(room.roomId)).focus?.text).toBe('Budget voor drie jaar')

		const off = await put(room.roomId, room.facilitatorKey, { mode: 'off' })
		expect(off.status).toBe(200)
		expect(off.body.focus).toBeNull()
		await nextDocState(board.doc, target, (t) => t === null)
		expect((await session(room.roomId)).focus).toBeUndefined()
	})

	it('puts a theme in focus with the dots of its notes together', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken', 'Voorlichting voor ouders', 'Budget'])
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 5 })
		const p = freshId('p')
		for (const noteId of [ids[0], ids[1], ids[1]]) {
			await ctx.client.request('POST', `/api/rooms/${room.roomId}/votes`, {
				body: { noteId },
				token: await participantToken(ctx.client, room, p),
			})
		}
		const created = await ctx.client.request<{ themeId: string }>('POST', `/api/rooms/${room.roomId}/themes`, {
			headers: auth(room.facilitatorKey),
			body: { zoneId: 'dos', label: 'Ouders', noteIds: [ids[0], ids[1]] },
		})
		expect(created.status).toBe(201)
		const res = await put(room.roomId, room.facilitatorKey, { mode: 'show', targetId: created.body.themeId })
		expect(res.status).toBe(200)
		expect(res.body.focus).toMatchObject({ kind: 'theme', text: 'Ouders', dots: 3 })
		expect(res.body.focus?.notes.map((n) => n.dots)).toEqual([2, 1])
		// The theme counts as one: the next item is the note outside it.
		expect((await put(room.roomId, room.facilitatorKey, { mode: 'next' })).body.focus?.targetId).toBe(ids[2])
	})

	it('a participant connection cannot set focus through the doc', async () => {
		const { room, ids } = await roomWithNotes(['Ouders betrekken'])
		const participant = await openClient(ctx.server.wsUrl, room.roomId)
		sessionOf(participant.doc).set(FOCUS_KEY, { targetId: ids[0] })
		await nextDocState(
			participant.doc,
			() => sessionOf(participant.doc).get(FOCUS_KEY),
			(v) => v === undefined
		)
		expect((await session(room.roomId)).focus).toBeUndefined()
	})
})
