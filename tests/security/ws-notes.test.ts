/**
 * Issue 11, notes on the canvas: one policy on the websocket and over REST — a participant may move any note
 * (to cluster) but change the text of, or delete, only notes they wrote; a note the facilitator hid cannot be
 * written back; during private writing every new shape with text is held back, not only sticky notes.
 */
import { describe, expect, it } from 'vitest'
import { PAGE_ID, zoneFrameId } from '@kompasbord/shared'
import { toRichText } from '@tldraw/tlschema'
import type { TLRecord } from '@tldraw/tlschema'
import { waitFor } from '../support/wait-for'
import type { YClient } from '../support/y-client'
import {
	canvasNote,
	eavesdrop,
	freshId,
	openClient,
	recordsOf,
	useInProcessServer,
	participantToken,
} from '../session-helpers'
import { expectRoomWorks, serverRecords } from './ws-helpers'

const ctx = useInProcessServer()

/** An empty rectangle: allowed in every phase (no text). */
function emptyGeo(id: string): { id: string; props: Record<string, unknown>; [key: string]: unknown } {
	return {
		typeName: 'shape',
		id,
		type: 'geo',
		parentId: PAGE_ID,
		index: 'a8',
		x: 10,
		y: 10,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta: {},
		props: {
			w: 200,
			h: 100,
			geo: 'rectangle',
			dash: 'draw',
			growY: 0,
			url: '',
			scale: 1,
			color: 'black',
			labelColor: 'black',
			fill: 'none',
			size: 'm',
			font: 'draw',
			align: 'middle',
			verticalAlign: 'middle',
			flipX: false,
			flipY: false,
			richText: toRichText(''),
		},
	}
}

/** Writes an empty shape from `writer` and waits until `reader` has it: everything `writer` sent before was judged. */
async function marker(writer: YClient, reader: YClient): Promise<void> {
	const id = `shape:${freshId('marker')}`
	recordsOf(writer.doc).set(id as never, emptyGeo(id) as never)
	await waitFor(() => recordsOf(reader.doc).has(id as never), { message: 'the marker arrived' })
}

function textOf(record: TLRecord | undefined): string {
	return JSON.stringify((record as { props?: { richText?: unknown } } | undefined)?.props?.richText ?? null)
}

async function setup() {
	const room = await ctx.client.createRoom('dos-en-donts')
	const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
	const anna = freshId('anna')
	const bert = freshId('bert')
	const annaBoard = await openClient(ctx.server.wsUrl, room.roomId, { pid: anna })
	const bertBoard = await openClient(ctx.server.wsUrl, room.roomId, { pid: bert })
	return { room, facilitator, anna, bert, annaBoard, bertBoard }
}

