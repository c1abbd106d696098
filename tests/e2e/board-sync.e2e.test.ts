import { mkdirSync } from 'node:fs'
import path from 'node:path'
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
	notesWithText,
	openBoard,
	waitForConnectionState,
} from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient } from '../support/y-client'

const SYNC_TIMEOUT = 20_000

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
		anna = await openBoard(await newUser(), server.baseUrl, room.roomId, { name: 'Anna' })
		bert = await openBoard(await newUser(), server.baseUrl, room.roomId, { name: 'Bert' })

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
		const [annasNote] = await waitFor(() => notesWithText(anna, 'Hallo van Anna'), {
			message: "Anna's note on her own board",
		})
		const [seenByBert] = await waitFor(() => notesWithText(bert, 'Hallo van Anna'), {
			timeout: SYNC_TIMEOUT,
			message: "Anna's note on Bert's board",
		})
		expect(seenByBert).toEqual(annasNote)

		// Bert adds one through the editor API; Anna gets it.
		await createNoteViaEditor(bert, 'En een van Bert', { x: annasNote!.x + 260, y: annasNote!.y })
		const [bertsNote] = await waitFor(() => notesWithText(anna, 'En een van Bert'), {
			timeout: SYNC_TIMEOUT,
			message: "Bert's note on Anna's board",
		})
		expect(bertsNote!.x).toBeCloseTo(annasNote!.x + 260)

		// Both boards hold the same document.
		await waitFor(async () => JSON.stringify(await boardDocument(anna)) === JSON.stringify(await boardDocument(bert)), {
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
			{ timeout: SYNC_TIMEOUT, message: "Bert's cursor with his name on Anna's screen" },
		)
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

		const carla = await openBoard(await newUser(), server.baseUrl, room.roomId, { name: 'Carla' })
		expect(await boardDocument(carla)).toEqual(before)

		// The server's doc holds the same records as the browsers.
		const client = connectYClient(server.wsUrl, room.roomId, { view: '1' })
		try {
			await client.waitForSync()
			const serverRecords = client.doc.getMap(RECORDS_MAP).toJSON()
			expect(Object.keys(serverRecords).sort()).toEqual(Object.keys(before).sort())
			expect(serverRecords).toEqual(before)
		} finally {
			client.destroy()
		}
		expect(users.flatMap((user) => user.foreignRequests())).toEqual([])
	})
})
