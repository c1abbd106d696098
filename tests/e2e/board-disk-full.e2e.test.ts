/**
 * Issue 11, disk full, with the real board: a note written on the canvas while the server's store cannot write
 * never reaches another board unstored; the board keeps it (reconnecting, its change unsent) and once space
 * returns its reconnect sends it again, so it is stored, reaches the others and survives a restart. The "disk"
 * is filled with the store's test-only hook (PRAGMA max_page_count; see tests/security/disk-full.test.ts).
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP } from '@kompasbord/shared'
import type { SqliteRoomStore } from '../../server/src/store/sqlite-room-store'
import { api, type CreatedRoom } from '../support/api'
import { createNoteViaEditor, openBoard, waitForConnectionState, waitForNote } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerInProcess, type InProcessServer } from '../support/server-in-process'
import { makeTempDir, removeTempDir } from '../support/temp-dir'
import { waitFor } from '../support/wait-for'
import { connectYClient, type YClient } from '../support/y-client'

/** The plain text of the notes in a y-websocket client's doc. */
function noteTexts(y: YClient): string[] {
	const texts: string[] = []
	for (const record of y.doc.getMap<Record<string, unknown>>(RECORDS_MAP).values()) {
		if (record.type !== 'note') continue
		texts.push(JSON.stringify((record.props as { richText?: unknown }).richText ?? ''))
	}
	return texts
}

describe('a board writing while the server disk is full', () => {
	let dataDir: string
	let server: InProcessServer
	let browser: Browser
	let user: UserContext
	let room: CreatedRoom
	const clients: YClient[] = []

	beforeAll(async () => {
		dataDir = await makeTempDir('kompasbord-e2e-disk-full-')
		server = await startServerInProcess({ dataDir })
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('blanco', { title: 'E2E: volle schijf' })
		user = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
	})

	afterAll(async () => {
		for (const client of clients) client.destroy()
		await user?.close().catch(() => {})
		await browser?.close()
		await server?.close()
		if (dataDir) await removeTempDir(dataDir)
	})

	it('keeps the note, sends it again once space returns, and loses nothing across a restart', async () => {
		const page = await openBoard(user, server.baseUrl, room.roomId, { name: 'Anna', joinCode: room.joinCode })
		const other = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(other)
		await other.waitForSync()

		const store = server.app.store as unknown as SqliteRoomStore
		const { freePages } = await store.simulateDiskFullForTesting(true)
		expect(freePages).toBe(0)
		// Long enough that storing it needs pages the full "disk" does not have.
		const marker = 'Geschreven op een volle schijf'
		const text = `${marker} ${'.'.repeat(12_000)}`
		await createNoteViaEditor(page, text, { x: 300, y: 300 })
		// The commit fails; the board is sent to reconnect (4503), again and again while the disk stays full.
		await waitForConnectionState(page, 'reconnecting', 20_000)
		expect(noteTexts(other).some((t) => t.includes(marker))).toBe(false)

		await store.simulateDiskFullForTesting(false)
		await waitFor(() => noteTexts(other).some((t) => t.includes(marker)), {
			timeout: 30_000,
			message: 'the note at the other board once space returned',
		})
		await waitForConnectionState(page, 'connected')
		await waitForNote(page, text)

		// After a restart on the same data, a new visitor gets it.
		await page.close()
		other.destroy()
		await server.close()
		server = await startServerInProcess({ dataDir })
		const fresh = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(fresh)
		await fresh.waitForSync()
		expect(noteTexts(fresh).some((t) => t.includes(marker))).toBe(true)
	})
})
