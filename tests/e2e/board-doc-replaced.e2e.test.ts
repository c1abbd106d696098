/**
 * A board that was away while its room was rebuilt without history (server/src/rooms/doc-rebuild.ts): on
 * reconnecting it is told its copy is stale (CLOSE_DOC_REPLACED), connects again with a fresh doc, and writes
 * the note it made while away into the new doc — nothing is lost, and no history comes back.
 */
import type { Browser, Page } from 'playwright-core'
import * as Y from 'yjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PAGE_ID, RECORDS_MAP, indexKey, noteShapeRecord } from '@kompasbord/shared'
import { docHistoryStats } from '../../server/src/rooms/doc-rebuild'
import { api, type CreatedRoom } from '../support/api'
import { boardShapes, createNoteViaEditor, openBoard, waitForConnectionState, waitForNote } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, type YClient } from '../support/y-client'

const NOTES = 150
const MOVES = 4

/** The board's provider, as BoardPage exposes it for tests. */
interface ProviderHandle {
	__kompasbord?: { provider: { connect(): void; disconnect(): void }; doc: { clientID: number } }
}

/** Writes NOTES notes and moves each MOVES times in turn, so the room's history outgrows its content. */
function busyBoard(client: YClient): void {
	const records = client.doc.getMap<unknown>(RECORDS_MAP)
	const note = (i: number, rev: number) =>
		noteShapeRecord({
			id: `shape:busy${i}`,
			parentId: PAGE_ID,
			index: indexKey(i + 10),
			x: (i % 15) * 220 + rev,
			y: Math.floor(i / 15) * 220,
			text: `Notitie ${i}`,
		})
	client.doc.transact(() => {
		for (let i = 0; i < NOTES; i++) records.set(`shape:busy${i}`, note(i, 0))
	})
	for (let rev = 1; rev <= MOVES; rev++) for (let i = 0; i < NOTES; i++) records.set(`shape:busy${i}`, note(i, rev))
}

async function closeClient(client: YClient): Promise<void> {
	client.destroy()
}

describe('a board whose room was rebuilt while it was away', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	let user: UserContext

	beforeAll(async () => {
		server = await startServerProcess({ env: { ROOM_IDLE_MS: '300' } })
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('blanco', { title: 'E2E: herbouwd bord' })
		user = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
	})

	afterAll(async () => {
		await user?.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('reconnects with a fresh copy and keeps the note written while away', async () => {
		const writer = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await writer.waitForSync()
		busyBoard(writer)
		const page: Page = await openBoard(user, server.baseUrl, room.roomId, { name: 'Anna', joinCode: room.joinCode })
		await waitFor(
			async () => ((await boardShapes(page)).filter((s) => s.type === 'note').length === NOTES ? true : null),
			{
				timeout: 20_000,
				message: 'the board to show the busy notes',
			}
		)
		await closeClient(writer)
		const oldClientId = await page.evaluate(() => (window as unknown as ProviderHandle).__kompasbord!.doc.clientID)

		// The board loses the server and writes a note meanwhile.
		await page.evaluate(() => (window as unknown as ProviderHandle).__kompasbord!.provider.disconnect())
		await waitForConnectionState(page, 'reconnecting')
		await createNoteViaEditor(page, 'Geschreven terwijl ik weg was', { x: 400, y: 1200 })
		await waitForConnectionState(page, 'offline')

		// Someone else changes the board and leaves; the empty room unloads and is rebuilt.
		const other = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await other.waitForSync()
		other.doc
			.getMap<unknown>(RECORDS_MAP)
			.set(
				'shape:other',
				noteShapeRecord({ id: 'shape:other', parentId: PAGE_ID, index: 'a5', x: 0, y: -400, text: 'Van iemand anders' })
			)
		await waitFor(async () => {
			const probe = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
			try {
				await probe.waitForSync()
				return probe.doc.getMap(RECORDS_MAP).has('shape:other')
			} finally {
				probe.destroy()
			}
		})
		await closeClient(other)
		await waitFor(() => (/room rebuilt without its history/.test(server.output()) ? true : null), {
			timeout: 15_000,
			message: 'the room to be rebuilt',
		})

		// Back online: the stale copy is refused, the board loads the new doc and writes its note into it.
		await page.evaluate(() => (window as unknown as ProviderHandle).__kompasbord!.provider.connect())
		await waitFor(
			async () => {
				const id = await page.evaluate(() => (window as unknown as ProviderHandle).__kompasbord?.doc.clientID)
				return id !== undefined && id !== oldClientId ? true : null
			},
			{ timeout: 20_000, message: 'the board to connect with a new doc' }
		)
		await waitForConnectionState(page, 'connected')
		await waitForNote(page, 'Geschreven terwijl ik weg was')
		await waitForNote(page, 'Van iemand anders')
		expect((await boardShapes(page)).filter((s) => s.type === 'note').length).toBe(NOTES + 2)

		// What a new visitor gets: everything, including the note written while away, and no history.
		const fresh = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		try {
			await fresh.waitForSync()
			await waitFor(() => {
				const texts = [...fresh.doc.getMap<{ props?: { richText?: unknown } }>(RECORDS_MAP).values()].map((r) =>
					JSON.stringify(r.props?.richText ?? '')
				)
				return texts.some((t) => t.includes('Geschreven terwijl ik weg was')) ? true : null
			})
			const copy = new Y.Doc()
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(fresh.doc))
			expect(docHistoryStats(copy).tombstones).toBeLessThan(NOTES)
		} finally {
			fresh.destroy()
		}
	})
})
