/**
 * Private writing with phones: notes posted while it is on are held by the server (not in the shared doc, so
 * no participant's browser can read another's), their author sees them, and "Onthullen" places them all at
 * once, each in its zone.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { zoneFrameId, type NoteList } from '@kompasbord/shared'
import { zoneOfShape } from '@kompasbord/shared/zones'
import { api } from './support/api'
import {
	eavesdrop,
	freshId,
	nextDocState,
	notesOf,
	openParticipant,
	participantToken,
	recordsOf,
	useInProcessServer,
} from './session-helpers'

const ctx = useInProcessServer()

const listNotes = async (roomId: string, participantToken: string) =>
	(await ctx.client.request<NoteList>('GET', `/api/rooms/${roomId}/notes`, { token: participantToken })).body.notes

describe('private writing', () => {
	it('holds phone notes off the board, shows them to their author only, and reveals them all at once in their zones', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openParticipant(ctx, room)
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId, {
			participantToken: await participantToken(ctx.client, room, 'spy'),
		})
		const started = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
		expect(started.phase).toBe('private')
		expect((await ctx.client.getRoom(room.roomId)).phase).toBe('private')

		const phoneA = await participantToken(ctx.client, room, 'phoneA')
		const phoneB = await participantToken(ctx.client, room, 'phoneB')
		const secret = (n: number) => `Privé-${n}-${room.roomId}`
		const posted: { noteId: string; status: string }[] = []
		for (const [i, zoneId] of ['dos', 'donts', 'waarden', 'dos'].entries()) {
			posted.push(
				await ctx.client.postNote(room.roomId, { zoneId, text: secret(i), clientNoteId: freshId('n') }, phoneA)
			)
		}
		const fromB = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'verwachtingen', text: 'Van B', clientNoteId: freshId('n') },
			phoneB
		)
		expect([...posted, fromB].every((p) => p.status === 'held')).toBe(true)

		// The author sees them (held); the other phone sees only its own.
		const mine = await listNotes(room.roomId, phoneA)
		expect(mine.map((n) => [n.text, n.status])).toEqual([0, 1, 2, 3].map((i) => [secret(i), 'held']))
		const theirs = await listNotes(room.roomId, phoneB)
		expect(theirs.map((n) => n.text)).toEqual(['Van B'])
		// Nothing of them is in the doc, nor went over any websocket, nor is in the voting list.
		const serverDoc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(notesOf(serverDoc)).toHaveLength(0)
		expect(notesOf(board.doc)).toHaveLength(0)
		expect(Buffer.from(Y.encodeStateAsUpdate(serverDoc)).includes(Buffer.from(secret(0)))).toBe(false)
		expect(spy.bytes().includes(Buffer.from(secret(0)))).toBe(false)
		const list = await ctx.client.request<{ zones: { notes: unknown[] }[] }>('GET', `/api/rooms/${room.roomId}/votes`)
		expect(list.body.zones.flatMap((z) => z.notes)).toHaveLength(0)
		const facilitatorView = await ctx.client.request<{ heldNotes: number }>(
			'GET',
			`/api/rooms/${room.roomId}/session`,
			{
				facilitatorKey: room.facilitatorKey,
			}
		)
		expect(facilitatorView.body.heldNotes).toBe(5)

		// The author may still edit a held note; it stays held.
		await ctx.client.patchNote(room.roomId, posted[3].noteId, { text: `${secret(3)} (bewerkt)` }, phoneA)

		// "Onthullen": ending private writing places every held note, each in its zone, in one go.
		const counts: number[] = []
		board.doc.on('update', () => counts.push(notesOf(board.doc).length))
		const revealed = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		expect(revealed.revealed).toBe(5)
		// Durable and on the server's board when the answer comes.
		expect(notesOf(serverDoc)).toHaveLength(5)
		const onBoard = await nextDocState(
			board.doc,
			() => notesOf(board.doc),
			(notes) => notes.length === 5
		)
		const records = new Map([...recordsOf(board.doc).entries()])
		const zoneOf = (noteId: string) => zoneOfShape(records.get(noteId as never) as never, records as never)
		expect(posted.map((p) => zoneOf(p.noteId))).toEqual(['dos', 'donts', 'waarden', 'dos'])
		expect(zoneOf(fromB.noteId)).toBe('verwachtingen')
		expect(onBoard.find((n) => n.id === posted[1].noteId)!.parentId).toBe(zoneFrameId('donts'))
		// The two notes of one zone do not overlap.
		const [a, b] = [records.get(posted[0].noteId as never), records.get(posted[3].noteId as never)] as unknown as {
			x: number
			y: number
		}[]
		expect(a.x !== b.x || a.y !== b.y).toBe(true)
		// All five arrived together, in one update: no board ever showed only some of them.
		expect(counts.filter((n) => n > 0 && n < 5)).toEqual([])
		expect(counts).toContain(5)
		expect((await listNotes(room.roomId, phoneA)).every((n) => n.status === 'placed')).toBe(true)
		expect((await listNotes(room.roomId, phoneA))[3].text).toBe(`${secret(3)} (bewerkt)`)

		// After the reveal new notes are placed at once again.
		const later = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Na het onthullen', clientNoteId: freshId('n') },
			phoneB
		)
		expect(later.status).toBe('placed')
	})

	it('reveals held notes when the session is closed straight from private writing, and on an explicit reveal', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
		const phone = await participantToken(ctx.client, room, 'phone')
		await ctx.client.postNote(room.roomId, { zoneId: 'dos', text: 'Eerste ronde', clientNoteId: freshId('n') }, phone)
		const revealed = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { reveal: true })
		expect(revealed).toMatchObject({ phase: 'private', revealed: 1 })
		await ctx.client.postNote(room.roomId, { zoneId: 'donts', text: 'Tweede ronde', clientNoteId: freshId('n') }, phone)
		const closed = await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'closed' })
		expect(closed).toMatchObject({ phase: 'closed', revealed: 1 })
		expect((await listNotes(room.roomId, phone)).map((n) => n.status)).toEqual(['placed', 'placed'])
	})

	it('keeps held notes across a server restart', async () => {
		const { startServerInProcess: start } = await import('./support/server-in-process')
		const { makeTempDir, removeTempDir } = await import('./support/temp-dir')
		const dataDir = await makeTempDir('kompasbord-private-')
		try {
			let first = await start({ dataDir })
			const c = api(first.baseUrl)
			const room = await c.createRoom('dos-en-donts')
			await c.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
			const phone = (await c.joinRoom(room.joinCode)).participantToken
			await c.postNote(room.roomId, { zoneId: 'waarden', text: 'Blijft bewaard', clientNoteId: freshId('n') }, phone)
			await first.close()
			first = await start({ dataDir })
			const again = api(first.baseUrl)
			const revealed = await again.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
			expect(revealed.revealed).toBe(1)
			await first.close()
		} finally {
			await removeTempDir(dataDir)
		}
	})
})
