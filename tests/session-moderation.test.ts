/**
 * Moderation: the facilitator hides (off the shared doc, kept on the server), shows again, or deletes any
 * note — from a phone or drawn on the canvas. Anonymous mode is chosen at room creation and on by default.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { zoneFrameId } from '@kompasbord/shared'
import { waitFor } from './support/wait-for'
import {
	canvasNote,
	freshId,
	nextDocState,
	notesOf,
	openParticipant,
	participantToken,
	recordsOf,
	useInProcessServer,
	votesOf,
} from './session-helpers'

const ctx = useInProcessServer()

const moderate = (roomId: string, noteId: string, action: 'hide' | 'show', key?: string) =>
	ctx.client.request<{ noteId: string; status: string; error?: { code: string } }>(
		'POST',
		`/api/rooms/${roomId}/moderation/notes/${encodeURIComponent(noteId)}/${action}`,
		{ facilitatorKey: key }
	)

describe('moderation', () => {
	it('hides a note from every board and from the doc, lists it for the facilitator, and shows it again', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const board = await openParticipant(ctx, room)
		const text = `Ongepast-${freshId('t')}`
		const { noteId } = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text, clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, 'p')
		)
		await nextDocState(board.doc, () => recordsOf(board.doc).has(noteId as never), Boolean)
		const original = JSON.stringify(recordsOf(board.doc).get(noteId as never))

		expect((await moderate(room.roomId, noteId, 'hide')).status).toBe(401)
		expect((await moderate(room.roomId, noteId, 'hide', 'wrong-key-wrong-key')).status).toBe(403)
		const hidden = await moderate(room.roomId, noteId, 'hide', room.facilitatorKey)
		expect(hidden.status).toBe(200)
		expect(hidden.body.status).toBe('hidden')
		await nextDocState(
			board.doc,
			() => recordsOf(board.doc).has(noteId as never),
			(has) => !has
		)
		const doc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from(text))).toBe(false)
		const list = await ctx.client.request<{ notes: { noteId: string; text: string; zoneId: string }[] }>(
			'GET',
			`/api/rooms/${room.roomId}/moderation/hidden`,
			{ facilitatorKey: room.facilitatorKey }
		)
		expect(list.body.notes).toEqual([expect.objectContaining({ noteId, text, zoneId: 'dos' })])
		expect((await ctx.client.request('GET', `/api/rooms/${room.roomId}/moderation/hidden`)).status).toBe(401)

		const shown = await moderate(room.roomId, noteId, 'show', room.facilitatorKey)
		expect(shown.body.status).toBe('placed')
		await nextDocState(board.doc, () => recordsOf(board.doc).has(noteId as never), Boolean)
		expect(JSON.stringify(recordsOf(board.doc).get(noteId as never))).toBe(original)
		expect((await moderate(room.roomId, noteId, 'show', room.facilitatorKey)).status).toBe(404)
	})

	it('hides and deletes notes drawn on the canvas too, with their arrows, and gives their dots back', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const laptop = await openParticipant(ctx, room)
		const id = 'shape:canvas-note'
		laptop.doc.transact(() => {
			recordsOf(laptop.doc).set(id as never, canvasNote(id, 'Van de laptop', zoneFrameId('dos')) as never)
			recordsOf(laptop.doc).set(
				'shape:other' as never,
				canvasNote('shape:other', 'Andere', zoneFrameId('dos'), 400) as never
			)
			recordsOf(laptop.doc).set(
				'binding:arrow' as never,
				{
					id: 'binding:arrow',
					typeName: 'binding',
					type: 'arrow',
					fromId: 'shape:arrow',
					toId: id,
					props: {},
					meta: {},
				} as never
			)
		})
		const serverDoc = () => ctx.server.app.rooms.peek(room.roomId)!.doc
		await waitFor(() => recordsOf(serverDoc()).has(id as never))
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 1 })
		const voter = await participantToken(ctx.client, room, freshId('voter'))
		await ctx.client.vote(room.roomId, { noteId: id }, voter)

		await moderate(room.roomId, id, 'hide', room.facilitatorKey)
		await nextDocState(
			laptop.doc,
			() => recordsOf(laptop.doc).has('binding:arrow' as never),
			(has) => !has
		)
		expect(recordsOf(laptop.doc).has(id as never)).toBe(false)
		expect(votesOf(laptop.doc).has(id)).toBe(false)
		// The voter's dot came back.
		expect((await ctx.client.vote(room.roomId, { noteId: 'shape:other' }, voter)) as unknown).toMatchObject({
			remaining: 0,
		})

		const removed = await ctx.client.request<{ status: string }>(
			'DELETE',
			`/api/rooms/${room.roomId}/moderation/notes/${id}`,
			{
				facilitatorKey: room.facilitatorKey,
			}
		)
		expect(removed.body.status).toBe('deleted')
		expect((await moderate(room.roomId, id, 'show', room.facilitatorKey)).status).toBe(404)
		const gone = await ctx.client.request('DELETE', `/api/rooms/${room.roomId}/moderation/notes/shape:other`, {
			facilitatorKey: room.facilitatorKey,
		})
		expect(gone.status).toBe(200)
		await nextDocState(
			laptop.doc,
			() => notesOf(laptop.doc).length,
			(n) => n === 0
		)
		const again = await ctx.client.request('DELETE', `/api/rooms/${room.roomId}/moderation/notes/shape:other`, {
			facilitatorKey: room.facilitatorKey,
		})
		expect(again.status).toBe(404)
	})
})

describe('anonymous mode', () => {
	it('is on by default: author names are not stored', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		expect((await ctx.client.getRoom(room.roomId)) as unknown).toMatchObject({ anonymous: true })
		const { noteId } = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Zonder naam', clientNoteId: freshId('n'), authorName: 'Fatima' },
			await participantToken(ctx.client, room, 'p')
		)
		const doc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect(
			(recordsOf(doc).get(noteId as never) as unknown as { meta: Record<string, unknown> }).meta.authorName
		).toBeUndefined()
		expect(Buffer.from(Y.encodeStateAsUpdate(doc)).includes(Buffer.from('Fatima'))).toBe(false)
		expect((await ctx.server.app.store.getNote(room.roomId, noteId))?.authorName).toBeNull()
	})

	it('can be switched off at room creation: names are kept', async () => {
		const room = await ctx.client.createRoom('dos-en-donts', { anonymous: false })
		expect((await ctx.client.getRoom(room.roomId)) as unknown).toMatchObject({ anonymous: false })
		const { noteId } = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Met naam', clientNoteId: freshId('n'), authorName: 'Fatima' },
			await participantToken(ctx.client, room, 'p')
		)
		const doc = ctx.server.app.rooms.peek(room.roomId)!.doc
		expect((recordsOf(doc).get(noteId as never) as unknown as { meta: Record<string, unknown> }).meta.authorName).toBe(
			'Fatima'
		)
	})
})
