import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { zoneFrameId } from '@kompasbord/shared'
import { api, type CreatedRoom } from '../support/api'
import { boardShapes, notesWithText, openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, PHONE_DEVICE, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'

const SYNC_TIMEOUT = 20_000
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
	id: string
	impact: string | null
	help: string
	nodes: { target: string[] }[]
}

/** Runs axe-core on the page (WCAG 2.1 A and AA rules) and returns the violations, shortened for a readable diff. */
async function axeViolations(page: Page): Promise<string[]> {
	await page.evaluate(axeSource)
	const violations = await page.evaluate(async () => {
		const axe = (
			window as unknown as {
				axe: { run(context: Document, options: unknown): Promise<{ violations: AxeViolation[] }> }
			}
		).axe
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
		})
		return result.violations
	})
	return violations.map(
		(v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`
	)
}

/** Page bounds of a shape as the board's editor computes them. */
async function pageBounds(page: Page, id: string): Promise<{ x: number; y: number; w: number; h: number }> {
	return page.evaluate((shapeId) => {
		const editor = (
			window as unknown as {
				__kompasbord: { editor: { getShapePageBounds(id: string): { x: number; y: number; w: number; h: number } } }
			}
		).__kompasbord.editor
		const b = editor.getShapePageBounds(shapeId)
		return { x: b.x, y: b.y, w: b.w, h: b.h }
	}, id)
}

function inside(
	inner: { x: number; y: number; w: number; h: number },
	outer: { x: number; y: number; w: number; h: number }
): boolean {
	const e = 0.5
	return (
		inner.x >= outer.x - e &&
		inner.y >= outer.y - e &&
		inner.x + inner.w <= outer.x + outer.w + e &&
		inner.y + inner.h <= outer.y + outer.h + e
	)
}

/** The "my notes" item of a text on the phone. */
function phoneNote(phone: Page, text: string) {
	return phone.locator('ul.notes > li', { has: phone.locator('.note-text', { hasText: text }) })
}

describe('phone participation', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	let board: Page
	let phone: Page
	let phoneUser: UserContext
	const users: UserContext[] = []

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('activiteitenmatrix', { title: 'Werksessie preventie', columns: 2 })
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('shows the facilitator a join overlay with a local QR code and the code', async () => {
		const facilitator = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 800 },
		})
		users.push(facilitator)
		board = await openBoard(facilitator, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		await board.getByTestId('join-button').click()
		const overlay = board.getByTestId('join-overlay')
		await overlay.waitFor()
		const code = overlay.locator('[data-join-code]')
		await code.waitFor()
		expect(await code.getAttribute('data-join-code')).toBe(room.joinCode)
		const qrUrl = await overlay.locator('svg[data-join-url]').getAttribute('data-join-url')
		expect(qrUrl).toBe(room.links.join)
		expect(qrUrl).toMatch(new RegExp(`/j/${room.joinCode}$`))
		// The facilitator also gets the view link with its token, to hand out.
		expect(await overlay.getByTestId('view-link').getAttribute('href')).toBe(room.links.view)
		await board.screenshot({ path: path.join(screenshotDir, 'board-join-overlay.png') })
		await overlay.getByRole('button').click()
		await overlay.waitFor({ state: 'detached' })
		expect(facilitator.foreignRequests()).toEqual([])
	})

	it('joins by code on a phone and posts to two zones; the board shows the notes inside the right frames', async () => {
		phoneUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			...PHONE_DEVICE,
		})
		users.push(phoneUser)
		phone = await phoneUser.newPage()
		await phone.goto(`${server.baseUrl}/j`)
		await phone.getByRole('heading', { name: 'Doe mee' }).waitFor()
		expect(await axeViolations(phone)).toEqual([])
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-join.png') })

		// A wrong code is explained in Dutch; the right one, typed casually, works.
		await phone.getByLabel('Code').fill('22222')
		await phone.getByRole('button', { name: 'Meedoen' }).tap()
		await phone.getByText('Een code heeft 6 tekens').waitFor()
		const typed = `${room.joinCode.slice(0, 3).toLowerCase()} ${room.joinCode.slice(3)}`
		await phone.getByLabel('Code').fill(typed)
		await phone.getByRole('button', { name: 'Meedoen' }).tap()
		await phone.waitForURL(`**/j/${room.roomId}`)
		await phone.getByRole('heading', { name: 'Werksessie preventie' }).waitFor()
		await phone.getByRole('heading', { name: 'Waar hoort je notitie bij?' }).waitFor()
		expect(await axeViolations(phone)).toEqual([])

		// Matrix: the row first, then the column.
		await phone.getByRole('button', { name: 'Preventie' }).tap()
		await phone.getByRole('heading', { name: 'Preventie: kies een kolom' }).waitFor()
		await phone.getByRole('button', { name: 'Resultaat 2' }).tap()
		await phone.getByRole('heading', { name: 'Je schrijft in: Preventie · Resultaat 2' }).waitFor()
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill('Weerbaarheidstraining in groep 7 en 8')
		await phone.getByRole('radio', { name: 'Lichtblauw' }).tap()
		expect(await phone.getByRole('radio', { name: 'Lichtblauw' }).isChecked()).toBe(true)
		expect(await axeViolations(phone)).toEqual([])
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await phoneNote(phone, 'Weerbaarheidstraining').getByText('Op het bord').waitFor({ timeout: SYNC_TIMEOUT })

		await phone.getByRole('button', { name: 'Ander vak' }).tap()
		await phone.getByRole('button', { name: 'Wat willen we bereiken voor kinderen en jongeren?' }).tap()
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill('Elk kind voelt zich veilig op school')
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await phoneNote(phone, 'Elk kind voelt zich veilig').getByText('Op het bord').waitFor({ timeout: SYNC_TIMEOUT })
		expect(await axeViolations(phone)).toEqual([])
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-room.png'), fullPage: true })

		const [cell] = await waitFor(() => notesWithText(board, 'Weerbaarheidstraining in groep 7 en 8'), {
			timeout: SYNC_TIMEOUT,
			message: 'the matrix note on the board',
		})
		const [ambition] = await waitFor(() => notesWithText(board, 'Elk kind voelt zich veilig op school'), {
			timeout: SYNC_TIMEOUT,
			message: 'the ambition note on the board',
		})
		expect(cell!.parentId).toBe(zoneFrameId('preventie:2'))
		expect(ambition!.parentId).toBe(zoneFrameId('ambitie'))
		expect(inside(await pageBounds(board, cell!.id), await pageBounds(board, zoneFrameId('preventie:2')))).toBe(true)
		expect(inside(await pageBounds(board, ambition!.id), await pageBounds(board, zoneFrameId('ambitie')))).toBe(true)
		// Fold the session panel away and zoom: once to both zones, then close to each note in its frame.
		const collapse = board.getByTestId('facilitator-panel').locator('header button')
		if (await collapse.count()) await collapse.click()
		const zoomTo = (bounds: { x: number; y: number; w: number; h: number }) =>
			board.evaluate((b) => {
				const editor = (
					window as unknown as { __kompasbord: { editor: { zoomToBounds(b: unknown, o: unknown): void } } }
				).__kompasbord.editor
				editor.zoomToBounds(b, { inset: 40, animation: { duration: 0 } })
			}, bounds)
		for (const [name, note] of [
			['matrix', cell!],
			['ambition', ambition!],
		] as const) {
			const n = await pageBounds(board, note.id)
			await zoomTo({ x: n.x - 150, y: n.y - 120, w: n.w + 600, h: n.h + 240 })
			await board.screenshot({ path: path.join(screenshotDir, `board-phone-note-${name}.png`) })
		}
		const a = await pageBounds(board, zoneFrameId('ambitie'))
		const b = await pageBounds(board, zoneFrameId('preventie:2'))
		await zoomTo({
			x: Math.min(a.x, b.x),
			y: Math.min(a.y, b.y),
			w: Math.max(a.x + a.w, b.x + b.w) - Math.min(a.x, b.x),
			h: Math.max(a.y + a.h, b.y + b.h) - Math.min(a.y, b.y),
		})
		await board.screenshot({ path: path.join(screenshotDir, 'board-phone-notes.png') })

		// The phone page is lean: no tldraw, nothing from another host, no script errors.
		expect(phoneUser.requests().filter((url) => /tldraw|BoardPage/i.test(url))).toEqual([])
		expect(phoneUser.foreignRequests()).toEqual([])
		expect(phoneUser.pageErrors()).toEqual([])
	})

	it('keeps a note written offline visibly waiting, and sends it exactly once when the wifi is back', async () => {
		const text = 'Geschreven zonder wifi'
		await phoneUser.context.setOffline(true)
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		const waiting = phoneNote(phone, text)
		await waiting.getByText('Wacht op verbinding').waitFor()
		await phone.getByText('Geen verbinding. 1 notitie wacht').waitFor()
		const stored = await phone.evaluate((roomId) => localStorage.getItem(`kompasbord.outbox.${roomId}`), room.roomId)
		expect(JSON.parse(stored!)).toEqual([expect.objectContaining({ body: expect.objectContaining({ text }) })])
		expect(await axeViolations(phone)).toEqual([])
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-offline.png'), fullPage: true })
		expect(await notesWithText(board, text)).toEqual([])

		await phoneUser.context.setOffline(false)
		await waiting.getByText('Op het bord').waitFor({ timeout: SYNC_TIMEOUT })
		await waitFor(async () => (await notesWithText(board, text)).length === 1, {
			timeout: SYNC_TIMEOUT,
			message: 'the offline note on the board',
		})
		const token = await phone.evaluate(
			(roomId) => localStorage.getItem(`kompasbord.participantToken.${roomId}`),
			room.roomId
		)
		const listed = await api(server.baseUrl).request<{ notes: { text: string }[] }>(
			'GET',
			`/api/rooms/${room.roomId}/notes`,
			{ token: token! }
		)
		expect(listed.body.notes.filter((n) => n.text === text)).toHaveLength(1)
		expect(await phone.evaluate((roomId) => localStorage.getItem(`kompasbord.outbox.${roomId}`), room.roomId)).toBe(
			'[]'
		)
	})

	it('retries a post whose answer was lost, and the board still gets the note once', async () => {
		const text = 'Antwoord kwijtgeraakt'
		let lost = 0
		await phone.route('**/api/rooms/*/notes', async (route) => {
			if (route.request().method() === 'POST' && lost === 0) {
				lost += 1
				// The server gets the note and answers; the phone never hears it.
				await route.fetch()
				await route.abort('connectionreset')
				return
			}
			await route.continue()
		})
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await phoneNote(phone, text).getByText('Op het bord').waitFor({ timeout: 60_000 })
		await phone.unroute('**/api/rooms/*/notes')
		expect(lost).toBe(1)
		await waitFor(async () => (await notesWithText(board, text)).length > 0, { timeout: SYNC_TIMEOUT })
		expect(await notesWithText(board, text)).toHaveLength(1)
		expect(await phone.locator('ul.notes > li .note-text', { hasText: text }).count()).toBe(1)
	})

	it('explains the note rate limit in Dutch, then sends the note by itself', async () => {
		const token = (await phone.evaluate(
			(roomId) => localStorage.getItem(`kompasbord.participantToken.${roomId}`),
			room.roomId
		))!
		const http = api(server.baseUrl)
		// Keep this participant's bucket empty from outside the phone (it refills one note a second) until the
		// phone has been refused and says so.
		let draining = true
		let refused = 0
		const drain = (async () => {
			for (let i = 0; draining; i++) {
				const answer = await http.request('POST', `/api/rooms/${room.roomId}/notes`, {
					body: { zoneId: 'ambitie', text: `vulling ${i}`, clientNoteId: `burst-${i}-${Date.now()}` },
					token,
				})
				if (answer.status === 429) refused++
			}
		})()
		await waitFor(() => refused > 0, { message: 'the participant to be rate-limited' })
		const text = 'Na even wachten'
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await phone.getByText('Je verstuurt veel notities snel achter elkaar').waitFor()
		await phoneNote(phone, text).getByText('Wacht even: te veel notities tegelijk').waitFor()
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-rate-limited.png'), fullPage: true })
		draining = false
		await drain
		await phoneNote(phone, text).getByText('Op het bord').waitFor({ timeout: 60_000 })
		await waitFor(async () => (await notesWithText(board, text)).length === 1, { timeout: SYNC_TIMEOUT })
	})

	it('lets the participant edit and delete their own note from the phone', async () => {
		const item = phoneNote(phone, 'Elk kind voelt zich veilig op school')
		await item.getByRole('button', { name: 'Bewerken' }).tap()
		await phone.getByLabel('Notitie bewerken').fill('Elk kind en elke jongere voelt zich veilig')
		await phone.getByRole('button', { name: 'Opslaan' }).tap()
		await phoneNote(phone, 'Elk kind en elke jongere').waitFor()
		const [edited] = await waitFor(() => notesWithText(board, 'Elk kind en elke jongere voelt zich veilig'), {
			timeout: SYNC_TIMEOUT,
			message: 'the edited note on the board',
		})
		expect(edited!.parentId).toBe(zoneFrameId('ambitie'))

		const toDelete = phoneNote(phone, 'Elk kind en elke jongere')
		await toDelete.getByRole('button', { name: 'Verwijderen' }).tap()
		await toDelete.getByText('Deze notitie van het bord halen?').waitFor()
		await toDelete.getByRole('button', { name: 'Verwijderen' }).tap()
		await toDelete.waitFor({ state: 'detached' })
		await waitFor(async () => !(await boardShapes(board)).some((s) => s.id === edited!.id), {
			timeout: SYNC_TIMEOUT,
			message: 'the note gone from the board',
		})
		// Chromium logs the requests that failed on purpose: polls while offline, the answer we cut off, and the
		// 429 we provoked. Nothing else may have gone wrong.
		const expected =
			/Failed to load resource: (net::ERR_INTERNET_DISCONNECTED|net::ERR_CONNECTION_RESET|the server responded with a status of 429)/
		expect(phoneUser.pageErrors().filter((error) => !expected.test(error))).toEqual([])
	})

	it('fits a 360 px wide screen with large touch targets, and switches to English', async () => {
		await phone.setViewportSize({ width: 360, height: 740 })
		await phone.getByRole('heading', { name: /^Je schrijft in:/ }).waitFor()
		expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0)
		const small = await phone.evaluate(() =>
			[
				...document.querySelectorAll<HTMLElement>(
					'button.zone, button.secondary, button.primary, .swatch, .notes button, .lang'
				),
			]
				.filter((el) => el.offsetParent !== null && el.getBoundingClientRect().height < 44)
				.map((el) => `${el.className}: ${el.textContent} (${el.getBoundingClientRect().height} px)`)
		)
		expect(small).toEqual([])
		await phone.getByRole('button', { name: 'English' }).tap()
		await phone.getByRole('heading', { name: /^You are writing in:/ }).waitFor()
		await phone.getByRole('textbox', { name: 'Your note' }).fill('Concept in het Engels')
		await phone.getByRole('radio', { name: 'Light green' }).waitFor()
		await phone.getByRole('button', { name: 'Send' }).waitFor()
		expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en')
		expect(await axeViolations(phone)).toEqual([])
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-360-en.png'), fullPage: true })
		await phone.getByRole('button', { name: 'Nederlands' }).tap()
		await phone.getByRole('heading', { name: /^Je schrijft in:/ }).waitFor()
		// The draft survives the switch.
		expect(await phone.getByRole('textbox', { name: 'Je notitie' }).inputValue()).toBe('Concept in het Engels')
		expect(await phone.evaluate(() => localStorage.getItem('kompasbord.lang'))).toBe('nl')
	})
})
