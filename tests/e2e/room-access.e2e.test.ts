import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import { openBoard, waitForConnectionState } from '../support/board-page'
import { launchBrowser, newUserContext, PHONE_DEVICE, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerInProcess, type InProcessServer } from '../support/server-in-process'

/**
 * Who gets in (issue 18) in Chromium: the facilitator sets a passphrase and the join code's expiry in the Sessie
 * panel; a phone that scans the QR code is asked for the passphrase once (a wrong one is refused in Dutch), joins,
 * and is not asked again on a reload or a second scan; a laptop participant is asked on the board's join screen;
 * once the code expired a new phone reads "Deze code is verlopen", while the phone that joined stays in.
 */
describe('passphrase and join-code expiry', () => {
	let server: InProcessServer
	let browser: Browser
	let room: CreatedRoom
	let board: Page
	let joinedPhone: Page
	const users: UserContext[] = []

	const phoneContext = async () => {
		const user = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			...PHONE_DEVICE,
		})
		users.push(user)
		return user
	}

	beforeAll(async () => {
		server = await startServerInProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('blanco', { title: 'Werksessie toegang' })
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.close()
	})

	it('the facilitator sets a passphrase and "einde van vandaag" in the Sessie panel; the join overlay says so', async () => {
		const facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1440, height: 1000 },
		})
		users.push(facilitator)
		board = await openBoard(facilitator, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		const section = board.getByTestId('access-section')
		await section.scrollIntoViewIfNeeded()
		await section.getByTestId('access-passphrase').getByText('Geen wachtwoord').waitFor()
		await section.getByTestId('access-passphrase-input').fill('Zonnebloem')
		await section.getByTestId('access-passphrase-save').click()
		await section.getByTestId('access-passphrase').getByText('Wachtwoord ingesteld').waitFor()
		// The field is emptied: the passphrase is not shown again (the server keeps only its hash).
		expect(await section.getByTestId('access-passphrase-input').inputValue()).toBe('')
		await section.getByTestId('access-end-of-day').click()
		await section
			.getByTestId('access-expiry')
			.getByText(/Tot 23:59/)
			.waitFor()
		const access = await api(server.baseUrl).request<{ passphrase: boolean; joinCodeExpiresAt: number }>(
			'GET',
			`/api/rooms/${room.roomId}/access`,
			{ facilitatorKey: room.facilitatorKey }
		)
		expect(access.body.passphrase).toBe(true)
		expect(new Date(access.body.joinCodeExpiresAt).getHours()).toBe(23)
		await section.scrollIntoViewIfNeeded()
		await section.screenshot({ path: path.join(screenshotDir, 'session-access.png') })
		await board
			.getByTestId('facilitator-panel')
			.screenshot({ path: path.join(screenshotDir, 'session-panel-access.png') })

		await board.getByTestId('join-button').click()
		const overlay = board.getByTestId('join-overlay')
		await overlay.getByTestId('join-passphrase-hint').getByText('Met wachtwoord').waitFor()
		await overlay.getByTestId('join-expiry').getByText('Code geldig tot 23:59').waitFor()
		await board.screenshot({ path: path.join(screenshotDir, 'join-overlay-passphrase.png') })
		await overlay.getByRole('button', { name: 'Sluiten' }).click()
	})

	it('a phone is asked for the passphrase once: wrong is refused in Dutch, right joins, a reload does not ask again', async () => {
		const user = await phoneContext()
		const phone = await user.newPage()
		joinedPhone = phone
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		const passphrase = phone.getByLabel('Wachtwoord')
		await passphrase.waitFor()
		await phone.getByText('Deze sessie heeft een wachtwoord').waitFor()
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-passphrase.png') })
		await passphrase.fill('tulp')
		await phone.getByRole('button', { name: 'Meedoen' }).tap()
		await phone.getByText('Dit wachtwoord klopt niet').waitFor()
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-passphrase-wrong.png') })
		await passphrase.fill('zonnebloem')
		await phone.getByRole('button', { name: 'Meedoen' }).tap()
		await phone.waitForURL(`**/j/${room.roomId}`)
		await phone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()
		const joins = () => user.requests().filter((url) => url.includes('/api/join/')).length
		const before = joins()
		await phone.reload()
		await phone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()
		expect(await phone.getByLabel('Wachtwoord').count()).toBe(0)
		expect(joins()).toBe(before)
		// Scanning the QR code again: the token it holds counts, no passphrase asked.
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.waitForURL(`**/j/${room.roomId}`)
		await phone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()
		// The browser logs the 401 and 403 answers as failed loads; no script error besides.
		expect(user.pageErrors().filter((error) => !error.includes('Failed to load resource'))).toEqual([])
	})

	it("a laptop participant is asked on the board's join screen, with the link's code kept", async () => {
		const laptop = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1280, height: 800 } })
		users.push(laptop)
		const page = await laptop.newPage()
		await page.goto(`${server.baseUrl}/b/${room.roomId}#code=${room.joinCode}`)
		const field = page.getByTestId('board-join-passphrase')
		await field.waitFor()
		expect(await page.getByTestId('board-join-code').inputValue()).toBe(room.joinCode)
		await field.fill('ZONNEBLOEM ')
		await page.getByTestId('board-join-submit').click()
		await waitForConnectionState(page, 'connected')
		// The board's tab and the phone page of this browser share the token: the phone page asks nothing.
		const phone = await laptop.newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.waitForURL(`**/j/${room.roomId}`)
		await phone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()
	})

	it('an expired code shows "Deze code is verlopen" on a new phone; the phone that joined stays in', async () => {
		const client = api(server.baseUrl)
		const set = await client.request('PUT', `/api/rooms/${room.roomId}/access`, {
			facilitatorKey: room.facilitatorKey,
			body: { joinCodeExpiresAt: Date.now() - 1000 },
		})
		expect(set.status).toBe(200)
		const user = await phoneContext()
		const phone = await user.newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.getByText('Deze code is verlopen').waitFor()
		expect(await phone.getByLabel('Wachtwoord').isVisible()).toBe(false)
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-code-expired.png') })

		// The phone that joined keeps its token: its room reloads, and even the expired code leads it back in.
		await joinedPhone.reload()
		await joinedPhone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()
		await joinedPhone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await joinedPhone.waitForURL(`**/j/${room.roomId}`)
		await joinedPhone.getByRole('heading', { name: 'Werksessie toegang' }).waitFor()

		// The facilitator's panel says it has expired.
		await board.reload()
		await waitForConnectionState(board, 'connected')
		await board.getByTestId('access-expiry').getByText('Verlopen').waitFor()
	})
})
