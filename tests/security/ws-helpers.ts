/**
 * Helpers of the websocket attack tests (tests/security/ws-*.test.ts): raw sockets that speak y-websocket
 * byte by byte, as an attacker's script would, and the checks that a room still works for everyone else.
 */
import WebSocket from 'ws'
import { expect } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import type { TLRecord } from '@tldraw/tlschema'
import type { ApiClient, CreatedRoom } from '../support/api'
import type { InProcessServer } from '../support/server-in-process'
import { waitFor } from '../support/wait-for'
import { credentialFor, freshId, paramsOfQuery, participantToken } from '../session-helpers'
import { credentialProtocols } from '../support/y-client'

/** A raw websocket with everything it received and, once closed, its close code. */
export interface RawPeer {
	socket: WebSocket
	received: Buffer[]
	/** Resolves with the close code when the socket closes. */
	closed: Promise<number>
	/** Sends a Yjs update as a sync `update` message. */
	sendUpdate(update: Uint8Array): void
	/** Sends an awareness update (y-protocols encoding) as an awareness message. */
	sendAwareness(update: Uint8Array): void
	/** Bytes received so far. */
	bytes(): number
}

/**
 * Opens a raw websocket to a room: a new participant unless `query` says otherwise (`?pid=<name>` a named
 * participant, `?key=<key>` the facilitator, `?view=1` the view token); see {@link credentialFor}.
 */
export async function rawPeer(server: InProcessServer, roomId: string, query = ''): Promise<RawPeer> {
	const credential = await credentialFor(server, roomId, paramsOfQuery(query))
	const socket = new WebSocket(`${server.wsUrl}/${roomId}`, credentialProtocols(credential))
	const received: Buffer[] = []
	socket.on('message', (data: Buffer) => received.push(Buffer.from(data)))
	const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)))
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve())
		socket.once('error', reject)
	})
	const send = (type: number, sub: number | null, payload: Uint8Array) => {
		const encoder = encoding.createEncoder()
		encoding.writeVarUint(encoder, type)
		if (sub !== null) encoding.writeVarUint(encoder, sub)
		encoding.writeVarUint8Array(encoder, payload)
		if (socket.readyState === socket.OPEN) socket.send(encoding.toUint8Array(encoder))
	}
	return {
		socket,
		received,
		closed,
		sendUpdate: (update) => send(0, 2, update),
		sendAwareness: (update) => send(1, null, update),
		bytes: () => received.reduce((n, b) => n + b.length, 0),
	}
}

/** The server's doc of a loaded room. */
export function serverDoc(server: InProcessServer, roomId: string): Y.Doc {
	const room = server.app.rooms.peek(roomId)
	if (!room) throw new Error(`room ${roomId} is not loaded`)
	return room.doc
}

/** The server's records of a loaded room, as plain values. */
export function serverRecords(server: InProcessServer, roomId: string): Map<string, TLRecord> {
	return new Map(serverDoc(server, roomId).getMap<TLRecord>(RECORDS_MAP).entries())
}

/** Resolves once every message sent so far by a raw peer has been handled: an awareness query round trip. */
export async function roundTrip(peer: RawPeer): Promise<void> {
	const before = peer.received.length
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, 3)
	peer.socket.send(encoding.toUint8Array(encoder))
	await waitFor(() => peer.received.length > before, { message: 'the server answered the awareness query' })
}

/** An update of a throwaway doc (client id `clientId`) made by `fn`. */
export function updateFrom(fn: (doc: Y.Doc) => void, base?: Uint8Array, clientId?: number): Uint8Array {
	const doc = new Y.Doc()
	if (clientId !== undefined) doc.clientID = clientId
	if (base) Y.applyUpdate(doc, base)
	const before = Y.encodeStateVector(doc)
	fn(doc)
	return Y.encodeStateAsUpdate(doc, before)
}

/**
 * The room still works for everyone else: a phone note to `zoneId` lands (201, placed in that zone's frame on
 * the server's board); with `reveal`, a private-writing round holds a note and the reveal places it.
 */
export async function expectRoomWorks(
	server: InProcessServer,
	client: ApiClient,
	room: CreatedRoom,
	zoneId = 'dos',
	options: { reveal?: boolean } = {}
): Promise<void> {
	const token = await participantToken(client, room, freshId('p'))
	const posted = await client.postNote(
		room.roomId,
		{ zoneId, text: 'Het werkt nog', clientNoteId: freshId('n') },
		token
	)
	const placed = serverRecords(server, room.roomId).get(posted.noteId) as { parentId?: string } | undefined
	expect(placed?.parentId).toBe(zoneFrameId(zoneId))
	const votes = await client.request('GET', `/api/rooms/${room.roomId}/votes`, { token })
	expect(votes.status).toBe(200)
	if (!options.reveal) return
	await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'private' })
	const held = await client.postNote(
		room.roomId,
		{ zoneId, text: 'Stil geschreven', clientNoteId: freshId('n') },
		token
	)
	expect(held.status).toBe('held')
	await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
	await waitFor(() => serverRecords(server, room.roomId).has(held.noteId), { message: 'the held note revealed' })
	expect((serverRecords(server, room.roomId).get(held.noteId) as { parentId?: string }).parentId).toBe(
		zoneFrameId(zoneId)
	)
}
