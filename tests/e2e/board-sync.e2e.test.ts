import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import type { Browser, Page } from 'playwright-core'
import { RECORDS_MAP } from '@kompasbord/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import {
	boardCollaborators,
	boardDocument,
	boardShapes,
	canvasCentre,
	createNoteViaEditor,
	createNoteViaUi,
	openBoard,
	waitForConnectionState,
	waitForNote,
	type BoardRecord,
} from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient } from '../support/y-client'

const SYNC_TIMEOUT = 20_000

/**
 * Asserts that `after` holds every record of `before`, unchanged, and nothing else but `user` records (a new
 * visitor's name and cursor colour).
 */
function expectSameBoard(after: Record<string, BoardRecord>, before: Record<string, BoardRecord>): void {
	const added = Object.keys(after).filter((id) => !(id in before))
	expect(added.filter((id) => after[id]!.typeName !== 'user')).toEqual([])
	expect(Object.fromEntries(Object.entries(after).filter(([id]) => id in before))).toEqual(before)
}

describe('two browsers on one board', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	const users: UserContext[] = []

	const newUser = async () => {
		const user = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
		users.push(user)
		return user
	}

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('blanco', { title: 'E2E: samen op één bord' })
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	let anna: Page
	let bert: Page

	it('shows a note written in one browser in the other, and each sees the other as a collaborator', async () => {
		anna = await openBoard(await newUser(), server.baseUrl, room.roomId, { name: 'Anna', joinCode: room.joinCode })
		bert = await openBoard(await newUser(), server.baseUrl, room.roomId, { name: 'Bert', joinCode: room.joinCode })

		// Presence: each board lists the other person, by the name they gave.
		await waitFor(async () => (await boardCollaborators(anna)).some((c) => c.userName === 'Bert'), {
			timeout: SYNC_TIMEOUT,
			message: 'Anna to see Bert',
		})
		await waitFor(async () => (await boardCollaborators(bert)).some((c) => c.userName === 'Anna'), {
			timeout: SYNC_TIMEOUT,
			message: 'Bert to see Anna',
		})

		// Anna writes a note with the toolbar's note tool; Bert gets it.
		const centre = await canvasCentre(anna)
		await createNoteViaUi(anna, 'Hallo van Anna', { x: centre.x - 150, y: centre.y })
		const annasNote = await waitForNote(anna, 'Hallo van Anna')
		const seenByBert = await waitForNote(bert, 'Hallo van Anna', SYNC_TIMEOUT)
		expect(seenByBert).toEqual(annasNote)

		// Bert adds one through the editor API; Anna gets it.
		await createNoteViaEditor(bert, 'En een van Bert', { x: annasNote.x + 260, y: annasNote.y })
		const bertsNote = await waitForNote(anna, 'En een van Bert', SYNC_TIMEOUT)
		expect(bertsNote.x).toBeCloseTo(annasNote.x + 260)
		expect(bertsNote.y).toBeCloseTo(annasNote.y)

		// Both boards hold the same document.
		await waitFor(async () => isDeepStrictEqual(await boardDocument(anna), await boardDocument(bert)), {
			timeout: SYNC_TIMEOUT,
			message: 'both boards to hold the same records',
		})

		// Bert's cursor over the canvas shows on Anna's screen; keep a screenshot to check by eye.
		const bertsCentre = await canvasCentre(bert)
		await bert.mouse.move(bertsCentre.x + 40, bertsCentre.y + 120, { steps: 5 })
		await waitFor(
			() =>
				anna.evaluate(() => {
					const names = Array.from(document.querySelectorAll('.tl-collaborator__cursor, .tl-nametag'))
					return names.some((node) => node.textContent?.includes('Bert'))
				}),
			{ timeout: SYNC_TIMEOUT, message: "Bert's cursor with his name on Anna's screen" }
		)
		// Deselect Anna's note and move her pointer off it (no hover outline), then keep the picture.
		await anna.evaluate(() => {
			;(window as unknown as { __kompasbord: { editor: { selectNone(): unknown } } }).__kompasbord.editor.selectNone()
		})
		await anna.mouse.move(centre.x + 300, centre.y + 200)
		await anna.waitForFunction(() => !document.querySelector('.tl-shape .tl-rich-text[contenteditable="true"]'))
		mkdirSync(screenshotDir, { recursive: true })
		await anna.screenshot({ path: path.join(screenshotDir, 'board-sync.png') })

		expect(users.flatMap((user) => user.foreignRequests())).toEqual([])
	})

	it('shows the board exactly as it was after the server restarts, in a fresh browser', async () => {
		const before = await boardDocument(anna)
		const notesBefore = (await boardShapes(anna)).filter((shape) => shape.type === 'note')
		expect(notesBefore.map((note) => note.text).sort()).toEqual(['En een van Bert', 'Hallo van Anna'])

		await server.restart()

		// The open boards reconnect by themselves.
		await waitForConnectionState(anna, 'connected')
		await waitForConnectionState(bert, 'connected')

		const carla = await openBoard(await newUser(), server.baseUrl, room.roomId, {
			name: 'Carla',
			joinCode: room.joinCode,
		})
		expectSameBoard(await boardDocument(carla), before)

		// The server's doc holds the same records as the browsers.
		const client = connectYClient(server.wsUrl, room.roomId, { viewToken: room.viewToken })
		try {
			await client.waitForSync()
			expectSameBoard(client.doc.getMap(RECORDS_MAP).toJSON() as Record<string, BoardRecord>, before)
		} finally {
			client.destroy()
		}
		expect(users.flatMap((user) => user.foreignRequests())).toEqual([])
	})
})