describe("other people's notes", () => {
	it("on the canvas a participant moves anyone's note, but edits and deletes only their own", async () => {
		const { room, facilitator, anna, annaBoard, bertBoard } = await setup()
		const phone = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Van Anna haar telefoon', clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, anna)
		)
		const drawn = `shape:${freshId('drawn')}`
		recordsOf(annaBoard.doc).set(drawn as never, canvasNote(drawn, 'Getekend door Anna', PAGE_ID) as never)
		await waitFor(
			() => recordsOf(bertBoard.doc).has(drawn as never) && recordsOf(bertBoard.doc).has(phone.noteId as never)
		)
		// The server recorded Anna's canvas note as hers (in the ledger, like her phone notes).
		await waitFor(async () => {
			const mine = await ctx.client.request<{ notes: { noteId: string }[] }>('GET', `/api/rooms/${room.roomId}/notes`, {
				token: await participantToken(ctx.client, room, anna),
			})
			return mine.body.notes?.some((n) => n.noteId === drawn)
		})

		const records = recordsOf(bertBoard.doc)
		for (const id of [phone.noteId, drawn]) {
			const note = records.get(id as never) as unknown as Record<string, unknown>
			// Bert moves it: allowed.
			records.set(id as never, { ...note, x: (note.x as number) + 300 } as never)
			await marker(bertBoard, facilitator)
			expect((serverRecords(ctx.server, room.roomId).get(id) as { x: number }).x).toBe((note.x as number) + 300)
			// Bert rewrites it, then deletes it: both refused and reverted.
			const moved = records.get(id as never) as unknown as Record<string, unknown>
			records.set(
				id as never,
				{ ...moved, props: { ...(moved.props as object), richText: toRichText('Van Bert') } } as never
			)
			await marker(bertBoard, facilitator)
			records.delete(id as never)
			await marker(bertBoard, facilitator)
			const onServer = serverRecords(ctx.server, room.roomId).get(id)
			expect(onServer, id).toBeDefined()
			expect(textOf(onServer)).not.toContain('Van Bert')
			expect(textOf(recordsOf(facilitator.doc).get(id as never))).not.toContain('Van Bert')
		}
		// Anna edits and deletes her own canvas note.
		const own = recordsOf(annaBoard.doc).get(drawn as never) as unknown as Record<string, unknown>
		await waitFor(() => (recordsOf(annaBoard.doc).get(drawn as never) as { x: number }).x === (own.x as number))
		recordsOf(annaBoard.doc).set(
			drawn as never,
			{ ...own, props: { ...(own.props as object), richText: toRichText('Anna verbetert') } } as never
		)
		await marker(annaBoard, facilitator)
		expect(textOf(serverRecords(ctx.server, room.roomId).get(drawn))).toContain('Anna verbetert')
		recordsOf(annaBoard.doc).delete(drawn as never)
		await marker(annaBoard, facilitator)
		expect(serverRecords(ctx.server, room.roomId).has(drawn)).toBe(false)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})

	it('over REST the same: anyone may move a note to another zone, only its author change its text or delete it', async () => {
		const { room, anna, bert } = await setup()
		const note = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Van Anna', clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, anna)
		)
		const path = `/api/rooms/${room.roomId}/notes/${encodeURIComponent(note.noteId)}`
		const move = await ctx.client.request('PATCH', path, {
			body: { zoneId: 'donts' },
			token: await participantToken(ctx.client, room, bert),
		})
		expect(move.status).toBe(200)
		expect((serverRecords(ctx.server, room.roomId).get(note.noteId) as { parentId: string }).parentId).toBe(
			zoneFrameId('donts')
		)
		const edit = await ctx.client.request('PATCH', path, {
			body: { text: 'Van Bert' },
			token: await participantToken(ctx.client, room, bert),
		})
		expect(edit.status).toBe(403)
		const remove = await ctx.client.request('DELETE', path, { token: await participantToken(ctx.client, room, bert) })
		expect(remove.status).toBe(403)
		expect(serverRecords(ctx.server, room.roomId).has(note.noteId)).toBe(true)
	})

	it('a note the facilitator hid cannot be written back by a participant', async () => {
		const { room, facilitator, anna, annaBoard } = await setup()
		const note = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Iets wat weg moet', clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, anna)
		)
		await waitFor(() => recordsOf(annaBoard.doc).has(note.noteId as never))
		const copy = recordsOf(annaBoard.doc).get(note.noteId as never) as unknown as Record<string, unknown>
		const hide = await ctx.client.request(
			'POST',
			`/api/rooms/${room.roomId}/moderation/notes/${encodeURIComponent(note.noteId)}/hide`,
			{
				facilitatorKey: room.facilitatorKey,
			}
		)
		expect(hide.status).toBeLessThan(300)
		await waitFor(() => !recordsOf(annaBoard.doc).has(note.noteId as never))
		recordsOf(annaBoard.doc).set(note.noteId as never, copy as never)
		await marker(annaBoard, facilitator)
		expect(serverRecords(ctx.server, room.roomId).has(note.noteId)).toBe(false)
		expect(recordsOf(facilitator.doc).has(note.noteId as never)).toBe(false)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})
})

describe('private writing', () => {
	it('holds back every new shape with text (geo, text, arrow labels), not only sticky notes', async () => {
		const { room, facilitator, annaBoard } = await setup()
		await ctx.client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
		const spy = await eavesdrop(ctx.server.wsUrl, room.roomId)
		const base = {
			typeName: 'shape',
			parentId: PAGE_ID,
			index: 'a8',
			x: 10,
			y: 10,
			rotation: 0,
			isLocked: false,
			opacity: 1,
			meta: {},
		}
		const blank = emptyGeo(`shape:${freshId('geo')}`)
		const geo = { ...blank, props: { ...(blank.props as object), richText: toRichText('Geheim in een vorm') } }
		const text = {
			...base,
			id: `shape:${freshId('text')}`,
			type: 'text',
			props: {
				color: 'black',
				size: 'm',
				w: 200,
				font: 'draw',
				textAlign: 'start',
				autoSize: true,
				scale: 1,
				richText: toRichText('Geheim als tekst'),
			},
		}
		recordsOf(annaBoard.doc).set(geo.id as never, geo as never)
		recordsOf(annaBoard.doc).set(text.id as never, text as never)
		// An empty shape is fine; text added to it later is held back too.
		const empty = emptyGeo(`shape:${freshId('empty')}`)
		recordsOf(annaBoard.doc).set(empty.id as never, empty as never)
		await marker(annaBoard, facilitator)
		recordsOf(annaBoard.doc).set(
			empty.id as never,
			{ ...empty, props: { ...(empty.props as object), richText: toRichText('Later geheim') } } as never
		)
		await marker(annaBoard, facilitator)
		const records = serverRecords(ctx.server, room.roomId)
		expect(records.has(geo.id as string)).toBe(false)
		expect(records.has(text.id)).toBe(false)
		expect(textOf(records.get(empty.id as string))).not.toContain('Later geheim')
		const heard = spy.bytes().toString('latin1')
		for (const secret of ['Geheim in een vorm', 'Geheim als tekst', 'Later geheim']) expect(heard).not.toContain(secret)
		expect(JSON.stringify(recordsOf(facilitator.doc).toJSON())).not.toContain('Geheim')
	})
})
