/**
 * Focus in real Chromium against a real server process: the facilitator selects a note and presses Focus; a
 * participant's board (not following) and a phone both show its text large with its dots; Next steps to another
 * note; leaving focus removes the overlay everywhere and leaves the participant's camera where it was.
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
import { participantToken } from '../session-helpers'

const SYNC_TIMEOUT = 20_000
const PROJECTOR = { width: 1920, height: 1080 }
const TEXTS = [
	'Ouders vanaf het eerste signaal betrekken bij de aanpak',
	'Een vast aanspreekpunt voor scholen',
	'Budget voor drie jaar',
]

async function fontPx(page: Page, testId: string): Promise<number> {
	return page.getByTestId(testId).evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
}

async function camera(page: Page): Promise<string> {
	return page.evaluate(() =>
		JSON.stringify(
			(window as unknown as { __kompasbord: { editor: { getCamera(): unknown } } }).__kompasbord.editor.getCamera()
		)
	)
}

describe('focus: one note on every screen', () => {
	let server: ServerProcess
	let browser: Browser
	const users: UserContext[] = []
	let room: CreatedRoom
	let ids: string[]
	let facilitator: Page
	let participant: Page
	let phone: Page

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		mkdirSync(screenshotDir, { recursive: true })
		const client = api(server.baseUrl)
		room = await client.createRoom('dos-en-donts', { title: 'Focus' })
		ids = []
		for (let i = 0; i < TEXTS.length; i++) {
			const posted = await client.postNote(
				room.roomId,
				{ zoneId: 'dos', text: TEXTS[i], clientNoteId: `focus-note-${i}` },
				await participantToken(client, room, `focus-participant-${i}`)
			)
			ids.push(posted.noteId)
		}
		// A voting round: the first note three dots, the second one.
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		for (const [index, voter] of [
			[0, 'a'],
			[0, 'b'],
			[0, 'c'],
			[1, 'a'],
		] as const) {
			await client.vote(
				room.roomId,
				{ noteId: ids[index] },
				await participantToken(client, room, `focus-voter-${voter}-xx`)
			)
		}
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		const user = async (options: Partial<Parameters<typeof newUserContext>[1]> = {}) => {
			const u = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: PROJECTOR, ...options })
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

	it('the facilitator focuses the selected note: every board and the phone show it large with its dots', async () => {
		const cameraBefore = await camera(participant)
		expect(await participant.getByTestId('follow-controls').getAttribute('data-following')).not.toBe('true')
		await facilitator.evaluate((noteId) => {
			const editor = (window as unknown as { __kompasbord: { editor: { select(id: string): void } } }).__kompasbord
				.editor
			editor.select(noteId)
		}, ids[0])
		await facilitator.getByTestId('focus-open').click()
		for (const page of [facilitator, participant]) {
			await page.getByTestId('focus-overlay').waitFor({ timeout: SYNC_TIMEOUT })
			expect(await page.getByTestId('focus-text').textContent()).toBe(TEXTS[0])
			expect(await page.getByTestId('focus-dots').getAttribute('data-dots')).toBe('3')
			expect(await fontPx(page, 'focus-text')).toBeGreaterThanOrEqual(32)
			const box = await page.getByTestId('focus-text').boundingBox()
			expect(box && box.y >= 0 && box.y + box.height <= PROJECTOR.height).toBe(true)
		}
		expect(await participant.getByTestId('focus-next').count()).toBe(0)
		await phone.getByTestId('phone-focus-text').waitFor({ timeout: SYNC_TIMEOUT })
		expect(await phone.getByTestId('phone-focus-text').textContent()).toBe(TEXTS[0])
		expect(await phone.getByTestId('phone-focus-dots').getAttribute('data-dots')).toBe('3')
		expect(await fontPx(phone, 'phone-focus-text')).toBeGreaterThanOrEqual(32)
		await participant.screenshot({ path: path.join(screenshotDir, 'focus-board.png') })
		await phone.screenshot({ path: path.join(screenshotDir, 'focus-phone.png') })
		expect(await camera(participant)).toBe(cameraBefore)
	})

	it('next steps to the note with the next most dots, on every screen (the arrow key too)', async () => {
		await facilitator.getByTestId('focus-next').click()
		for (const page of [facilitator, participant]) {
			await waitFor(async () => (await page.getByTestId('focus-text').textContent()) === TEXTS[1], {
				timeout: SYNC_TIMEOUT,
				message: 'the second note in focus',
			})
			expect(await page.getByTestId('focus-dots').getAttribute('data-dots')).toBe('1')
		}
		await waitFor(async () => (await phone.getByTestId('phone-focus-text').textContent()) === TEXTS[1], {
			timeout: SYNC_TIMEOUT,
			message: 'the phone shows the second note',
		})
		await facilitator.keyboard.press('ArrowRight')
		await waitFor(async () => (await participant.getByTestId('focus-text').textContent()) === TEXTS[2], {
			timeout: SYNC_TIMEOUT,
			message: 'the arrow key steps on',
		})
	})

	it('leaving focus removes the overlay on the boards and the phone; the camera never moved', async () => {
		const cameraBefore = await camera(participant)
		await facilitator.getByTestId('focus-close').click()
		for (const page of [facilitator, participant]) {
			await waitFor(async () => (await page.getByTestId('focus-overlay').count()) === 0, {
				timeout: SYNC_TIMEOUT,
				message: 'overlay gone',
			})
		}
		await phone.getByTestId('phone-focus').waitFor({ state: 'hidden', timeout: SYNC_TIMEOUT })
		expect(await camera(participant)).toBe(cameraBefore)
	})
})
