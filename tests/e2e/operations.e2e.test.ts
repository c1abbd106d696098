import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient } from '../support/api'
import { openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

const ADMIN_TOKEN = 'e2e-admin-token-0123456789abcdef'

describe('running Kompasbord: deleting boards and the admin view', () => {
	let server: ServerProcess
	let browser: Browser
	let client: ApiClient
	const users: UserContext[] = []

	beforeAll(async () => {
		server = await startServerProcess({ env: { ADMIN_TOKEN, RETENTION: '30d' } })
		browser = await launchBrowser()
		client = api(server.baseUrl)
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('the facilitator deletes the board from the Sessie panel after a confirmation', async () => {
		const room = await client.createRoom('dos-en-donts', { title: 'Verwijderbaar bord' })
		await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Weg ermee', clientNoteId: 'n-e2e-d1' },
			await participantToken(client, room, 'p-e2e-delete-1')
		)
		const facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1440, height: 900 },
		})
		users.push(facilitator)
		const board = await openBoard(facilitator, server.baseUrl, room.roomId, { suffix: `#key=${room.facilitatorKey}` })
		await expect.poll(() => board.getByTestId('retention-note').textContent()).toContain('30 dagen')
		await board.getByTestId('delete-board').scrollIntoViewIfNeeded()
		await board.getByTestId('delete-board').click()
		const confirm = board.getByTestId('delete-board-confirm')
		await confirm.waitFor()
		await confirm.scrollIntoViewIfNeeded()
		expect(await board.getByRole('alertdialog', { name: 'Bord verwijderen' }).textContent()).toContain('voorgoed')
		await board.screenshot({ path: path.join(screenshotDir, 'board-delete-confirm.png') })
		// Nothing is deleted before the confirmation.
		expect((await client.getRoom(room.roomId)).title).toBe('Verwijderbaar bord')
		await confirm.click()
		await board.waitForURL(`${server.baseUrl}/`)
		expect((await client.request('GET', `/api/rooms/${room.roomId}`)).status).toBe(404)
		expect((await client.request('GET', `/api/join/${room.joinCode}`)).status).toBe(404)
		// The home page says how long boards are kept and where a lost link is recovered.
		await expect.poll(() => board.getByTestId('home-retention').textContent()).toContain('30 dagen')
		expect(await board.getByTestId('home-recover').textContent()).toContain('beheerder')
		expect(facilitator.foreignRequests()).toEqual([])
	})

	it('the admin page asks the token, lists the rooms, makes a new facilitator link and deletes a room', async () => {
		const kept = await client.createRoom('veranderverhaal', { title: 'Gemeente Noordstad — veranderverhaal' })
		const doomed = await client.createRoom('herkennen-begrijpen-waarderen-verbeteren', { title: 'Oefenbord' })
		await client.postNote(
			kept.roomId,
			{ zoneId: 'doel', text: 'Veilig sporten', clientNoteId: 'n-e2e-a1' },
			await participantToken(client, kept, 'p-e2e-admin-1')
		)
		await client.patchSession(doomed.roomId, doomed.facilitatorKey, { phase: 'closed' })
		const operator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 720 },
		})
		users.push(operator)
		const page = await operator.newPage()
		await page.goto(`${server.baseUrl}/admin`)
		await page.getByTestId('admin-token').fill('not-the-token')
		await page.getByTestId('admin-signin').click()
		await expect.poll(() => page.getByRole('alert').textContent()).toContain('Dit token klopt niet')
		await page.getByTestId('admin-token').fill(ADMIN_TOKEN)
		await page.getByTestId('admin-signin').click()

		const keptRow = page.getByTestId(`admin-room-${kept.roomId}`)
		const doomedRow = page.getByTestId(`admin-room-${doomed.roomId}`)
		await keptRow.waitFor()
		expect(await keptRow.textContent()).toContain('Gemeente Noordstad — veranderverhaal')
		expect(await keptRow.textContent()).toContain('Open')
		expect(await doomedRow.textContent()).toContain('Gesloten')
		expect(await page.getByTestId('admin-retention').textContent()).toContain('30 dagen')
		await page.screenshot({ path: path.join(screenshotDir, 'admin-rooms.png'), fullPage: true })

		// A new facilitator link: the old key stops working.
		await keptRow.getByTestId('admin-new-link').click()
		const link = await waitFor(
			async () =>
				(await page
					.getByTestId('admin-new-link-url')
					.inputValue()
					.catch(() => '')) || null
		)
		expect(link).toMatch(new RegExp(`/b/${kept.roomId}#key=`))
		const patch = { body: { structureLocked: true } }
		expect(
			(
				await client.request('PATCH', `/api/rooms/${kept.roomId}/session`, {
					...patch,
					facilitatorKey: kept.facilitatorKey,
				})
			).status
		).toBe(403)
		const newKey = link.split('#key=')[1]
		expect(
			(await client.request('PATCH', `/api/rooms/${kept.roomId}/session`, { ...patch, facilitatorKey: newKey })).status
		).toBe(200)

		// Reopen, then delete with a confirmation.
		await doomedRow.getByTestId('admin-reopen').click()
		await expect.poll(() => doomedRow.textContent()).toContain('Open')
		expect((await client.getRoom(doomed.roomId)).phase).toBe('open')
		await doomedRow.getByTestId('admin-delete').click()
		await page.getByTestId('admin-delete-dialog').waitFor()
		expect(await page.getByTestId('admin-delete-dialog').textContent()).toContain('Oefenbord')
		await page.screenshot({ path: path.join(screenshotDir, 'admin-delete-confirm.png'), fullPage: true })
		expect((await client.getRoom(doomed.roomId)).title).toBe('Oefenbord')
		await page.getByTestId('admin-delete-confirm').click()
		await doomedRow.waitFor({ state: 'detached' })
		expect(await page.getByTestId('admin-notice').textContent()).toContain('Oefenbord')
		expect((await client.request('GET', `/api/rooms/${doomed.roomId}`)).status).toBe(404)
		expect(await keptRow.isVisible()).toBe(true)

		// English as the switch.
		await page.getByTestId('admin-language').click()
		await expect.poll(() => page.locator('th').first().textContent()).toBe('Title')
		expect(operator.foreignRequests()).toEqual([])
		expect(operator.pageErrors().filter((e) => !e.includes('401'))).toEqual([])
	})
})
