/**
 * A canvas note keeps its author when its room is loaded again: the room reads who wrote which note from the note
 * ledger (server/src/session/canvas-notes.ts, rooms/note-owners.ts), so after an unload another participant still
 * may not change its text, and its author still may.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import { api, startServerInProcess, waitFor, type InProcessServer } from './support'
import {
	canvasNote,
	closeClients,
	freshId,
	nextDocState,
	openClient,
	participantToken,
	recordsOf,
} from './session-helpers'

let server: InProcessServer
beforeAll(async () => {
	server = await startServerInProcess({ env: { ROOM_IDLE_MS: '100' } })
})
afterAll(async () => {
	closeClients()
	await server?.close()
})

function textOf(record: unknown): string {
	return JSON.stringify((record as { props?: { richText?: unknown } } | undefined)?.props?.richText ?? null)
}

describe('note authors after a room is loaded again', () => {
	it('lets only the author change a canvas note’s text, from the ledger', async () => {
		const client = api(server.baseUrl)
		const room = await client.createRoom('dos-en-donts')
		const authorToken = await participantToken(client, room, freshId('auteur'))
		const otherToken = await participantToken(client, room, freshId('ander'))
		const id = `shape:${freshId('canvas')}`
		const author = await openClient(server.wsUrl, room.roomId, { participantToken: authorToken })
		recordsOf(author.doc).set(id as never, canvasNote(id, 'Van de auteur', zoneFrameId('dos')) as never)
		await waitFor(
			async () => (await server.app.store.listNotesByStatus(room.roomId, 'placed')).some((n) => n.noteId === id),
			{ message: 'the canvas note in the ledger' }
		)
		closeClients()
		await waitFor(() => !server.app.rooms.isLoaded(room.roomId), { message: 'the room unloaded' })

		const other = await openClient(server.wsUrl, room.roomId, { participantToken: otherToken })
		const original = recordsOf(other.doc).get(id as never)
		expect(textOf(original)).toContain('Van de auteur')
		recordsOf(other.doc).set(id as never, canvasNote(id, 'Overgenomen', zoneFrameId('dos')) as never)
		await nextDocState(
			other.doc,
			() => textOf(recordsOf(other.doc).get(id as never)),
			(t) => t.includes('Van de auteur')
		)
		expect(textOf(server.app.rooms.peek(room.roomId)!.doc.getMap(RECORDS_MAP).get(id))).toContain('Van de auteur')
		// Read from the ledger when the room decoded its board, before that change was judged.
		expect(server.app.rooms.peek(room.roomId)?.noteOwners.size).toBe(1)

		const again = await openClient(server.wsUrl, room.roomId, { participantToken: authorToken })
		recordsOf(again.doc).set(id as never, canvasNote(id, 'Aangepast door de auteur', zoneFrameId('dos')) as never)
		await nextDocState(
			other.doc,
			() => textOf(recordsOf(other.doc).get(id as never)),
			(t) => t.includes('Aangepast door de auteur')
		)
	})
})
