/**
 * Dot voting: only during a voting round, the budget enforced by the server (also under concurrent requests),
 * counts on the board, a ranking per zone, and no trace of who voted for what in the shared doc.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { zoneFrameId, type VoteAnswer, type VotingList } from '@kompasbord/shared'
import type { CreatedRoom } from './support/api'
import {
	type JoinableRoom,
	freshId,
	nextDocState,
	openParticipant,
	participantToken,
	useInProcessServer,
	votesOf,
} from './session-helpers'

/** A vote answer, or the error the server sent instead. */
type VoteResult = VoteAnswer & { error?: { code: string; message: string } }

const ctx = useInProcessServer()

/** A dot of the participant `name` (joined on first use) on a note. */
const vote = async (room: JoinableRoom, noteId: string, name: string) =>
	ctx.client.request<VoteResult>('POST', `/api/rooms/${room.roomId}/votes`, {
		body: { noteId },
		token: await participantToken(ctx.client, room, name),
	})
const unvote = async (room: JoinableRoom, noteId: string, name: string) =>
	ctx.client.request<VoteResult>('DELETE', `/api/rooms/${room.roomId}/votes`, {
		body: { noteId },
		token: await participantToken(ctx.client, room, name),
	})

async function roomWithNotes(
	texts: Record<string, string[]>
): Promise<{ room: CreatedRoom; ids: Record<string, string> }> {
	const room = await ctx.client.createRoom('dos-en-donts')
	const ids: Record<string, string> = {}
	for (const [zoneId, list] of Object.entries(texts)) {
		for (const text of list) {
			const writer = await participantToken(ctx.client, room, freshId('writer'))
			ids[text] = (await ctx.client.postNote(room.roomId, { zoneId, text, clientNoteId: freshId('n') }, writer)).noteId
		}
	}
	return { room, ids }
}

