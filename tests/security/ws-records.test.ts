/**
 * Issue 11, validated records: a participant with a raw y-websocket client writes records that would poison
 * every board (a parent cycle, a frame without props, a record under another record's key, a frame that claims
 * a zone) and content outside the records map. The server refuses each — nothing of it stays in the room or
 * reaches another board — and the room keeps working: phone notes land in their zone, votes list, reveal works.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { PAGE_ID, RECORDS_MAP, SESSION_MAP, zoneFrameId } from '@kompasbord/shared'
import type { TLRecord } from '@tldraw/tlschema'
import { checkRecord, hasValidAncestry, type PlainRecord } from '../../server/src/rooms/record-validation'
import { waitFor } from '../support/wait-for'
import { canvasNote, freshId, openClient, recordsOf, useInProcessServer, participantToken } from '../session-helpers'
import { expectRoomWorks, rawPeer, roundTrip, serverDoc, serverRecords, updateFrom } from './ws-helpers'

const ctx = useInProcessServer()

/** A frame record as tldraw writes it. */
function frame(id: string, parentId: string, meta: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id,
		typeName: 'shape',
		type: 'frame',
		parentId,
		index: 'a5',
		x: 0,
		y: 0,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta,
		props: { w: 800, h: 600, name: 'Mijn frame', color: 'black' },
	}
}

async function setup() {
	const room = await ctx.client.createRoom('dos-en-donts')
	const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
	const attacker = await openClient(ctx.server.wsUrl, room.roomId, { pid: freshId('attacker') })
	return { room, facilitator, attacker }
}

/** Writes a marker note from `writer` and waits until `reader` has it: everything `writer` sent before was judged. */
async function barrier(writer: { doc: Y.Doc }, reader: { doc: Y.Doc }): Promise<void> {
	const id = `shape:${freshId('marker')}`
	recordsOf(writer.doc).set(id as never, canvasNote(id, '', PAGE_ID) as never)
	await waitFor(() => recordsOf(reader.doc).has(id as never), { message: 'the marker arrived' })
}

/** Every record the server holds passes tldraw's validation under its key, and every shape hangs under the page. */
function expectSoundBoard(roomId: string): void {
	const records = serverRecords(ctx.server, roomId)
	for (const [key, record] of records) {
		expect(checkRecord(key, record), key).toBeNull()
		if (record.typeName === 'shape') {
			expect(
				hasValidAncestry(record as unknown as PlainRecord, (id) => records.get(id)),
				key
			).toBe(true)
		}
	}
}

