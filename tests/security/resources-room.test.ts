import { afterEach, describe, expect, it } from 'vitest'
import { participantToken } from '../session-helpers'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import { WRITE_BURST_BYTES } from '../../server/src/ws/peer-connection'
import { api } from '../support/api'
import { startServerInProcess } from '../support/server-in-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, credentialProtocols } from '../support/y-client'
import { updateMessage } from './attack-mix'
import { nthIndex } from './board-writes'

let cleanups: (() => unknown)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
	cleanups = []
})

describe("room resources: one client's changes", () => {
	it('a participant pouring valid notes into a room is closed (1008) after its write budget; the room works on', async () => {
		const server = await startServerInProcess()
		cleanups.push(() => server.close())
		const http = api(server.baseUrl)
		const room = await http.createRoom('blanco', { title: 'stortvloed' })
		const ws = new WebSocket(
			`${server.wsUrl}/${room.roomId}`,
			credentialProtocols({ participantToken: await participantToken(http, room, 'stortvloed') })
		)
		cleanups.push(() => ws.terminate())
		ws.on('error', () => {})
		await new Promise((resolve) => ws.once('open', resolve))
		const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))

		// Updates of 14 valid notes of 50 kB each (under the per-record and per-update caps), 32 MB in all.
		const author = new Y.Doc()
		const records = author.getMap<unknown>(RECORDS_MAP)
		let sent = 0
		let n = 0
		while (sent < 4 * WRITE_BURST_BYTES && ws.readyState === WebSocket.OPEN) {
			const before = Y.encodeStateVector(author)
			author.transact(() => {
				for (let k = 0; k < 14; k++, n++) {
					const id = `shape:flood${n}`
					records.set(
						id,
						noteShapeRecord({ id, parentId: PAGE_ID, index: nthIndex(n), x: n, y: 0, text: 'x'.repeat(50_000) })
					)
				}
			})
			const update = Y.encodeStateAsUpdate(author, before)
			ws.send(updateMessage(update))
			sent += update.byteLength
		}
		expect(await closed).toBe(1008)

		const watcher = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		cleanups.push(() => watcher.destroy())
		await watcher.waitForSync()
		const flood = [...watcher.doc.getMap(RECORDS_MAP).keys()].filter((key) => key.startsWith('shape:flood'))
		// About the burst got in (plus what refilled meanwhile), not the 32 MB.
		expect(flood.length).toBeGreaterThan(0)
		expect(flood.length * 50_000).toBeLessThan(WRITE_BURST_BYTES * 2)
		// The room works on: a phone note lands.
		const { noteId } = await http.postNote(
			room.roomId,
			{ zoneId: 'notities', text: 'Nog steeds bereikbaar', clientNoteId: 'note-flood-check' },
			await participantToken(http, room, 'phone-flood-check')
		)
		await waitFor(() => watcher.doc.getMap(RECORDS_MAP).has(noteId))
	}, 60_000)
})
