/**
 * "Notities eerst bekijken" (screening): while it is on, participants' new notes — phone posts and notes drawn on
 * a laptop board — wait in the facilitator's queue on the server, in no participant's doc, until the facilitator
 * approves them (placed in their zone) or rejects them (deleted from the server). A word list flags notes in the
 * queue. Real y-websocket clients, a real SQLite store.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
	SESSION_MAP,
	readScreeningQueue,
	zoneFrameId,
	type NoteList,
	type ScreeningDecision,
	type ScreeningQueue,
	type ScreeningWords,
	type SessionAnswer,
} from '@kompasbord/shared'
import { readServerNotice } from '@kompasbord/shared/session-awareness'
import { zoneOfShape } from '@kompasbord/shared/zones'
import type { YClient } from './support/y-client'
import { waitFor } from './support/wait-for'
import {
	type JoinableRoom,
	canvasNote,
	eavesdrop,
	freshId,
	nextDocState,
	notesOf,
	openClient,
	openParticipant,
	participantToken,
	recordsOf,
	useInProcessServer,
} from './session-helpers'

const ctx = useInProcessServer()

const listNotes = async (roomId: string, token: string) =>
	(await ctx.client.request<NoteList>('GET', `/api/rooms/${roomId}/notes`, { token })).body.notes

const queueOf = async (room: { roomId: string; facilitatorKey: string }) => {
	const res = await ctx.client.request<ScreeningQueue>('GET', `/api/rooms/${room.roomId}/screening`, {
		facilitatorKey: room.facilitatorKey,
	})
	expect(res.status).toBe(200)
	return res.body
}

const decide = (
	room: { roomId: string; facilitatorKey: string },
	what: 'approve' | 'reject',
	body: unknown,
	as: { facilitatorKey?: string; token?: string } = { facilitatorKey: room.facilitatorKey }
) => ctx.client.request<ScreeningDecision>('POST', `/api/rooms/${room.roomId}/screening/${what}`, { ...as, body })

const noteText = (doc: Y.Doc) => notesOf(doc).map((n) => JSON.stringify(n.props.richText))

async function screeningOn(room: { roomId: string; facilitatorKey: string }) {
	const state = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { screening: true })
	expect(state.screening).toBe(true)
}

async function noticeFor(c: YClient, seqAfter = 0): Promise<string[]> {
	const own = c.provider.awareness.clientID
	return waitFor(
		() => {
			for (const state of c.provider.awareness.getStates().values()) {
				const notice = readServerNotice(state)
				if (notice && notice.seq > seqAfter && notice.to.includes(own)) return notice.reasons
			}
			return null
		},
		{ message: 'a server notice for this client' }
	)
}

function latestNoticeSeq(c: YClient): number {
	for (const state of c.provider.awareness.getStates().values()) {
		const notice = readServerNotice(state)
		if (notice) return notice.seq
	}
	return 0
}

async function openAnnounced(room: JoinableRoom, name: string): Promise<YClient> {
	const c = await openClient(ctx.server.wsUrl, room.roomId, {
		participantToken: await participantToken(ctx.client, room, name),
	})
	c.provider.awareness.setLocalStateField('user', { name: 'Test', color: '#000000', role: 'participant' })
	await waitFor(() => ctx.server.app.rooms.peek(room.roomId)?.awareness.getStates().has(c.doc.clientID))
	return c
}

describe('screening', () => {
	it('keeps a waiting phone note out of every participant doc, and approving places it in its zone', async () => {
		const room = await ctx.client.createRoom('dos-en-donts', { anonymous: false })
		const board = await openParticipant(ctx, room)
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, 'spy'),
		})
		await screeningOn(room)
		await nextDocState(
			board.doc,
			() => board.doc.getMap(SESSION_MAP).get('screening'),
			(on) => on === true
		)

		const phone = await participantToken(ctx.client, room, 'phone')
		const secret = `Wacht-${freshId('s')}`
		const posted = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'donts', text: secret, clientNoteId: freshId('n'), authorName: 'Sanne' },
			phone
		)
		expect(posted.status).toBe('awaiting_review')
		// The author sees it waiting; the ledger has it; nothing of it is in any doc or went over any websocket.
		expect((await listNotes(room.roomId, phone)).map((n) => [n.text, n.status])).toEqual([[secret, 'awaiting_review']])
		expect(await ctx.server.app.store.getNote(room.roomId, posted.noteId)).toMatchObject({
			status: 'awaiting_review',
			text: secret,
		})
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(notesOf(serverDoc)).toHaveLength(0)
		expect(Buffer.from(Y.encodeStateAsUpdate(serverDoc)).includes(Buffer.from(secret))).toBe(false)
		// Every board sees that one note waits (and no more than that).
		await nextDocState(
			board.doc,
			() => readScreeningQueue(board.doc.getMap(SESSION_MAP)).waiting,
			(n) => n === 1
		)
		expect(notesOf(board.doc)).toHaveLength(0)
		expect(spy.bytes().includes(Buffer.from(secret))).toBe(false)
		const session = await ctx.client.request<SessionAnswer>('GET', `/api/rooms/${room.roomId}/session`, {
			token: phone,
		})
		expect(session.body.awaitingReview).toBe(1)

		// The facilitator's queue lists it with its author, zone and no flags.
		const queue = await queueOf(room)
		expect(queue.screening).toBe(true)
		expect(queue.notes).toEqual([
			expect.objectContaining({ noteId: posted.noteId, zoneId: 'donts', text: secret, authorName: 'Sanne', flags: [] }),
		])

		// A phone's long poll wakes when the facilitator decides.
		const polled = ctx.client.request<SessionAnswer>(
			'GET',
			`/api/rooms/${room.roomId}/session?wait=20&tag=${encodeURIComponent(session.body.tag)}`,
			{ token: phone }
		)
		const approved = await decide(room, 'approve', { noteIds: [posted.noteId] })
		expect(approved.status).toBe(200)
		expect(approved.body).toEqual({ noteIds: [posted.noteId], dropped: [], waiting: 0 })
		expect((await polled).body.awaitingReview).toBe(0)
		// On the server's board when the answer comes, in its zone; then on the other boards.
		expect(noteText(serverDoc).some((t) => t.includes(secret))).toBe(true)
		const placed = await nextDocState(board.doc, () => notesOf(board.doc).find((n) => n.id === posted.noteId), Boolean)
		const records = new Map([...recordsOf(board.doc).entries()])
		expect(zoneOfShape(placed as never, records as never)).toBe('donts')
		expect(placed!.parentId).toBe(zoneFrameId('donts'))
		expect((await listNotes(room.roomId, phone)).map((n) => n.status)).toEqual(['placed'])
		// Approving it again: it no longer waits.
		expect((await decide(room, 'approve', { noteIds: [posted.noteId] })).status).toBe(409)
	})

	it('deletes a rejected note from the server: gone from the ledger and the database files, never in any doc', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openParticipant(ctx, room)
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, 'spy'),
		})
		await screeningOn(room)
		const phone = await participantToken(ctx.client, room, 'phone')
		const secret = `Afgewezen${freshId('x')}`
		const posted = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: secret, clientNoteId: freshId('n') },
			phone
		)
		const kept = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Deze mag blijven', clientNoteId: freshId('n') },
			phone
		)
		// Before: the text is in the database (its WAL).
		const dbFiles = async () => {
			const names = (await readdir(ctx.server.dataDir)).filter((f) => f.startsWith('kompasbord.sqlite'))
			return Promise.all(names.map(async (name) => ({ name, bytes: await readFile(join(ctx.server.dataDir, name)) })))
		}
		expect((await dbFiles()).some((f) => f.bytes.includes(Buffer.from(secret)))).toBe(true)
		const rejected = await decide(room, 'reject', { noteIds: [posted.noteId] })
		expect(rejected.status).toBe(200)
		expect(rejected.body).toEqual({ noteIds: [posted.noteId], dropped: [], waiting: 1 })
		expect(await ctx.server.app.store.getNote(room.roomId, posted.noteId)).toBeNull()
		expect((await listNotes(room.roomId, phone)).map((n) => n.noteId)).toEqual([kept.noteId])
		expect((await queueOf(room)).notes.map((n) => n.noteId)).toEqual([kept.noteId])
		// Not in any byte of the database (secure_delete zeroes the row, the WAL is truncated).
		for (const file of await dbFiles()) expect(file.bytes.includes(Buffer.from(secret)), file.name).toBe(false)
		// Rejected twice, or approved after: it is not waiting any more, and nothing reaches the board.
		expect((await decide(room, 'reject', { noteIds: [posted.noteId] })).body).toMatchObject({
			error: { code: 'not_awaiting_review' },
		})
		expect((await decide(room, 'approve', { noteIds: [posted.noteId, kept.noteId] })).status).toBe(409)
		// "Alles goedkeuren" places what still waits.
		const all = await decide(room, 'approve', { all: true })
		expect(all.body).toEqual({ noteIds: [kept.noteId], dropped: [], waiting: 0 })
		await nextDocState(
			board.doc,
			() => notesOf(board.doc).length,
			(n) => n === 1
		)
		expect(noteText(board.doc).some((t) => t.includes(secret))).toBe(false)
		expect(spy.bytes().includes(Buffer.from(secret))).toBe(false)
	})

	it('lets only the facilitator see the queue, decide and set the words', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await screeningOn(room)
		const phone = await participantToken(ctx.client, room, 'phone')
		const posted = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Mijn eigen notitie', clientNoteId: freshId('n') },
			phone
		)
		const asPhone = { token: phone }
		const approve = await decide(room, 'approve', { noteIds: [posted.noteId] }, asPhone)
		expect(approve.status).toBe(403)
		expect(approve.body).toMatchObject({ error: { code: 'forbidden' } })
		expect((await decide(room, 'approve', { all: true }, {})).status).toBe(401)
		expect((await decide(room, 'reject', { noteIds: [posted.noteId] }, asPhone)).status).toBe(403)
		expect((await ctx.client.request('GET', `/api/rooms/${room.roomId}/screening`, { token: phone })).status).toBe(403)
		expect(
			(
				await ctx.client.request('PUT', `/api/rooms/${room.roomId}/screening/words`, {
					token: phone,
					body: { words: ['x'] },
				})
			).status
		).toBe(403)
		// Nor may a participant switch screening off.
		expect(
			(
				await ctx.client.request('PATCH', `/api/rooms/${room.roomId}/session`, {
					token: phone,
					body: { screening: false },
				})
			).status
		).toBe(403)
		// A bad request is a 4xx JSON error.
		const both = await decide(room, 'approve', { all: true, noteIds: [posted.noteId] })
		expect(both.status).toBe(400)
		expect(both.body).toMatchObject({ error: { code: 'bad_request' } })
		expect((await decide(room, 'approve', {})).status).toBe(400)
		expect((await decide(room, 'reject', { noteIds: [] })).status).toBe(400)
		// Still waiting, still not on the board.
		expect((await listNotes(room.roomId, phone))[0].status).toBe('awaiting_review')
		expect(notesOf(ctx.server.app.rooms.peek(room.roomId)!.doc)).toHaveLength(0)
	})

	it('flags notes with the default word list and the room’s own words, ignoring case and accents', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await screeningOn(room)
		const phone = await participantToken(ctx.client, room, 'phone')
		const post = (text: string) =>
			ctx.client.postNote(room.roomId, { zoneId: 'dos', text, clientNoteId: freshId('n') }, phone)
		const swear = await post('Die KLOTEBUS komt nooit op tijd')
		const own = await post('Meer plekken in het Café voor jongeren')
		const plain = await post('Een veilige plek om te sporten')

		const setWords = (words: unknown) =>
			ctx.client.request<ScreeningWords>('PUT', `/api/rooms/${room.roomId}/screening/words`, {
				facilitatorKey: room.facilitatorKey,
				body: { words },
			})
		let queue = await queueOf(room)
		expect(queue.words.defaults).toContain('klote*')
		expect(queue.words.custom).toEqual([])
		const flags = () => new Map(queue.notes.map((n) => [n.noteId, n.flags]))
		expect(flags()).toEqual(
			new Map([
				[swear.noteId, ['klote*']],
				[own.noteId, []],
				[plain.noteId, []],
			])
		)
		const set = await setWords(['  cafe ', 'CAFÉ', '', 'sport*'])
		expect(set.status).toBe(200)
		expect(set.body.custom).toEqual(['cafe', 'sport*'])
		queue = await queueOf(room)
		expect(queue.words.custom).toEqual(['cafe', 'sport*'])
		expect(flags()).toEqual(
			new Map([
				[swear.noteId, ['klote*']],
				[own.noteId, ['cafe']],
				[plain.noteId, ['sport*']],
			])
		)
		// Bounded: too long a word, or one with no letter, is refused with a JSON error.
		const long = await setWords(['x'.repeat(41)])
		expect(long.status).toBe(400)
		expect(long.body).toMatchObject({ error: { code: 'bad_word_list' } })
		expect((await setWords(['!!!'])).status).toBe(400)
		expect((await setWords(Array.from({ length: 201 }, (_, i) => `woord${i}`))).status).toBe(400)
		expect((await queueOf(room)).words.custom).toEqual(['cafe', 'sport*'])
		// Kept on the server: not in the doc.
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(Buffer.from(Y.encodeStateAsUpdate(serverDoc)).includes(Buffer.from('sport*'))).toBe(false)
	})

	it("holds a participant's canvas note while screening is on — refused on the board, queued for the facilitator", async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await screeningOn(room)
		const author = freshId('laptop')
		const writer = await openAnnounced(room, author)
		const other = await openParticipant(ctx, room)
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, 'spy'),
		})
		const secret = `Canvas-${freshId('s')}`
		const id = `shape:${freshId('canvas')}`
		writer.doc.transact(() =>
			recordsOf(writer.doc).set(id as never, canvasNote(id, secret, zoneFrameId('waarden')) as never)
		)
		expect(await noticeFor(writer)).toEqual(['screening'])
		await nextDocState(
			writer.doc,
			() => recordsOf(writer.doc).has(id as never),
			(has) => !has
		)
		const authorToken = await participantToken(ctx.client, room, author)
		const mine = await waitFor(async () => (await listNotes(room.roomId, authorToken)).find((n) => n.text === secret))
		expect(mine).toMatchObject({ status: 'awaiting_review', zoneId: 'waarden' })
		expect((await queueOf(room)).notes.map((n) => n.text)).toEqual([secret])
		expect(recordsOf(other.doc).has(id as never)).toBe(false)
		expect(spy.bytes().includes(Buffer.from(secret))).toBe(false)
		expect(
			Buffer.from(Y.encodeStateAsUpdate(ctx.server.app.rooms.peek(room.roomId)!.doc)).includes(Buffer.from(secret))
		).toBe(false)

		// New text on an existing note of the author is refused too (it would bypass the queue).
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const approved = await decide(room, 'approve', { noteIds: [mine!.noteId] })
		expect(approved.body.noteIds).toEqual([mine!.noteId])
		const onBoard = await nextDocState(
			writer.doc,
			() => notesOf(writer.doc).find((n) => n.id === mine!.noteId),
			Boolean
		)
		expect(onBoard!.parentId).toBe(zoneFrameId('waarden'))
		const changed = `Stiekem-${freshId('t')}`
		const seq = latestNoticeSeq(writer)
		writer.doc.transact(() =>
			recordsOf(writer.doc).set(onBoard!.id, {
				...onBoard!,
				props: { ...onBoard!.props, richText: canvasNote(onBoard!.id, changed, onBoard!.parentId).props.richText },
			})
		)
		expect(await noticeFor(writer, seq)).toEqual(['screening'])
		await nextDocState(
			writer.doc,
			() => JSON.stringify(recordsOf(writer.doc).get(onBoard!.id)),
			(json) => !json.includes(changed)
		)
		expect(spy.bytes().includes(Buffer.from(changed))).toBe(false)
		// The facilitator's own notes are not screened.
		const own = `shape:${freshId('fac')}`
		facilitator.doc.transact(() =>
			recordsOf(facilitator.doc).set(own as never, canvasNote(own, 'Van de facilitator', zoneFrameId('dos')) as never)
		)
		await nextDocState(other.doc, () => recordsOf(other.doc).has(own as never), Boolean)
	})

	it('sends a placed note whose text its author changes back to the queue, and keeps waiting notes when screening goes off', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openParticipant(ctx, room)
		const phone = await participantToken(ctx.client, room, 'phone')
		const before = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Van voor het bekijken', clientNoteId: freshId('n') },
			phone
		)
		expect(before.status).toBe('placed')
		await screeningOn(room)
		const edited = await ctx.client.patchNote(
			room.roomId,
			before.noteId,
			{ text: 'Nieuwe tekst, eerst bekijken' },
			phone
		)
		expect(edited).toMatchObject({ status: 'awaiting_review', text: 'Nieuwe tekst, eerst bekijken', zoneId: 'dos' })
		await nextDocState(
			board.doc,
			() => notesOf(board.doc).length,
			(n) => n === 0
		)
		const waiting = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'donts', text: 'Wacht nog', clientNoteId: freshId('n') },
			phone
		)
		// Off: nothing waiting is placed by it; new notes go on the board at once again.
		const off = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { screening: false })
		expect(off).toMatchObject({ screening: false, awaitingReview: 2 })
		expect((await queueOf(room)).notes.map((n) => n.noteId)).toEqual([before.noteId, waiting.noteId])
		expect(notesOf(ctx.server.app.rooms.peek(room.roomId)!.doc)).toHaveLength(0)
		const after = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Na het bekijken', clientNoteId: freshId('n') },
			phone
		)
		expect(after.status).toBe('placed')
		const all = await decide(room, 'approve', { all: true })
		expect(all.body.noteIds.sort()).toEqual([before.noteId, waiting.noteId].sort())
		await nextDocState(
			board.doc,
			() => notesOf(board.doc).length,
			(n) => n === 3
		)
		expect(noteText(board.doc).some((t) => t.includes('Nieuwe tekst, eerst bekijken'))).toBe(true)
	})

	it('puts the notes of private writing in the queue at the reveal when screening is on', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
		await screeningOn(room)
		const phone = await participantToken(ctx.client, room, 'phone')
		const held = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'waarden', text: 'Stil geschreven', clientNoteId: freshId('n') },
			phone
		)
		expect(held.status).toBe('held')
		expect((await queueOf(room)).notes).toEqual([])
		const revealed = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		expect(revealed.revealed).toBe(0)
		expect((await queueOf(room)).notes.map((n) => n.noteId)).toEqual([held.noteId])
		expect((await listNotes(room.roomId, phone))[0].status).toBe('awaiting_review')
		expect(notesOf(ctx.server.app.rooms.peek(room.roomId)!.doc)).toHaveLength(0)
	})

	it('rate-limits the facilitator’s screening changes per room like note posts, and only after the key is checked', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const other = await ctx.client.createRoom('dos-en-donts')
		const phone = await participantToken(ctx.client, room, 'phone')
		const put = (r: { roomId: string }, as: { facilitatorKey?: string; token?: string }) =>
			ctx.client.request('PUT', `/api/rooms/${r.roomId}/screening/words`, { ...as, body: { words: ['x'] } })
		// A participant's refused attempts use up nothing.
		for (let i = 0; i < 40; i++) expect((await put(room, { token: phone })).status).toBe(403)
		// The burst (30) passes; then the bucket refills one a second, far slower than these requests come.
		const passed: number[] = []
		let limited: Awaited<ReturnType<typeof put>> | null = null
		for (let i = 0; i < 80 && !limited; i++) {
			const answer = await put(room, { facilitatorKey: room.facilitatorKey })
			if (answer.status === 429) limited = answer
			else passed.push(answer.status)
		}
		expect(passed.length).toBeGreaterThanOrEqual(30)
		expect(passed.every((status) => status === 200)).toBe(true)
		if (!limited) throw new Error('no 429 after 80 changes')
		expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } })
		expect(limited.headers.get('retry-after')).toBeTruthy()
		// Another room has its own budget; reading the queue is not limited.
		expect((await put(other, { facilitatorKey: other.facilitatorKey })).status).toBe(200)
		expect((await queueOf(room)).words.custom).toEqual(['x'])
	})
})
