/**
 * Issue 16 in the browser: a facilitator starts a traject on the home page, makes its first board (Ambities)
 * from the traject page, and after the ambitions are written makes the activity matrix, unticking one ambition;
 * the matrix's ambition zone holds the ticked ambitions, marked as carried. The traject page is kept as a
 * screenshot in docs/screenshots/traject.png.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient } from '../support/api'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

const AMBITIONS = ['Jongeren kennen hun grenzen', 'Ouders praten thuis over seks', 'Scholen grijpen vroeg in']

/** The board's test handle, as far as this test uses it. */
type CarryWindow = {
	__kompasbord?: {
		editor: {
			getCurrentPageShapes(): { id: string; type: string; props: unknown }[]
			select(id: string): void
		}
	}
}

interface RecentBoard {
	roomId: string
	joinCode: string
	templateId: string
	links: { facilitator: string }
}

/** The boards this browser made (the home page's list), read from the page's localStorage. */
async function recentBoards(page: Page): Promise<RecentBoard[]> {
	return page.evaluate(() => JSON.parse(localStorage.getItem('kompasbord:recentBoards') ?? '[]'))
}

describe('the traject page', () => {
	let server: ServerProcess
	let browser: Browser
	let client: ApiClient
	let user: UserContext

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		client = api(server.baseUrl)
		user = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: { width: 1440, height: 1000 } })
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		await user?.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('starts a traject, makes boards along the compass and carries the ticked ambitions into the matrix', async () => {
		const page = await user.newPage()
		await page.goto(server.baseUrl)
		await page.getByTestId('traject-title').fill('Gemeente Zwolle 2027')
		await page.getByTestId('traject-create').click()
		await page.getByTestId('traject-page').waitFor()
		expect(page.url()).toMatch(/\/t\/[A-Za-z0-9_-]+#key=/)
		await page.getByRole('heading', { name: 'Gemeente Zwolle 2027' }).waitFor()

		// The first board: the form offers the compass's first worksheet; this traject starts with the ambitions.
		const templates = await client.templates()
		expect(await page.getByTestId('next-template').inputValue()).toBe(templates.find((t) => t.bouwsteen)!.id)
		await page.getByTestId('next-template').selectOption('ambities')
		await page
			.getByTestId('carry-offers')
			.getByText('Eerdere borden van dit traject bieden dit werkblad niets aan.')
			.waitFor()
		await page.getByTestId('next-title').fill('Ambities Zwolle')
		const trajectUrl = page.url()
		await page.getByTestId('next-create').click()
		await page.waitForURL(/\/b\/[A-Za-z0-9_-]+#key=/)
		const ambities = (await recentBoards(page)).find((b) => b.templateId === 'ambities')!
		for (const text of AMBITIONS) {
			await client.postNote(
				ambities.roomId,
				{ zoneId: 'ambities', text, clientNoteId: `note-${AMBITIONS.indexOf(text)}-e2e` },
				await participantToken(client, ambities, 'participant-e2e')
			)
		}

		// Back on the traject page: the board is listed; the matrix is offered the three ambitions.
		await page.goto(trajectUrl)
		await page.getByTestId(`traject-board-${ambities.roomId}`).getByText('3 notities').waitFor()
		await page.getByTestId('next-template').selectOption('activiteitenmatrix')
		const offers = page.getByTestId('carry-offers')
		for (const text of AMBITIONS) await offers.getByText(text).waitFor()
		await offers.getByRole('checkbox', { name: new RegExp(AMBITIONS[2]) }).uncheck()
		await page.screenshot({ path: path.join(screenshotDir, 'traject.png'), fullPage: true })
		await page.getByTestId('next-title').fill('Activiteiten Zwolle')
		await page.getByTestId('next-create').click()
		await page.waitForURL(/\/b\/[A-Za-z0-9_-]+#key=/)

		const matrix = (await recentBoards(page)).find((b) => b.templateId === 'activiteitenmatrix')!
		const key = new URL(matrix.links.facilitator).hash.replace('#key=', '')
		const report = (await (await client.exportRoom(matrix.roomId, key, 'json')).json()) as {
			zones: { id: string | null; notes: { text: string; carriedFrom?: { title: string } }[] }[]
		}
		const ambitie = report.zones.find((z) => z.id === 'ambitie')!.notes
		expect(ambitie.map((n) => n.text)).toEqual(AMBITIONS.slice(0, 2))
		expect(ambitie.every((n) => n.carriedFrom?.title === 'Ambities Zwolle')).toBe(true)

		// On the matrix board a selected carried note names the board it came from and links back to it (this
		// browser made that board, so it holds its facilitator link); the link opens it in a new tab.
		await page.waitForFunction(() => Boolean((window as unknown as CarryWindow).__kompasbord?.editor))
		await page.evaluate((text) => {
			const editor = (window as unknown as CarryWindow).__kompasbord!.editor
			const note = editor
				.getCurrentPageShapes()
				.find((s) => s.type === 'note' && JSON.stringify(s.props).includes(text))!
			editor.select(note.id)
		}, AMBITIONS[0])
		const chip = page.getByTestId('carried-origin')
		await chip.waitFor()
		expect(await chip.getAttribute('data-room-id')).toBe(ambities.roomId)
		expect(await chip.textContent()).toContain('Uit het eerdere bord: Ambities Zwolle')
		expect(await page.getByTestId('carried-origin-link').getAttribute('href')).toBe(
			new URL(ambities.links.facilitator).pathname + new URL(ambities.links.facilitator).hash
		)
		await page.screenshot({ path: path.join(screenshotDir, 'traject-carried-origin.png') })
		const [origin] = await Promise.all([
			page.context().waitForEvent('page'),
			page.getByTestId('carried-origin-link').click(),
		])
		await origin.waitForURL(new RegExp(`/b/${ambities.roomId}#key=`))
		await origin.close()

		// The traject page lists both boards along the route, the matrix with its two carried notes.
		await page.goto(trajectUrl)
		await waitFor(async () => (await page.getByTestId(`traject-board-${matrix.roomId}`).count()) === 1, {
			message: 'the matrix on the traject page',
		})
		await page.getByTestId(`traject-board-${matrix.roomId}`).getByText('2 meegenomen').waitFor()
		expect(await page.getByTestId('route-part-1').getByText('Ambities Zwolle').count()).toBe(1)
		expect(await page.getByTestId('route-part-3').getByText('Activiteiten Zwolle').count()).toBe(1)
		await page.screenshot({ path: path.join(screenshotDir, 'traject-route.png'), fullPage: true })
		expect(user.pageErrors()).toEqual([])
	})
})
