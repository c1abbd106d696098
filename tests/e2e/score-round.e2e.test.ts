/**
 * The score round in real Chromium against a real server process (issue 16): the facilitator starts it in the
 * Sessie panel of a "Samenwerking in gesprek" board; a phone gives marks and changes one; other participants
 * give theirs through the API; the projector's board (the view link, at zoom-to-fit) shows the spread under
 * each part — count, median, lowest to highest, a bar per mark — live, readable; closing the round disables the
 * phone's buttons. Screenshots of the board, the facilitator's panel and the phone, checked by eye.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient, type CreatedRoom } from '../support/api'
import { openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, PHONE_DEVICE, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

const SYNC_TIMEOUT = 20_000
const PROJECTOR = { width: 1920, height: 1080 }
const PARTS = ['vraagstuk', 'belangen', 'relatie', 'organisatie', 'proces']

interface TestEditor {
	zoomToFit(options?: Record<string, unknown>): unknown
	getCameraState(): 'idle' | 'moving'
	updateInstanceState(state: Record<string, unknown>): unknown
	getShapePageBounds(id: string): { x: number; y: number; w: number; h: number; maxY: number } | undefined
	pageToViewport(point: { x: number; y: number }): { x: number; y: number }
}
type TestWindow = { __kompasbord?: { editor: TestEditor } }

/** What a spread says, from its data attributes. */
async function spreadOf(page: Page, zoneId: string) {
	return page.locator(`[data-testid="score-spread"][data-zone-id="${zoneId}"]`).evaluate((el) => ({
		n: Number(el.getAttribute('data-n')),
		median: el.getAttribute('data-median'),
		low: el.getAttribute('data-low'),
		high: el.getAttribute('data-high'),
		counts: el.getAttribute('data-counts'),
	}))
}

