/**
 * Issue 17, updates sent on as they came: an accepted update that holds only what the server lacks is committed
 * and sent to the others as the peer sent it (Yjs does not encode it again). What the rules never saw stays
 * out of that path: a value overwritten inside the same update, a value that lost to a concurrent one, an
 * update that overlaps what the server has — those go out as the server's own encoding, with the content that
 * was deleted garbage-collected. Whatever path an update takes, the boards, the stored history and the answer
 * to a client that joins afterwards agree with the server's board.
 */
import { describe, expect, it } from 'vitest'
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { PAGE_ID, RECORDS_MAP } from '@kompasbord/shared'
import { waitFor } from '../support/wait-for'
import { canvasNote, freshId, openClient, recordsOf, useInProcessServer } from '../session-helpers'
import { rawPeer, roundTrip, serverDoc, type RawPeer } from './ws-helpers'

const ctx = useInProcessServer()

/** The Yjs updates among the messages a raw peer received from index `from` on (sync step 2 and update messages). */
function updatesReceived(peer: RawPeer, from: number): Uint8Array[] {
	const updates: Uint8Array[] = []
	for (const message of peer.received.slice(from)) {
		const decoder = decoding.createDecoder(message)
		if (decoding.readVarUint(decoder) !== 0) continue
		const sub = decoding.readVarUint(decoder)
		if (sub === 1 || sub === 2) updates.push(decoding.readVarUint8Array(decoder))
	}
	return updates
}

/** The board a raw peer holds: the board when it joined, with every update it received since applied. */
function boardReceived(peer: RawPeer, joined: Uint8Array): Y.Doc {
	const doc = new Y.Doc()
	Y.applyUpdate(doc, joined)
	for (const update of updatesReceived(peer, 0)) Y.applyUpdate(doc, update)
	return doc
}

/**
 * A throwaway doc holding the server's board, with the given client id. Without garbage collection, it keeps
 * the content of what it deletes and sends it along (a board never does; an attacker's script may).
 */
function replicaOf(roomId: string, clientId: number, gc = true): Y.Doc {
	const doc = new Y.Doc({ gc })
	doc.clientID = clientId
	Y.applyUpdate(doc, Y.encodeStateAsUpdate(serverDoc(ctx.server, roomId)))
	return doc
}

/** The changes `fn` makes to `doc`, as one update. */
function changeOf(doc: Y.Doc, fn: (doc: Y.Doc) => void): Uint8Array {
	const before = Y.encodeStateVector(doc)
	fn(doc)
	return Y.encodeStateAsUpdate(doc, before)
}

/** The board's records as JSON, key by key, sorted. */
function recordsJson(doc: Y.Doc): string {
	const records = doc.getMap(RECORDS_MAP)
	return JSON.stringify([...records.keys()].sort().map((key) => [key, records.get(key)]))
}

/** Every update the room stored, applied to an empty doc. */
async function storedBoard(roomId: string): Promise<Y.Doc> {
	await ctx.server.app.rooms.peek(roomId)?.flushed()
	const doc = new Y.Doc()
	for (const update of (await ctx.server.app.store.loadUpdates(roomId)).updates) Y.applyUpdate(doc, update)
	return doc
}

/** Sends `update` from `sender`; resolves with the one update `listener` was sent for it. */
async function sendAndHear(sender: RawPeer, listener: RawPeer, update: Uint8Array): Promise<Buffer> {
	const heard = listener.received.length
	sender.sendUpdate(update)
	await roundTrip(sender)
	await roundTrip(listener)
	const forwarded = updatesReceived(listener, heard)
	expect(forwarded).toHaveLength(1)
	return Buffer.from(forwarded[0])
}

/** The server's board as JSON, once the listener's board and the stored history are checked to be the same. */
async function boardsAgree(roomId: string, listener: RawPeer, joined: Uint8Array): Promise<string> {
	const board = recordsJson(serverDoc(ctx.server, roomId))
	expect(recordsJson(boardReceived(listener, joined))).toBe(board)
	expect(recordsJson(await storedBoard(roomId))).toBe(board)
	return board
}

async function setup() {
	const room = await ctx.client.createRoom('dos-en-donts')
	const sender = await rawPeer(ctx.server, room.roomId, `?key=${room.facilitatorKey}`)
	const listener = await rawPeer(ctx.server, room.roomId)
	await roundTrip(sender)
	await roundTrip(listener)
	// (A raw peer asks for nothing: it holds the board as it was when it joined, and what it is sent.)
	const joined = Y.encodeStateAsUpdate(serverDoc(ctx.server, room.roomId))
	return { room, sender, listener, joined }
}