describe('records a participant writes', () => {
	it('two shapes whose parentIds point at each other are refused; boards keep loading', async () => {
		const { room, facilitator, attacker } = await setup()
		const a = frame(`shape:${freshId('a')}`, 'shape:b-placeholder')
		const b = frame(`shape:${freshId('b')}`, a.id as string)
		a.parentId = b.id
		attacker.doc.transact(() => {
			recordsOf(attacker.doc).set(a.id as never, a as never)
			recordsOf(attacker.doc).set(b.id as never, b as never)
		})
		await barrier(attacker, facilitator)
		expect(recordsOf(facilitator.doc).has(a.id as never)).toBe(false)
		expect(recordsOf(facilitator.doc).has(b.id as never)).toBe(false)
		// One at a time: the second closes the cycle and is refused.
		const c = frame(`shape:${freshId('c')}`, PAGE_ID)
		recordsOf(attacker.doc).set(c.id as never, c as never)
		await barrier(attacker, facilitator)
		const d = frame(`shape:${freshId('d')}`, c.id as string)
		recordsOf(attacker.doc).set(d.id as never, d as never)
		await barrier(attacker, facilitator)
		recordsOf(attacker.doc).set(c.id as never, { ...c, parentId: d.id } as never)
		await barrier(attacker, facilitator)
		expect((recordsOf(facilitator.doc).get(c.id as never) as { parentId: string }).parentId).toBe(PAGE_ID)
		expectSoundBoard(room.roomId)
		const late = await openClient(ctx.server.wsUrl, room.roomId)
		expect(recordsOf(late.doc).has(zoneFrameId('dos'))).toBe(true)
		await expectRoomWorks(ctx.server, ctx.client, room, 'dos', { reveal: true })
	})

	it('a frame without props that claims a zone is refused: phone notes, votes and the reveal keep working', async () => {
		const { room, facilitator, attacker } = await setup()
		// An id that sorts before the real frame's (on main the smallest id wins the zone).
		const { props: _props, ...bare } = frame(`shape:aaaa-${freshId('bare')}`, PAGE_ID, { zoneId: 'dos' })
		recordsOf(attacker.doc).set(bare.id as never, bare as never)
		await barrier(attacker, facilitator)
		expect(serverRecords(ctx.server, room.roomId).has(bare.id as string)).toBe(false)
		await expectRoomWorks(ctx.server, ctx.client, room, 'dos', { reveal: true })
	})

	it("a record stored under another record's key is refused: the locked frame and others' notes keep their content", async () => {
		const { room, facilitator, attacker } = await setup()
		const victim = await ctx.client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Mijn eigen tekst', clientNoteId: freshId('n') },
			await participantToken(ctx.client, room, freshId('victim'))
		)
		const forgedId = `shape:${freshId('forged')}`
		attacker.doc.transact(() => {
			recordsOf(attacker.doc).set(victim.noteId as never, canvasNote(forgedId, 'Vervalste tekst', PAGE_ID) as never)
			recordsOf(attacker.doc).set(zoneFrameId('dos'), frame(forgedId, PAGE_ID) as never)
		})
		await barrier(attacker, facilitator)
		const records = serverRecords(ctx.server, room.roomId)
		expect(records.get(victim.noteId)?.id).toBe(victim.noteId)
		expect(JSON.stringify(records.get(victim.noteId))).toContain('Mijn eigen tekst')
		expect(records.get(zoneFrameId('dos'))?.id).toBe(zoneFrameId('dos'))
		expect(JSON.stringify(recordsOf(facilitator.doc).toJSON())).not.toContain('Vervalste tekst')
		expectSoundBoard(room.roomId)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})

	it("a participant's own frame with meta.zoneId does not capture the zone's phone notes", async () => {
		const { room, facilitator, attacker } = await setup()
		// An id that sorts before the real frame's: on main the smallest id wins the zone.
		const fake = frame('shape:aaaa-fake-dos', PAGE_ID, { zoneId: 'dos' })
		recordsOf(attacker.doc).set(fake.id as never, fake as never)
		await barrier(attacker, facilitator)
		expect(serverRecords(ctx.server, room.roomId).has(fake.id as string)).toBe(false)
		await expectRoomWorks(ctx.server, ctx.client, room, 'dos')
	})

	it('invalid records of every kind are refused: unknown types, bad props, oversized records, deep rich text', async () => {
		const { room, facilitator, attacker } = await setup()
		const ids = [
			`shape:${freshId('x')}`,
			`shape:${freshId('y')}`,
			`shape:${freshId('z')}`,
			`binding:${freshId('w')}`,
			`shape:${freshId('v')}`,
		]
		// Rich text whose lists nest 200 deep: a few KB, valid by tldraw's schema (its content is left open).
		let quote: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text: 'diep' }] }
		for (let i = 0; i < 200; i++) quote = { type: i % 2 ? 'bulletList' : 'listItem', content: [quote] }
		const deepNote = canvasNote(ids[4], '', PAGE_ID) as unknown as { props: Record<string, unknown> }
		deepNote.props.richText = { type: 'doc', content: [quote] }
		attacker.doc.transact(() => {
			const records = recordsOf(attacker.doc)
			records.set(ids[4] as never, deepNote as never)
			records.set(ids[0] as never, { ...canvasNote(ids[0], 'x', PAGE_ID), typeName: 'instance' } as never)
			records.set(ids[1] as never, { ...canvasNote(ids[1], 'x', PAGE_ID), props: { color: 'nope' } } as never)
			records.set(ids[2] as never, canvasNote(ids[2], 'x'.repeat(200_000), PAGE_ID) as never)
			records.set(
				ids[3] as never,
				{
					id: ids[3],
					typeName: 'binding',
					type: 'arrow',
					fromId: 'shape:nowhere',
					toId: zoneFrameId('dos'),
					meta: {},
					props: { terminal: 'end', normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false },
				} as never
			)
		})
		await barrier(attacker, facilitator)
		for (const id of ids) expect(recordsOf(facilitator.doc).has(id as never), id).toBe(false)
		expectSoundBoard(room.roomId)
	})

	it('values JSON cannot hold (a BigInt) are refused where the rules compare values too: nothing of them is kept or sent', async () => {
		const { room, facilitator } = await setup()
		const theirs = `shape:${freshId('theirs')}`
		recordsOf(facilitator.doc).set(theirs as never, canvasNote(theirs, 'Van de facilitator', PAGE_ID) as never)
		await waitFor(() => serverRecords(ctx.server, room.roomId).has(theirs), { message: "the facilitator's note" })
		const attacker = await rawPeer(ctx.server, room.roomId, `?pid=${freshId('attacker')}`)
		const listener = await rawPeer(ctx.server, room.roomId)
		await roundTrip(listener)
		const heard = listener.received.length
		const base = Y.encodeStateAsUpdate(serverDoc(ctx.server, room.roomId))
		// Yjs carries a BigInt (lib0's type 122); JSON.stringify throws on it.
		const big = 12345678901234567890n
		const fresh = `shape:${freshId('big')}`
		const note = canvasNote(fresh, 'Groot getal', PAGE_ID)
		// A new note whose meta.zoneId the rules compare with the old one; someone else's note whose text they compare.
		const newNote = updateFrom(
			(d) => d.getMap(RECORDS_MAP).set(fresh, { ...note, meta: { kind: 'note', zoneId: big } }),
			base
		)
		attacker.sendUpdate(newNote)
		const old = serverRecords(ctx.server, room.roomId).get(theirs) as unknown as { props: Record<string, unknown> }
		attacker.sendUpdate(
			updateFrom(
				(d) =>
					d.getMap(RECORDS_MAP).set(theirs, {
						...old,
						props: { ...old.props, richText: { type: 'doc', content: [{ type: 'text', text: 'Overgenomen', big }] } },
					}),
				base,
				777
			)
		)
		await roundTrip(attacker)
		await roundTrip(listener)
		expect(serverRecords(ctx.server, room.roomId).has(fresh)).toBe(false)
		const kept = serverRecords(ctx.server, room.roomId).get(theirs) as unknown as { props: { richText: unknown } }
		expect(JSON.stringify(kept.props.richText)).toContain('Van de facilitator')
		// What the others were sent and what was stored: no BigInt (lib0's type 122 followed by its 8 bytes).
		const bigBytes = Buffer.alloc(9)
		bigBytes[0] = 122
		bigBytes.writeBigInt64BE(big - 2n ** 64n, 1)
		expect(Buffer.from(newNote).includes(bigBytes)).toBe(true)
		const sent = Buffer.concat(listener.received.slice(heard))
		expect(sent.includes(bigBytes)).toBe(false)
		const stored = await ctx.server.app.store.loadUpdates(room.roomId)
		expect(stored.updates.some((u) => Buffer.from(u).includes(bigBytes))).toBe(false)
		expectSoundBoard(room.roomId)
		await expectRoomWorks(ctx.server, ctx.client, room, 'dos')
	})

	it('a key written with no value (Yjs carries undefined) is removed again, in every map', async () => {
		const { room, facilitator } = await setup()
		const attacker = await rawPeer(ctx.server, room.roomId, `?pid=${freshId('attacker')}`)
		const base = Y.encodeStateAsUpdate(serverDoc(ctx.server, room.roomId))
		const key = `shape:${freshId('leeg')}`
		attacker.sendUpdate(updateFrom((d) => d.getMap(RECORDS_MAP).set(key, undefined), base))
		await roundTrip(attacker)
		expect(serverDoc(ctx.server, room.roomId).getMap(RECORDS_MAP).has(key)).toBe(false)
		expect(recordsOf(facilitator.doc).has(key as never)).toBe(false)
		// The facilitator too: a value must be JSON. Their board holds the key until the server's revert arrives.
		const fkey = `shape:${freshId('leeg')}`
		recordsOf(facilitator.doc).set(fkey as never, undefined as never)
		expect(recordsOf(facilitator.doc).has(fkey as never)).toBe(true)
		await waitFor(() => !recordsOf(facilitator.doc).has(fkey as never), { message: "the server's revert" })
		expect(serverDoc(ctx.server, room.roomId).getMap(RECORDS_MAP).has(fkey)).toBe(false)
		expectSoundBoard(room.roomId)
		await expectRoomWorks(ctx.server, ctx.client, room, 'dos')
	})

	it('writes outside the records map (other root types, text, list items under session, nested types) are removed', async () => {
		const { room, facilitator, attacker } = await setup()
		const junk = 'x'.repeat(300_000)
		attacker.doc.transact(() => {
			attacker.doc.getText('nobody-watches').insert(0, junk)
			attacker.doc.getArray<string>('list').push([junk])
			const nested = new Y.Map<string>()
			recordsOf(attacker.doc).set(`shape:${freshId('nested')}` as never, nested as never)
			nested.set('junk', junk)
		})
		// List items under the session map's root (the map used as a list), from a doc that knows it as an array.
		Y.applyUpdate(
			attacker.doc,
			updateFrom((d) => d.getArray<string>(SESSION_MAP).push([junk]))
		)
		await barrier(attacker, facilitator)
		const doc = serverDoc(ctx.server, room.roomId)
		let live = 0
		for (let item = doc.getMap(SESSION_MAP)._start; item; item = item.right) if (!item.deleted) live++
		expect(live).toBe(0)
		expect(doc.getText('nobody-watches').length).toBe(0)
		expect(doc.getArray('list').length).toBe(0)
		expect(Y.encodeStateAsUpdate(doc).length).toBeLessThan(200_000)
		expect(JSON.stringify(recordsOf(facilitator.doc).toJSON())).not.toContain('xxxxxxxxxx')
		// A late board receives none of it either.
		const late = await openClient(ctx.server.wsUrl, room.roomId)
		expect(late.doc.getText('nobody-watches').length).toBe(0)
		expectSoundBoard(room.roomId)
		await expectRoomWorks(ctx.server, ctx.client, room)
	})

	it('the facilitator is held to the structural rules too', async () => {
		const room = await ctx.client.createRoom('dos-en-donts')
		const facilitator = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const other = await openClient(ctx.server.wsUrl, room.roomId)
		const a = frame(`shape:${freshId('fa')}`, 'shape:nowhere')
		recordsOf(facilitator.doc).set(a.id as never, a as never)
		await barrier(facilitator, other)
		expect(recordsOf(other.doc).has(a.id as never)).toBe(false)
		expectSoundBoard(room.roomId)
		const records: Map<string, TLRecord> = serverRecords(ctx.server, room.roomId)
		expect(records.has(a.id as string)).toBe(false)
	})
})
