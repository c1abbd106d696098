import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { canvasCentre, createNoteViaUi, waitForConnectionState, waitForNote } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerProcess, type ServerProcess } from '../support/server-process'

/**
 * A session must work on a venue LAN without internet: no CDN, no third-party request, ever (README).
 * Every request of every page is recorded; anything to another host than the server fails the test. The
 * pages' Content-Security-Policy would block such a request before it is sent, so the browser's CSP
 * complaints ("Refused to load…") count as foreign requests too.
 */
describe('no request leaves the server', () => {
	let server: ServerProcess
	let browser: Browser
	const users: UserContext[] = []

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	/**
	 * Waits until the page has loaded and every font it asked for has arrived (or failed), so lazily loaded
	 * resources are recorded. (Not "network idle": the pages long-poll the session state.)
	 */
	const settle = async (page: Page) => {
		await page.waitForLoadState('load')
		await page.evaluate(() => document.fonts.ready.then(() => undefined))
	}

	const blockedByCsp = (user: UserContext) =>
		user
			.pageErrors()
			.filter((message) => /Content Security Policy|Refused to (load|connect|execute|apply)/i.test(message))

	it('home page, creating a board, writing on it, switching language, the join overlay and the phone page', async () => {
		const facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 800 },
		})
		users.push(facilitator)
		const page = await facilitator.newPage()

		// Home: pick the blank template, name the board, create it; the app opens the board as facilitator.
		await page.goto(`${server.baseUrl}/`)
		await page.getByTestId('template-card-blanco').click()
		await settle(page)
		await page.getByTestId('title-input').fill('Zonder internet')
		await page.getByTestId('create-board').click()
		await page.waitForURL(/\/b\/[^/?#]+/, { timeout: 30_000 })
		const roomId = new URL(page.url()).pathname.split('/')[2]!
		await waitForConnectionState(page, 'connected')
		await page.waitForFunction(() => Boolean((window as { __kompasbord?: unknown }).__kompasbord))
		const prompt = page.getByTestId('name-prompt')
		if (await prompt.isVisible()) {
			await page.getByTestId('name-input').fill('Fatima')
			await page.getByTestId('name-save').click()
		}

		// Write on the board (the note's fonts load now), then switch to English and back.
		const centre = await canvasCentre(page)
		await createNoteViaUi(page, 'Geen CDN nodig', centre)
		await waitForNote(page, 'Geen CDN nodig')
		await settle(page)
		// The switch names the other language: lang="nl" while the board is in English.
		await page.getByTestId('language-switch').click()
		await page.locator('[data-testid="language-switch"][lang="nl"]').waitFor()
		await settle(page)
		await page.getByTestId('language-switch').click()
		await page.locator('[data-testid="language-switch"][lang="en"]').waitFor()

		// The join overlay draws its QR code locally.
		await page.getByTestId('join-button').click()
		await page.getByTestId('join-overlay').locator('svg[data-join-url]').waitFor()
		const joinCode = (await page
			.getByTestId('join-overlay')
			.locator('[data-join-code]')
			.getAttribute('data-join-code'))!
		await settle(page)
		await page.keyboard.press('Escape')

		// A phone on the venue wifi opens the join page and sends a note, which lands on the board.
		const phoneUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 390, height: 844 },
			isMobile: true,
			hasTouch: true,
		})
		users.push(phoneUser)
		const phone = await phoneUser.newPage()
		await phone.goto(`${server.baseUrl}/j/${joinCode}`)
		await phone.getByRole('heading', { name: 'Waar hoort je notitie bij?' }).waitFor()
		await phone.getByRole('button', { name: 'Notities' }).tap()
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill('Ook vanaf de telefoon')
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await waitForNote(page, 'Ook vanaf de telefoon')
		await settle(phone)
		await settle(page)

		// The recording works: the board's own requests and websocket are in it.
		const requested = facilitator.requests()
		expect(requested.some((url) => url.startsWith(`${server.wsUrl}/${roomId}`))).toBe(true)
		expect(requested.some((url) => /\/assets\/.+\.js$/.test(url))).toBe(true)
		expect(phoneUser.requests().some((url) => url.startsWith(`${server.baseUrl}/j/${joinCode}`))).toBe(true)

		for (const user of users) {
			expect(user.foreignRequests()).toEqual([])
			expect(blockedByCsp(user)).toEqual([])
		}
	})
})
