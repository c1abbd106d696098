/**
 * "Notities eerst bekijken" in real Chromium against a real server process, each user in a browser context of
 * their own: the facilitator switches screening on in the Sessie panel; a phone posts a note and shows it as
 * waiting for the facilitator; the note is in no board; the facilitator approves it in the queue panel, it
 * appears on the participant's board and the phone shows it on the board. A second note is rejected: the phone
 * says it was not placed, and no board ever had it.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import { openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, PHONE_DEVICE, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'

const SYNC_TIMEOUT = 20_000
const APPROVED = 'Een vaste plek waar jongeren na school terechtkunnen'
const REJECTED = 'Die klotebus komt nooit op tijd'
const LAPTOP = 'Een buurthuis met huiswerkbegeleiding'

/** The texts of the sticky notes on a board, from its editor. */
async function boardNoteTexts(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const editor = (
			window as unknown as {
				__kompasbord: { editor: { getCurrentPageShapes(): { type: string; props: { richText?: unknown } }[] } }
			}
		).__kompasbord.editor
		return editor
			.getCurrentPageShapes()
			.filter((s) => s.type === 'note')
			.map((s) => JSON.stringify(s.props.richText ?? ''))
	})
}

describe('screening: notes wait for the facilitator', () => {
	let server: ServerProcess
	let browser: Browser
	const users: UserContext[] = []
	let room: CreatedRoom
	let facilitator: Page
	let participant: Page
	let phone: Page

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		mkdirSync(screenshotDir, { recursive: true })
		const client = api(server.baseUrl)
		room = await client.createRoom('dos-en-donts', { title: 'Notities eerst bekijken', anonymous: false })
		const user = async (options: Partial<Parameters<typeof newUserContext>[1]> = {}) => {
			const u = await newUserContext(browser, {
				serverUrl: server.baseUrl,
				viewport: { width: 1600, height: 900 },
				...options,
			})
			users.push(u)
			return u
		}
		facilitator = await openBoard(await user(), server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		participant = await openBoard(await user(), server.baseUrl, room.roomId, { name: 'Sanne', joinCode: room.joinCode })
		const phoneUser = await user({
			...PHONE_DEVICE,
		})
		phone = await phoneUser.newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.getByRole('heading', { name: 'Waar hoort je notitie bij?' }).waitFor({ timeout: SYNC_TIMEOUT })
	})

	afterAll(async () => {
		for (const u of users) await u.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('the facilitator turns screening on; a phone note waits, is approved in the queue panel and then shows on the board and the phone', async () => {
		await facilitator.getByTestId('screening-toggle').click()
		await facilitator.getByTestId('screening-panel').waitFor({ timeout: SYNC_TIMEOUT })
		expect(await facilitator.getByTestId('screening-empty').isVisible()).toBe(true)
		await phone.getByText('De facilitator bekijkt notities eerst').waitFor({ timeout: SYNC_TIMEOUT })
		// The laptop participant writes in a panel now, not on the canvas.
		await participant.locator('[data-testid="private-panel"][data-mode="screening"]').waitFor({ timeout: SYNC_TIMEOUT })

		for (const text of [APPROVED, REJECTED]) {
			await phone.getByRole('button', { name: "Do's" }).tap()
			await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
			await phone.getByRole('button', { name: 'Versturen' }).tap()
			await phone
				.locator('li.note[data-status="awaiting_review"]', { hasText: text })
				.waitFor({ timeout: SYNC_TIMEOUT })
			const back = phone.getByRole('button', { name: 'Ander vak' })
			if (await back.isVisible()) await back.tap()
		}
		const waiting = phone.locator('li.note[data-status="awaiting_review"]', { hasText: APPROVED })
		expect(await waiting.locator('.note-status').textContent()).toContain('Wacht op de facilitator')

		// The queue lists both, the second flagged by the default word list.
		await waitFor(async () => (await facilitator.getByTestId('screening-note').count()) === 2, {
			timeout: SYNC_TIMEOUT,
			message: 'the queue lists both notes',
		})
		const flagged = facilitator.locator('[data-testid="screening-note"][data-flagged="true"]')
		expect(await flagged.count()).toBe(1)
		expect(await flagged.locator('.kb-screening-note__text').textContent()).toBe(REJECTED)
		expect(await flagged.getByTestId('screening-flags').textContent()).toContain('klote*')
		// Neither is on any board.
		for (const page of [facilitator, participant]) {
			const texts = await boardNoteTexts(page)
			expect(texts.some((t) => t.includes('jongeren na school') || t.includes('klotebus'))).toBe(false)
		}
		await facilitator
			.getByTestId('screening-panel')
			.screenshot({ path: path.join(screenshotDir, 'screening-queue.png') })
		await facilitator.screenshot({ path: path.join(screenshotDir, 'screening-board.png') })
		await waiting.scrollIntoViewIfNeeded()
		await phone.screenshot({ path: path.join(screenshotDir, 'screening-phone-waiting.png') })

		// Goedkeuren: on the participant's board, and the phone says it is on the board.
		await facilitator
			.locator('[data-testid="screening-note"]', { hasText: APPROVED })
			.getByTestId('screening-approve')
			.click()
		await waitFor(async () => (await boardNoteTexts(participant)).some((t) => t.includes('jongeren na school')), {
			timeout: SYNC_TIMEOUT,
			message: 'the approved note is on the participant board',
		})
		await phone
			.locator('li.note[data-status="placed"]', { hasText: APPROVED })
			.getByText('Op het bord')
			.waitFor({ timeout: SYNC_TIMEOUT })

		// Afwijzen: the phone says it was not placed; no board ever had it.
		await facilitator
			.locator('[data-testid="screening-note"]', { hasText: REJECTED })
			.getByTestId('screening-reject')
			.click()
		await phone
			.locator('li.note[data-status="not-placed"]', { hasText: REJECTED })
			.getByText('Niet geplaatst', { exact: false })
			.waitFor({ timeout: SYNC_TIMEOUT })
		await facilitator.getByTestId('screening-empty').waitFor({ timeout: SYNC_TIMEOUT })
		for (const page of [facilitator, participant])
			expect((await boardNoteTexts(page)).some((t) => t.includes('klotebus'))).toBe(false)
		await phone.locator('li.note[data-status="not-placed"]').scrollIntoViewIfNeeded()
		await phone.screenshot({ path: path.join(screenshotDir, 'screening-phone-decided.png') })
	})

	it('a laptop participant writes in the panel and sees the note wait; turning screening off asks, and "alles goedkeuren" places it', async () => {
		const panel = participant.locator('[data-testid="private-panel"][data-mode="screening"]')
		await panel.getByTestId('private-text').fill(LAPTOP)
		await panel.getByTestId('private-submit').click()
		const mine = panel.locator('[data-testid="private-note"][data-status="awaiting_review"]', { hasText: LAPTOP })
		await mine.waitFor({ timeout: SYNC_TIMEOUT })
		expect(await mine.textContent()).toContain('Wacht op de facilitator')
		await panel.screenshot({ path: path.join(screenshotDir, 'screening-laptop-waiting.png') })
		await waitFor(async () => (await facilitator.getByTestId('screening-note').count()) === 1, {
			timeout: SYNC_TIMEOUT,
			message: 'the queue lists the laptop note',
		})
		expect((await boardNoteTexts(facilitator)).some((t) => t.includes('huiswerkbegeleiding'))).toBe(false)

		// Off with a note waiting: the panel asks; "Alles goedkeuren en uitzetten" places it.
		await facilitator.getByTestId('screening-toggle').click()
		await facilitator.getByTestId('screening-off-approve').click()
		await waitFor(async () => (await boardNoteTexts(participant)).some((t) => t.includes('huiswerkbegeleiding')), {
			timeout: SYNC_TIMEOUT,
			message: 'the laptop note is on the board',
		})
		await facilitator.getByTestId('screening-panel').waitFor({ state: 'detached', timeout: SYNC_TIMEOUT })
		await panel.waitFor({ state: 'detached', timeout: SYNC_TIMEOUT })
		expect(await facilitator.getByTestId('screening-toggle').isChecked()).toBe(false)
	})
})
