/**
 * Issue 11 in Chromium: a participant's script sends the updates that used to freeze every board and keep later
 * boards from loading (two shapes that are each other's parent, a frame without props that claims a zone, a
 * record under another record's key, a note whose rich text holds a node tldraw does not know, a delete set for
 * the facilitator's future clocks). A board already open
 * keeps working, and a fresh board loads and shows the template, with a phone note in its zone.
 */
import { PAGE_ID, RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { api, type CreatedRoom } from '../support/api'
import { boardShapes, openBoard, waitForNote } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, credentialProtocols, type YClient } from '../support/y-client'
import { canvasNote, participantToken } from '../session-helpers'

function frame(id: string, parentId: string, meta: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id,
		typeName: 'shape',
		type: 'frame',
		parentId,
		index: 'a5',
		x: 100,
		y: 100,
		rotation: 0,
		isLocked: false,
		opacity: 1,
		meta,
		props: { w: 400, h: 300, name: 'Kaper', color: 'black' },
	}
}

/** A sync update message of a delete set only: `client`'s clocks from `clock` on, `len` of them. */
function deleteSetMessage(client: number, clock: number, len: number): Uint8Array {
	const update = encoding.createEncoder()
	encoding.writeVarUint(update, 0)
	encoding.writeVarUint(update, 1)
	encoding.writeVarUint(update, client)
	encoding.writeVarUint(update, 1)
	encoding.writeVarUint(update, clock)
	encoding.writeVarUint(update, len)
	const message = encoding.createEncoder()
	encoding.writeVarUint(message, 0)
	encoding.writeVarUint(message, 2)
	encoding.writeVarUint8Array(message, encoding.toUint8Array(update))
	return encoding.toUint8Array(message)
}

describe('poisoned updates from a participant', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	const users: UserContext[] = []
	const clients: YClient[] = []

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('dos-en-donts', { title: 'E2E: vergiftigd' })
	})

	afterAll(async () => {
		for (const client of clients) client.destroy()
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('leave an open board working, and a fresh board loads and shows the template', async () => {
		const first = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
		users.push(first)
		const open = await openBoard(first, server.baseUrl, room.roomId, { joinCode: room.joinCode })
		const facilitator = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const http = api(server.baseUrl)
		const attacker = connectYClient(server.wsUrl, room.roomId, {
			participantToken: await participantToken(http, room, 'aanvaller'),
		})
		clients.push(facilitator, attacker)
		await Promise.all([facilitator.waitForSync(), attacker.waitForSync()])

		const records = attacker.doc.getMap<unknown>(RECORDS_MAP)
		const a = frame('shape:cycle-a', 'shape:cycle-b')
		const b = frame('shape:cycle-b', 'shape:cycle-a')
		const { props: _props, ...bare } = frame('shape:aaaa-bare', PAGE_ID, { zoneId: 'dos' })
		// A note whose rich text holds a node tldraw's editor does not know: it used to throw in every board's render.
		const quoted = canvasNote('shape:quoted', '', PAGE_ID) as unknown as { props: Record<string, unknown> }
		quoted.props.richText = { type: 'doc', content: [{ type: 'blockquote', content: [{ type: 'paragraph' }] }] }
		attacker.doc.transact(() => {
			records.set(a.id as string, a)
			records.set(b.id as string, b)
			records.set(bare.id as string, bare)
			records.set(zoneFrameId('dos'), frame('shape:forged', PAGE_ID))
			records.set('shape:quoted', quoted)
		})
		// The open board still works and never got the poison.
		const note = await http.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Na de aanval', clientNoteId: 'na-de-aanval-1' },
			await participantToken(http, room, 'telefoon-1')
		)
		const seen = await waitForNote(open, 'Na de aanval')
		expect(seen.parentId).toBe(zoneFrameId('dos'))
		const ids = (await boardShapes(open)).map((s) => s.id)
		for (const id of ['shape:cycle-a', 'shape:cycle-b', 'shape:aaaa-bare', 'shape:forged', 'shape:quoted'])
			expect(ids).not.toContain(id)

		// A fresh board loads, with the template's zones and the note.
		const second = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
		users.push(second)
		const fresh = await openBoard(second, server.baseUrl, room.roomId, { joinCode: room.joinCode })
		await waitFor(async () => (await boardShapes(fresh)).some((s) => s.id === zoneFrameId('dos')), {
			message: 'the template on the fresh board',
		})
		const shapes = await boardShapes(fresh)
		for (const zoneId of ['dos', 'donts', 'waarden', 'verwachtingen', 'afspraken']) {
			expect(shapes.some((s) => s.id === zoneFrameId(zoneId))).toBe(true)
		}
		expect(shapes.find((s) => s.id === note.noteId)?.parentId).toBe(zoneFrameId('dos'))

		// A delete set for the facilitator's next clocks, from a raw socket.
		const raw = new WebSocket(
			`${server.wsUrl}/${room.roomId}`,
			credentialProtocols({ participantToken: await participantToken(http, room, 'raw') })
		)
		await new Promise((resolve) => raw.once('open', resolve))
		const closed = new Promise<number>((resolve) => raw.once('close', resolve))
		const fid = facilitator.doc.clientID
		raw.send(deleteSetMessage(fid, Y.getState(facilitator.doc.store, fid), 100))
		expect(await closed).toBeGreaterThanOrEqual(4000)
		// The facilitator's next edit writes the zone frame again; it must survive.
		const fRecords = facilitator.doc.getMap<Record<string, unknown>>(RECORDS_MAP)
		const zone = fRecords.get(zoneFrameId('dos')) as Record<string, unknown>
		fRecords.set(zoneFrameId('dos'), { ...zone, x: (zone.x as number) + 1 })

		await waitFor(
			async () => (await boardShapes(fresh)).find((s) => s.id === zoneFrameId('dos'))?.x === (zone.x as number) + 1,
			{
				message: "the facilitator's edit, frame intact, on the fresh board",
			}
		)
		expect(
			await http.postNote(
				room.roomId,
				{ zoneId: 'dos', text: 'Na de wisactie', clientNoteId: 'na-de-wisactie-1' },
				await participantToken(http, room, 'telefoon-1')
			)
		).toMatchObject({ status: 'placed' })
	})
})