describe('updates sent on as they came', () => {
	it('an update holding only what the server lacks reaches the others byte for byte, already-made deletions included', async () => {
		const { room, sender, listener, joined } = await setup()
		// A client that joins with an empty doc is answered from a cached encoding of the board: made now.
		const early = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const replica = replicaOf(room.roomId, 4242)
		const gone = `shape:${freshId('gone')}`
		const createGone = changeOf(replica, (d) =>
			d.getMap(RECORDS_MAP).set(gone, canvasNote(gone, 'Weg ermee', PAGE_ID) as never)
		)
		sender.sendUpdate(createGone)
		await roundTrip(sender)
		const deletion = changeOf(replica, (d) => d.getMap(RECORDS_MAP).delete(gone))
		sender.sendUpdate(deletion)
		await roundTrip(sender)
		expect(serverDoc(ctx.server, room.roomId).getMap(RECORDS_MAP).has(gone)).toBe(false)

		// A new note, with the deletion of `gone` again (as two boards that deleted it at once would send).
		const id = `shape:${freshId('note')}`
		const before = Y.encodeStateVector(replica)
		replica.getMap(RECORDS_MAP).set(id, canvasNote(id, 'Zoals verstuurd', PAGE_ID) as never)
		const added = Y.encodeStateAsUpdate(replica, before)
		const update = Y.mergeUpdates([added, deletion])
		expect((await sendAndHear(sender, listener, update)).equals(Buffer.from(update))).toBe(true)

		// The board, the stored history, a client that joined before and one that joins now agree.
		const board = await boardsAgree(room.roomId, listener, joined)
		expect(board).toContain('Zoals verstuurd')
		await waitFor(() => recordsOf(early.doc).has(id as never), { message: 'the early client has the note' })
		expect(recordsJson(early.doc)).toBe(board)
		const late = await openClient(ctx.server.wsUrl, room.roomId, { key: room.facilitatorKey })
		expect(recordsJson(late.doc)).toBe(board)
	})

	it('a value overwritten inside the same update never leaves the server', async () => {
		const { room, sender, listener, joined } = await setup()
		const replica = replicaOf(room.roomId, 5151, false)
		const id = `shape:${freshId('note')}`
		const update = changeOf(replica, (d) =>
			d.transact(() => {
				d.getMap(RECORDS_MAP).set(id, canvasNote(id, 'GEHEIME-TUSSENSTAND', PAGE_ID) as never)
				d.getMap(RECORDS_MAP).set(id, canvasNote(id, 'Eindtekst', PAGE_ID) as never)
			})
		)
		expect(Buffer.from(update).includes('GEHEIME-TUSSENSTAND')).toBe(true)
		expect((await sendAndHear(sender, listener, update)).includes('GEHEIME-TUSSENSTAND')).toBe(false)
		const stored = await ctx.server.app.store.loadUpdates(room.roomId)
		expect(stored.updates.some((u) => Buffer.from(u).includes('GEHEIME-TUSSENSTAND'))).toBe(false)
		expect(await boardsAgree(room.roomId, listener, joined)).toContain('Eindtekst')
	})

	it('a value that loses to a concurrent one never leaves the server', async () => {
		const { room, sender, listener, joined } = await setup()
		const id = `shape:${freshId('note')}`
		const base = replicaOf(room.roomId, 7000)
		sender.sendUpdate(changeOf(base, (d) => d.getMap(RECORDS_MAP).set(id, canvasNote(id, 'Begin', PAGE_ID) as never)))
		await roundTrip(sender)
		// Two boards change the note at once; the one with the lower client id loses (Yjs orders by client id).
		const winner = replicaOf(room.roomId, 900_000)
		const loser = replicaOf(room.roomId, 3)
		const winning = changeOf(winner, (d) => d.getMap(RECORDS_MAP).set(id, canvasNote(id, 'Winnaar', PAGE_ID) as never))
		const losing = changeOf(loser, (d) =>
			d.getMap(RECORDS_MAP).set(id, canvasNote(id, 'VERLOREN-GEHEIM', PAGE_ID) as never)
		)
		sender.sendUpdate(winning)
		await roundTrip(sender)
		expect((await sendAndHear(sender, listener, losing)).includes('VERLOREN-GEHEIM')).toBe(false)
		const board = await boardsAgree(room.roomId, listener, joined)
		expect(board).toContain('Winnaar')
		expect(board).not.toContain('VERLOREN-GEHEIM')
	})

	it('an update overlapping what the server has goes out as what the server lacked', async () => {
		const { room, sender, listener, joined } = await setup()
		const replica = replicaOf(room.roomId, 8080)
		const first = `shape:${freshId('first')}`
		const second = `shape:${freshId('second')}`
		const start = Y.encodeStateVector(replica)
		replica.getMap(RECORDS_MAP).set(first, canvasNote(first, 'EERSTE-NOTITIE', PAGE_ID) as never)
		sender.sendUpdate(Y.encodeStateAsUpdate(replica, start))
		await roundTrip(sender)
		replica.getMap(RECORDS_MAP).set(second, canvasNote(second, 'Tweede', PAGE_ID) as never)
		// Both notes again (as a client that missed the acknowledgement would send them).
		const forwarded = await sendAndHear(sender, listener, Y.encodeStateAsUpdate(replica, start))
		expect(forwarded.includes('Tweede')).toBe(true)
		expect(forwarded.includes('EERSTE-NOTITIE')).toBe(false)
		await boardsAgree(room.roomId, listener, joined)
	})
})
