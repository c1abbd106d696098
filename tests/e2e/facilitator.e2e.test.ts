/**
 * The facilitator toolkit end to end, in real Chromium against a real server process: a facilitator board,
 * a participant board (laptop) and two phones run through a session — the shared timer, a private writing
 * round with "Onthullen", a voting round with its ranking, and closing the session.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zoneFrameId } from '@kompasbord/shared'
import { api, type CreatedRoom } from '../support/api'
import { notesWithText, openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'

const SYNC_TIMEOUT = 20_000
const NOTE_A = 'Samen de signalen bespreken'
const NOTE_LAPTOP = 'Ouders vroeg betrekken'
const NOTE_OTHER = 'Een vast aanspreekpunt'

/** The timer's seconds a board or phone shows right now. */
async function timerSeconds(page: Page, testId: 'session-timer' | 'phone-timer'): Promise<number> {
	return Number(await page.getByTestId(testId).getAttribute('data-seconds'))
}

/** Opens the phone page with a room's join code (the QR code's link) and waits for its zone buttons. */
async function openPhone(user: UserContext, baseUrl: string, joinCode: string): Promise<Page> {
	const phone = await user.newPage()
	await phone.goto(`${baseUrl}/j/${joinCode}`)
	await phone.getByRole('heading', { name: 'Waar hoort je notitie bij?' }).waitFor()
	return phone
}

/** Writes a note on a phone in a zone (by its button label). */
async function writeOnPhone(phone: Page, zoneLabel: RegExp, text: string): Promise<void> {
	await phone.getByRole('button', { name: zoneLabel }).first().tap()
	await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
	await phone.getByRole('button', { name: 'Versturen' }).tap()
}

/** The "my notes" item of a text on a phone. */
function myNote(phone: Page, text: string) {
	return phone.locator('ul.notes > li', { has: phone.locator('.note-text', { hasText: text }) })
}

/** Note ids on a board by text. */
async function noteId(page: Page, text: string): Promise<string> {
	const [note] = await waitFor(
		async () => {
			const found = await notesWithText(page, text)
			return found.length === 1 ? found : null
		},
		{ timeout: SYNC_TIMEOUT, message: `note "${text}" on the board` }
	)
	return note!.id
}