describe('score round: marks from phones, the spread on the board', () => {
	let server: ServerProcess
	let browser: Browser
	let client: ApiClient
	const users: UserContext[] = []
	let room: CreatedRoom
	let facilitator: Page
	let projector: Page
	let phone: Page

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		mkdirSync(screenshotDir, { recursive: true })
		client = api(server.baseUrl)
		room = await client.createRoom('samenwerking-in-gesprek', { title: 'Evaluatie samenwerking jeugd' })
		const user = async (options: Partial<Parameters<typeof newUserContext>[1]> = {}) => {
			const u = await newUserContext(browser, { serverUrl: server.baseUrl, viewport: PROJECTOR, ...options })
			users.push(u)
			return u
		}
		facilitator = await openBoard(await user(), server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		projector = await openBoard(await user(), server.baseUrl, room.roomId, { suffix: `#view=${room.viewToken}` })
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

	it('the facilitator starts the round; the phone asks a mark for each of the five parts', async () => {
		expect(await phone.getByTestId('phone-scores').isHidden()).toBe(true)
		const section = facilitator.getByTestId('score-round-section')
		await section.waitFor({ timeout: SYNC_TIMEOUT })
		await facilitator.getByTestId('score-round-start').click()
		await facilitator.getByTestId('score-round-close').waitFor({ timeout: SYNC_TIMEOUT })
		const card = phone.getByTestId('phone-scores')
		await card.waitFor({ state: 'visible', timeout: SYNC_TIMEOUT })
		expect(
			await card.locator('.score-part').evaluateAll((els) => els.map((e) => e.getAttribute('data-zone-id')))
		).toEqual(PARTS)
		expect(await card.locator('.score-part h3').allTextContents()).toEqual([
			'Gezamenlijk vraagstuk',
			'Belangen',
			'Relatie',
			'Organisatie',
			'Proces',
		])
		expect(await card.locator('[data-zone-id="relatie"] button').count()).toBe(10)
	})

	it('the phone gives marks and changes one; the board shows the spread live, counts only', async () => {
		const relatie = phone.locator('.score-part[data-zone-id="relatie"]')
		await relatie.getByRole('button', { name: 'Relatie: cijfer 5' }).tap()
		await waitFor(async () => (await relatie.getAttribute('data-mine')) === '5', { message: 'the mark 5 kept' })
		await relatie.getByRole('button', { name: 'Relatie: cijfer 8' }).tap()
		await phone
			.locator('.score-part[data-zone-id="belangen"]')
			.getByRole('button', { name: 'Belangen: cijfer 6' })
			.tap()
		await waitFor(
			async () =>
				(await projector.locator('[data-testid="score-spread"][data-zone-id="relatie"]').count()) === 1 &&
				(await spreadOf(projector, 'relatie')).n === 1 &&
				(await spreadOf(projector, 'relatie')).median === '8' &&
				(await spreadOf(projector, 'belangen')).n === 1,
			{ timeout: SYNC_TIMEOUT, message: 'the phone’s marks on the board' }
		)
		// Six more participants, as real joined participants through the API.
		const marks: Record<string, number[]> = {
			vraagstuk: [7, 8, 6, 9, 7, 5],
			belangen: [5, 7, 6, 4, 6, 8],
			relatie: [9, 7, 4, 8, 8, 6],
			organisatie: [6, 5, 7, 3, 6, 7],
			proces: [4, 6, 5, 5, 7, 3],
		}
		for (let p = 0; p < 6; p++) {
			const token = await participantToken(client, room, `score-e2e-${p}`)
			for (const zoneId of PARTS) {
				const res = await client.request('PUT', `/api/rooms/${room.roomId}/scores`, {
					body: { zoneId, score: marks[zoneId]![p] },
					token,
				})
				expect(res.status).toBe(200)
			}
		}
		// Relatie: 8 (the phone) and 9 7 4 8 8 6 → 7 marks, median 8, 4–9.
		await waitFor(async () => (await spreadOf(projector, 'relatie')).n === 7, {
			timeout: SYNC_TIMEOUT,
			message: 'all relatie marks on the projector',
		})
		expect(await spreadOf(projector, 'relatie')).toEqual({
			n: 7,
			median: '8',
			low: '4',
			high: '9',
			counts: '0,0,0,1,0,1,1,3,1,0',
		})
		expect(await spreadOf(projector, 'proces')).toMatchObject({ n: 6, median: '5', low: '3', high: '7' })
		expect(await spreadOf(facilitator, 'belangen')).toMatchObject({ n: 7, median: '6', low: '4', high: '8' })
		await facilitator.getByTestId('score-round-status').filter({ hasText: '7 deelnemers' }).waitFor()
	})

	it('draws each spread in the band under its frame, readable on the projector at zoom-to-fit', async () => {
		await projector.evaluate(async () => {
			await document.fonts.ready
			const editor = (window as unknown as TestWindow).__kompasbord!.editor
			editor.updateInstanceState({ isFocusMode: true })
			editor.zoomToFit({ animation: { duration: 0 } })
		})
		await projector.waitForFunction(
			() => (window as unknown as TestWindow).__kompasbord!.editor.getCameraState() === 'idle'
		)
		await projector.getByTestId('main-menu.button').waitFor({ state: 'detached' })
		const placement = await projector.evaluate((parts) => {
			const editor = (window as unknown as TestWindow).__kompasbord!.editor
			return parts.map((zoneId) => {
				const frame = editor.getShapePageBounds(`shape:kb-zone-${zoneId}`)!
				const bottomLeft = editor.pageToViewport({ x: frame.x, y: frame.maxY })
				const chart = document
					.querySelector(`[data-testid="score-spread"][data-zone-id="${zoneId}"]`)!
					.getBoundingClientRect()
				const mark = document
					.querySelector(`[data-testid="score-spread"][data-zone-id="${zoneId}"] .kb-score-chart__mark`)!
					.getBoundingClientRect()
				const stat = document
					.querySelector(`[data-testid="score-spread"][data-zone-id="${zoneId}"] .kb-score-chart__stat--big`)!
					.getBoundingClientRect()
				return {
					zoneId,
					top: chart.top - bottomLeft.y,
					left: chart.left - bottomLeft.x,
					mark: mark.height,
					stat: stat.height,
				}
			})
		}, PARTS)
		for (const p of placement) {
			expect(Math.abs(p.top), `${p.zoneId}: right under its frame`).toBeLessThan(2)
			expect(Math.abs(p.left), `${p.zoneId}: aligned with its frame`).toBeLessThan(2)
			// The glyph box of a 14 px text is about 14 px high or more.
			expect(p.mark, `${p.zoneId}: mark labels`).toBeGreaterThanOrEqual(13)
			expect(p.stat, `${p.zoneId}: the median`).toBeGreaterThanOrEqual(18)
		}
		await projector.screenshot({ path: path.join(screenshotDir, 'score-round-board.png') })
		await facilitator
			.getByTestId('score-round-section')
			.screenshot({ path: path.join(screenshotDir, 'score-round-panel.png') })
		await phone.getByTestId('phone-scores').scrollIntoViewIfNeeded()
		await phone.screenshot({ path: path.join(screenshotDir, 'score-round-phone.png') })
	})

	it('closing the round keeps the spread and disables the phone’s marks', async () => {
		await facilitator.getByTestId('score-round-close').click()
		await projector.locator('[data-testid="score-layer"][data-status="closed"]').waitFor({ timeout: SYNC_TIMEOUT })
		await phone.locator('[data-testid="phone-scores"][data-status="closed"]').waitFor({ timeout: SYNC_TIMEOUT })
		const relatie = phone.locator('.score-part[data-zone-id="relatie"]')
		expect(await relatie.getByRole('button', { name: 'Relatie: cijfer 3' }).isDisabled()).toBe(true)
		expect(await relatie.getByRole('button', { name: 'Relatie: cijfer 8' }).getAttribute('aria-pressed')).toBe('true')
		expect((await spreadOf(projector, 'relatie')).n).toBe(7)
		const answer = await client.request<{ error?: { code: string } }>('PUT', `/api/rooms/${room.roomId}/scores`, {
			body: { zoneId: 'relatie', score: 2 },
			token: await participantToken(client, room, 'score-e2e-0'),
		})
		expect(answer.status).toBe(409)
		expect(answer.body.error?.code).toBe('score_round_closed')
		await facilitator.getByTestId('score-round-start').filter({ hasText: 'Nieuwe cijferronde' }).waitFor()
	})

	it('the list view (screen readers) says the spread under each part', async () => {
		// The phone's browser holds the participant token the list view uses.
		const list = await phone.context().newPage()
		await list.goto(`${server.baseUrl}/b/${room.roomId}/lijst`)
		const relatie = list.locator('[data-testid="list-zone"][data-zone-id="relatie"] [data-testid="list-scores"]')
		await relatie.waitFor({ timeout: SYNC_TIMEOUT })
		expect(await relatie.textContent()).toBe('Cijfers (1–10): mediaan 8, van 4 tot 9, 7 cijfers')
		expect(
			await list.locator('[data-testid="list-zone"][data-zone-id="reflectie"] [data-testid="list-scores"]').count()
		).toBe(0)
		await list.close()
	})
})