describe('dot voting', () => {
	it('is refused outside a voting round with 409 not_voting', async () => {
		const { room, ids } = await roomWithNotes({ dos: ['Luisteren'] })
		const res = await vote(room, ids.Luisteren, freshId('p'))
		expect(res.status).toBe(409)
		expect(res.body.error?.code).toBe('not_voting')
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting' })
		expect((await vote(room, ids.Luisteren, freshId('p'))).status).toBe(201)
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		expect((await vote(room, ids.Luisteren, freshId('p'))).status).toBe(409)
	})

	it('enforces the budget the facilitator set, lets dots stack and be taken back, and shows counts on the board', async () => {
		const { room, ids } = await roomWithNotes({ dos: ['Luisteren', 'Doorvragen'], donts: ['Wegkijken'] })
		const board = await openParticipant(ctx, room)
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		const p = freshId('p')
		expect((await vote(room, ids.Luisteren, p)).body).toMatchObject({ votes: 1, used: 1, remaining: 2, budget: 3 })
		expect((await vote(room, ids.Luisteren, p)).body).toMatchObject({ votes: 2, used: 2, remaining: 1 })
		expect((await vote(room, ids.Wegkijken, p)).body).toMatchObject({ votes: 1, used: 3, remaining: 0 })
		const over = await vote(room, ids.Doorvragen, p)
		expect(over.status).toBe(409)
		expect(over.body.error?.code).toBe('no_votes_left')
		await nextDocState(
			board.doc,
			() => votesOf(board.doc).toJSON(),
			(v) => v[ids.Luisteren] === 2 && v[ids.Wegkijken] === 1
		)
		expect(votesOf(board.doc).has(ids.Doorvragen)).toBe(false)

		const back = await unvote(room, ids.Luisteren, p)
		expect(back.status).toBe(200)
		expect(back.body).toMatchObject({
			votes: 1,
			used: 2,
			remaining: 1,
			mine: { [ids.Luisteren]: 1, [ids.Wegkijken]: 1 },
		})
		expect((await vote(room, ids.Doorvragen, p)).status).toBe(201)
		const none = await unvote(room, ids.Doorvragen, freshId('someone'))
		expect(none.status).toBe(404)

		// A bigger budget gives more dots.
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { votesPerParticipant: 4 })
		expect((await vote(room, ids.Doorvragen, p)).body).toMatchObject({ used: 4, remaining: 0 })
	})

	it('holds the budget under a burst of concurrent votes from one participant', async () => {
		const { room, ids } = await roomWithNotes({ dos: ['A', 'B'], donts: ['C'] })
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		const p = freshId('p')
		const notes = [ids.A, ids.B, ids.C]
		const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => vote(room, notes[i % 3], p)))
		expect(answers.filter((a) => a.status === 201)).toHaveLength(3)
		expect(answers.filter((a) => a.status === 409).every((a) => a.body.error?.code === 'no_votes_left')).toBe(true)
		const serverVotes = votesOf(ctx.server.app.rooms.peek(room.roomId)!.doc).toJSON() as Record<string, number>
		expect(Object.values(serverVotes).reduce((a, b) => a + b, 0)).toBe(3)
	})

	it('only takes votes on notes on the board', async () => {
		const { room } = await roomWithNotes({ dos: ['A'] })
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting' })
		for (const noteId of ['shape:nope', zoneFrameId('dos'), 'page:page']) {
			const res = await vote(room, noteId, freshId('p'))
			expect(res.status, noteId).toBe(404)
			expect(res.body.error?.code).toBe('note_not_found')
		}
		// A participant id in the body votes nothing: without a participant token the vote is refused.
		const bad = await ctx.client.request('POST', `/api/rooms/${room.roomId}/votes`, {
			body: { noteId: 'shape:x', participantId: 'voter-0001' },
		})
		expect(bad.status).toBe(401)
	})

	it('ranks the notes per zone, in worksheet order, for the phone and the ranking', async () => {
		const { room, ids } = await roomWithNotes({
			dos: ['Luisteren', 'Doorvragen', 'Samen'],
			donts: ['Wegkijken', 'Oordelen'],
		})
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 5 })
		const plan: [string, number][] = [
			['Doorvragen', 3],
			['Samen', 1],
			['Luisteren', 1],
			['Oordelen', 2],
		]
		let k = 0
		for (const [text, n] of plan)
			for (let i = 0; i < n; i++) await vote(room, ids[text], `voter-${String(k++).padStart(8, '0')}`)
		const me = freshId('me')
		await vote(room, ids.Wegkijken, me)
		const list = (
			await ctx.client.request<VotingList>('GET', `/api/rooms/${room.roomId}/votes`, {
				token: await participantToken(ctx.client, room, me),
			})
		).body
		expect(list.phase).toBe('voting')
		expect(list.zones.map((z) => z.zoneId)).toEqual((await ctx.client.getRoom(room.roomId)).zones.map((z) => z.id))
		expect(list.zones.slice(0, 2).map((z) => z.zoneId)).toEqual(['dos', 'waarden'])
		expect(list.zones[0].label.nl).toMatch(/^Do's/)
		expect(list.zones[0].notes.map((n) => [n.text, n.votes, n.rank])).toEqual([
			['Doorvragen', 3, 1],
			['Luisteren', 1, 2],
			['Samen', 1, 2],
		])
		// The worksheet's order: Do's, Waarden, Don'ts.
		expect(list.zones[2].zoneId).toBe('donts')
		expect(list.zones[2].notes.map((n) => [n.text, n.votes, n.rank])).toEqual([
			['Oordelen', 2, 1],
			['Wegkijken', 1, 2],
		])
		expect(list.votes).toEqual({ budget: 5, used: 1, remaining: 4, mine: { [ids.Wegkijken]: 1 } })
	})

	it('keeps votes anonymous: the shared doc holds counts only, never who voted', async () => {
		const { room, ids } = await roomWithNotes({ dos: ['A'] })
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting' })
		const voter = freshId('voter')
		await vote(room, ids.A, voter)
		const doc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(votesOf(doc).toJSON()).toEqual({ [ids.A]: 1 })
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from(voter))).toBe(false)
	})

	it('gives dots back when a note leaves the board, and starts a new round on resetVotes', async () => {
		const { room, ids } = await roomWithNotes({ dos: ['A', 'B'] })
		const board = await openParticipant(ctx, room)
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 1 })
		const p = freshId('p')
		await vote(room, ids.A, p)
		expect((await vote(room, ids.B, p)).status).toBe(409)
		await ctx.client.deleteNote(room.roomId, ids.A, {}, room.facilitatorKey)
		const again = await vote(room, ids.B, p)
		expect(again.status).toBe(201)
		expect(again.body.mine).toEqual({ [ids.B]: 1 })
		await nextDocState(
			board.doc,
			() => votesOf(board.doc).toJSON(),
			(v) => !(ids.A in v) && v[ids.B] === 1
		)

		const reset = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { resetVotes: true })
		expect(reset.phase).toBe('voting')
		await nextDocState(
			board.doc,
			() => votesOf(board.doc).size,
			(n) => n === 0
		)
		expect((await vote(room, ids.B, p)).status).toBe(201)
	})
})