describe('facilitator toolkit', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	const users: UserContext[] = []
	let facilitator: Page
	let laptop: Page
	let phoneA: Page
	let phoneB: Page

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('dos-en-donts', { title: 'Werksessie samen leren' })
		mkdirSync(screenshotDir, { recursive: true })
		const user = async (options: Record<string, unknown>) => {
			const u = await newUserContext(browser, { serverUrl: server.baseUrl, ...options })
			users.push(u)
			return u
		}
		const mobile = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }
		facilitator = await openBoard(await user({ viewport: { width: 1400, height: 860 } }), server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		laptop = await openBoard(await user({ viewport: { width: 1280, height: 800 } }), server.baseUrl, room.roomId, {
			name: 'Sanne',
			joinCode: room.joinCode,
		})
		phoneA = await openPhone(await user(mobile), server.baseUrl, room.joinCode)
		phoneB = await openPhone(await user(mobile), server.baseUrl, room.joinCode)
		await facilitator.getByTestId('facilitator-panel').waitFor()
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('shows the facilitator who is connected', async () => {
		await waitFor(async () => (await facilitator.getByTestId('connected-count').getAttribute('data-count')) === '3', {
			timeout: SYNC_TIMEOUT,
			message: 'one laptop participant and two phones counted',
		})
	})

	it('runs one timer that every board and phone shows at the same second', async () => {
		await facilitator.getByTestId('timer-preset-5').click()
		const screens: [Page, 'session-timer' | 'phone-timer'][] = [
			[facilitator, 'session-timer'],
			[laptop, 'session-timer'],
			[phoneA, 'phone-timer'],
			[phoneB, 'phone-timer'],
		]
		for (const [page, id] of screens) await page.getByTestId(id).waitFor({ timeout: SYNC_TIMEOUT })
		// It runs: every screen counts down below the full five minutes.
		await waitFor(
			async () => (await Promise.all(screens.map(([p, id]) => timerSeconds(p, id)))).every((s) => s < 300),
			{
				timeout: SYNC_TIMEOUT,
				message: 'the timer counting down everywhere',
			}
		)
		const seconds = await Promise.all(screens.map(([p, id]) => timerSeconds(p, id)))
		expect(Math.max(...seconds) - Math.min(...seconds)).toBeLessThanOrEqual(1)
		expect(Math.min(...seconds)).toBeGreaterThan(240)
		await facilitator.screenshot({ path: path.join(screenshotDir, 'facilitator-timer.png') })
	})

	it("brings every board to the facilitator's view, and lets a participant follow the facilitator", async () => {
		type Bounds = { x: number; y: number; w: number; h: number }
		const viewport = (page: Page) =>
			page.evaluate(() => {
				const b = (
					window as unknown as { __kompasbord: { editor: { getViewportPageBounds(): Bounds } } }
				).__kompasbord.editor.getViewportPageBounds()
				return { x: b.x, y: b.y, w: b.w, h: b.h }
			})
		const zoomTo = (page: Page, frameId: string) =>
			page.evaluate((id) => {
				const editor = (
					window as unknown as {
						__kompasbord: {
							editor: { getShapePageBounds(id: string): Bounds; zoomToBounds(b: Bounds, o: unknown): void }
						}
					}
				).__kompasbord.editor
				editor.zoomToBounds(editor.getShapePageBounds(id), { immediate: true })
			}, frameId)
		const centre = (b: Bounds) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 })
		const sameView = async (target: Bounds) => {
			const mine = centre(await viewport(laptop))
			const theirs = centre(target)
			return Math.abs(mine.x - theirs.x) < target.w * 0.05 && Math.abs(mine.y - theirs.y) < target.h * 0.05
		}

		await zoomTo(facilitator, zoneFrameId('donts'))
		const donts = await viewport(facilitator)
		expect(await sameView(donts)).toBe(false)
		await facilitator.getByTestId('summon').click()
		await waitFor(() => sameView(donts), {
			timeout: SYNC_TIMEOUT,
			message: 'the laptop board moved to the facilitator view',
		})
		await laptop.getByTestId('summoned').waitFor()

		await laptop.getByTestId('follow-toggle').click()
		await zoomTo(facilitator, zoneFrameId('waarden'))
		const waarden = await viewport(facilitator)
		await waitFor(() => sameView(waarden), {
			timeout: SYNC_TIMEOUT,
			message: 'the following laptop board tracks the facilitator',
		})
		await laptop.getByTestId('follow-toggle').click()
		expect(await laptop.getByTestId('follow-controls').getAttribute('data-following')).toBe('false')
		await facilitator.evaluate(() => {
			;(
				window as unknown as { __kompasbord: { editor: { zoomToFit(o: unknown): void } } }
			).__kompasbord.editor.zoomToFit({ immediate: true })
		})
		await laptop.evaluate(() => {
			;(
				window as unknown as { __kompasbord: { editor: { zoomToFit(o: unknown): void } } }
			).__kompasbord.editor.zoomToFit({ immediate: true })
		})
	})

	it('keeps private notes private until "Onthullen", then shows them to everyone', async () => {
		await facilitator.getByTestId('start-private').click()
		await phoneA.getByTestId('phone-phase').filter({ hasText: 'Stil schrijven' }).waitFor({ timeout: SYNC_TIMEOUT })
		await phoneB.getByTestId('phone-phase').filter({ hasText: 'Stil schrijven' }).waitFor({ timeout: SYNC_TIMEOUT })

		// Phone A writes; it sees its note, kept until the reveal.
		await writeOnPhone(phoneA, /^Do's/, NOTE_A)
		await myNote(phoneA, NOTE_A)
			.getByText('Bewaard tot de facilitator de notities onthult')
			.waitFor({ timeout: SYNC_TIMEOUT })
		// The laptop participant writes in its private panel.
		await laptop.getByTestId('private-panel').waitFor({ timeout: SYNC_TIMEOUT })
		await laptop.getByTestId('private-text').fill(NOTE_LAPTOP)
		await laptop.getByTestId('private-submit').click()
		await laptop.getByTestId('private-note').filter({ hasText: NOTE_LAPTOP }).waitFor()
		expect(await laptop.getByTestId('private-note').filter({ hasText: NOTE_A }).count()).toBe(0)
		await laptop.screenshot({ path: path.join(screenshotDir, 'participant-private-writing.png') })
		await facilitator.getByTestId('reveal').filter({ hasText: '2 wachten' }).waitFor({ timeout: SYNC_TIMEOUT })

		// Nobody else can see them: not phone B (page, its notes, the board's note list), not the boards.
		expect(await phoneB.content()).not.toContain(NOTE_A)
		const fromB = await phoneB.evaluate(
			async (roomId) => (await fetch(`/api/rooms/${roomId}/votes`)).text(),
			room.roomId
		)
		expect(fromB).not.toContain(NOTE_A)
		expect(fromB).not.toContain(NOTE_LAPTOP)
		expect(await notesWithText(facilitator, NOTE_A)).toEqual([])
		expect(await notesWithText(laptop, NOTE_A)).toEqual([])
		expect(await notesWithText(facilitator, NOTE_LAPTOP)).toEqual([])

		await facilitator.getByTestId('reveal').click()
		const revealedA = await noteId(facilitator, NOTE_A)
		await noteId(laptop, NOTE_A)
		await noteId(facilitator, NOTE_LAPTOP)
		const placed = (await notesWithText(laptop, NOTE_A))[0]!
		expect(placed.parentId).toBe(zoneFrameId('dos'))
		await myNote(phoneA, NOTE_A).getByText('Op het bord').waitFor({ timeout: SYNC_TIMEOUT })
		expect(revealedA).toMatch(/^shape:/)
	})

	it('runs a voting round from phones and the board, and ranks the notes per zone', async () => {
		await writeOnPhone(phoneB, /^Do's/, NOTE_OTHER)
		const a = await noteId(facilitator, NOTE_A)
		const other = await noteId(facilitator, NOTE_OTHER)
		await facilitator.getByTestId('dots-input').fill('2')
		await facilitator.getByTestId('start-voting').click()

		// Phone B sees phone A's note now (revealed), in the voting list.
		const listB = phoneB.getByTestId('phone-voting')
		await listB.locator(`li[data-note-id="${a}"]`).waitFor({ timeout: SYNC_TIMEOUT })
		expect(await listB.locator(`li[data-note-id="${a}"] .vote-text`).textContent()).toBe(NOTE_A)
		await phoneB.getByTestId('phone-votes-left').filter({ hasText: 'Nog 2 van 2 stippen' }).waitFor()

		// Phone A: both dots on its note; a third is refused in the UI (no dots left).
		const listA = phoneA.getByTestId('phone-voting')
		await listA.locator(`[data-action="add:${a}"]`).tap()
		await listA.locator(`li[data-note-id="${a}"][data-mine="1"]`).waitFor()
		await listA.locator(`[data-action="add:${a}"]`).tap()
		await listA.locator(`li[data-note-id="${a}"][data-mine="2"]`).waitFor()
		await phoneA.getByTestId('phone-votes-left').filter({ hasText: 'Al je stippen zijn verdeeld' }).waitFor()
		expect(await listA.locator(`[data-action="add:${other}"]`).isDisabled()).toBe(true)

		// Phone B: one dot each.
		await listB.locator(`[data-action="add:${a}"]`).tap()
		await listB.locator(`li[data-note-id="${a}"][data-mine="1"]`).waitFor()
		await listB.locator(`[data-action="add:${other}"]`).tap()
		await listB.locator(`li[data-note-id="${other}"][data-mine="1"]`).waitFor()

		// The laptop participant votes on the board: select the note, press + on its badge.
		await laptop.evaluate((id) => {
			;(window as unknown as { __kompasbord: { editor: { select(id: string): void } } }).__kompasbord.editor.select(id)
		}, other)
		await laptop.locator(`[data-testid="vote-badge"][data-note-id="${other}"] [data-testid="vote-add"]`).click()
		await laptop
			.locator(`[data-testid="vote-badge"][data-note-id="${other}"][data-mine="1"]`)
			.waitFor({ timeout: SYNC_TIMEOUT })

		// Counts on every board; the ranking per zone on the facilitator's.
		await facilitator
			.locator(`[data-testid="vote-badge"][data-note-id="${a}"][data-votes="3"]`)
			.waitFor({ timeout: SYNC_TIMEOUT })
		await facilitator
			.locator(`[data-testid="vote-badge"][data-note-id="${other}"][data-votes="2"]`)
			.waitFor({ timeout: SYNC_TIMEOUT })
		await facilitator.getByTestId('toggle-ranking').click()
		const dos = facilitator.locator('[data-testid="ranking-zone"][data-zone-id="dos"]')
		await dos
			.locator(`[data-testid="ranking-note"][data-note-id="${a}"][data-votes="3"][data-rank="1"]`)
			.waitFor({ timeout: SYNC_TIMEOUT })
		await dos.locator(`[data-testid="ranking-note"][data-note-id="${other}"][data-votes="2"][data-rank="2"]`).waitFor()
		await laptop.getByTestId('ranking-panel').waitFor()
		await facilitator.screenshot({ path: path.join(screenshotDir, 'facilitator-voting-ranking.png') })
		await phoneB.screenshot({ path: path.join(screenshotDir, 'phone-voting.png'), fullPage: true })

		// The round ends: the phones show the result.
		await facilitator.getByTestId('stop-voting').click()
		await phoneB.getByRole('heading', { name: 'Uitslag' }).waitFor({ timeout: SYNC_TIMEOUT })
		expect(await phoneB.locator(`.vote-zone[data-zone-id="dos"] li`).first().getAttribute('data-note-id')).toBe(a)
	})

	it('closes the session: boards read-only, phones told, and the join code fails with a clear message', async () => {
		await facilitator.getByTestId('close-session').click()
		await facilitator.getByTestId('close-session-confirm').click()
		await phoneA
			.getByTestId('phone-phase')
			.filter({ hasText: 'Deze sessie is gesloten' })
			.waitFor({ timeout: SYNC_TIMEOUT })
		await phoneB
			.getByTestId('phone-phase')
			.filter({ hasText: 'Deze sessie is gesloten' })
			.waitFor({ timeout: SYNC_TIMEOUT })
		await waitFor(
			() =>
				laptop.evaluate(() =>
					(
						window as unknown as { __kompasbord: { editor: { getIsReadonly(): boolean } } }
					).__kompasbord.editor.getIsReadonly()
				),
			{ timeout: SYNC_TIMEOUT, message: 'the participant board read-only' }
		)
		await facilitator.getByTestId('reopen-session').waitFor()

		const late = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 390, height: 844 },
			isMobile: true,
			hasTouch: true,
		})
		users.push(late)
		const join = await late.newPage()
		await join.goto(`${server.baseUrl}/j`)
		await join.getByLabel('Code').fill(room.joinCode)
		await join.getByRole('button', { name: 'Meedoen' }).tap()
		await join.getByRole('alert').filter({ hasText: 'De sessie is gesloten.' }).waitFor({ timeout: SYNC_TIMEOUT })
		expect(join.url()).toBe(`${server.baseUrl}/j`)
		await join.screenshot({ path: path.join(screenshotDir, 'phone-join-closed.png') })
		await phoneA.screenshot({ path: path.join(screenshotDir, 'phone-session-closed.png'), fullPage: true })
		for (const user of users) expect(user.pageErrors().filter((e) => !e.includes('404'))).toEqual([])
	})
})
