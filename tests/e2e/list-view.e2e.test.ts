/**
 * The list view ("Lijstweergave") in real Chromium against a real server process: axe-core finds no WCAG 2.1
 * A/AA violation, and a participant who uses only the keyboard adds a note, votes, edits and deletes it. The
 * board's skip link and the phone page lead to it.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient, type CreatedRoom } from '../support/api'
import { openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

const SYNC_TIMEOUT = 20_000
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

interface AxeViolation {
	id: string
	impact: string
	help: string
	nodes: { target: string[]; failureSummary: string }[]
}

/** Runs axe-core's WCAG 2.0/2.1 A and AA rules on the page; the violations, summarised. */
async function axeViolations(page: Page): Promise<string[]> {
	// Evaluated, not added as a script tag: the page's Content-Security-Policy allows no inline script.
	if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource)
	const violations = await page.evaluate(async () => {
		const axe = (
			window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }
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

/** What has the keyboard focus: its tag, accessible label and text. */
async function focused(page: Page): Promise<{ tag: string; label: string }> {
	return page.evaluate(() => {
		const el = document.activeElement as HTMLElement | null
		if (!el) return { tag: '', label: '' }
		const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? ''
		return { tag: el.tagName.toLowerCase(), label: el.getAttribute('aria-label') ?? (labelled || el.textContent || '') }
	})
}

/** Presses Tab until the focused element matches; fails after `max` presses. */
async function tabTo(page: Page, matches: (f: { tag: string; label: string }) => boolean, max = 120): Promise<void> {
	const seen: string[] = []
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab')
		const f = await focused(page)
		if (matches(f)) return
		seen.push(`${f.tag}:${f.label.slice(0, 40)}`)
	}
	throw new Error(`focus never reached the element; went through ${seen.join(' | ')}`)
}

async function liveText(page: Page, pattern: RegExp): Promise<void> {
	await waitFor(async () => pattern.test((await page.getByTestId('list-live').textContent()) ?? ''), {
		timeout: SYNC_TIMEOUT,
		message: `live region saying ${pattern}`,
	})
}

describe('list view (Lijstweergave)', () => {
	let server: ServerProcess
	let browser: Browser
	let client: ApiClient
	let room: CreatedRoom
	let page: Page
	let dosLabel: string
	const users: UserContext[] = []
	const user = async (options: Record<string, unknown> = {}) => {
		const u = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1280, height: 900 },
			...options,
		})
		users.push(u)
		return u
	}

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		mkdirSync(screenshotDir, { recursive: true })
		client = api(server.baseUrl)
		room = await client.createRoom('dos-en-donts', { title: 'Toegankelijk' })
		await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Samen de signalen bespreken', clientNoteId: 'list-other-1' },
			await participantToken(client, room, 'list-other-participant')
		)
		page = await (await user()).newPage()
		// The list view of a participant who has not joined yet: the board link's code joins them.
		await page.goto(`${server.baseUrl}/b/${room.roomId}/lijst#code=${room.joinCode}`)
		await page.locator('[data-testid="list-zone"]').first().waitFor({ timeout: SYNC_TIMEOUT })
		dosLabel = (await page.locator('[data-zone-id="dos"] h2').textContent()) ?? ''
	})

	afterAll(async () => {
		for (const u of users) await u.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('lists every zone with a heading, its question and its notes', async () => {
		const zones = (await client.getRoom(room.roomId)).zones.map((z) => z.id)
		expect(
			await page.getByTestId('list-zone').evaluateAll((els) => els.map((el) => el.getAttribute('data-zone-id')))
		).toEqual(zones)
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Lijstweergave')
		expect(await page.getByRole('heading', { level: 2 }).count()).toBe(zones.length)
		expect(await page.getByRole('main').count()).toBe(1)
		await page
			.locator('[data-zone-id="dos"] [data-testid="list-note"]', { hasText: 'Samen de signalen bespreken' })
			.waitFor()
		expect(dosLabel).toBeTruthy()
		await page.screenshot({ path: path.join(screenshotDir, 'list-view.png') })
	})

	it('has no axe-core WCAG 2.1 A/AA violation', async () => {
		expect(await axeViolations(page)).toEqual([])
	})

	it('lets a keyboard-only participant add a note, vote on it, edit it and delete it', async () => {
		const text = 'Vaste contactpersoon per school'
		// Start at the top of the page, then only the keyboard.
		await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
		await tabTo(page, (f) => f.tag === 'textarea' && f.label === `Nieuwe notitie bij ${dosLabel}`)
		await page.keyboard.type(text)
		await page.keyboard.press('Tab')
		expect((await focused(page)).label).toBe('Notitie toevoegen')
		await page.keyboard.press('Enter')
		await liveText(page, /Notitie toegevoegd/)
		const mine = page.locator('[data-testid="list-note"][data-mine="true"]', { hasText: text })
		await mine.waitFor({ timeout: SYNC_TIMEOUT })
		// The focus stays in the (emptied) field, ready for the next note.
		expect(await focused(page)).toMatchObject({ tag: 'textarea' })

		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		await page.locator('[data-testid="list-phase"][data-phase="voting"]').waitFor({ timeout: SYNC_TIMEOUT })
		await liveText(page, /Fase gewijzigd/)
		expect(await axeViolations(page)).toEqual([])
		await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
		await tabTo(page, (f) => f.label === `Stip geven aan: ${text}`)
		await page.keyboard.press('Enter')
		await liveText(page, /Stip gegeven\. Nog 2 over\./)
		await waitFor(async () => (await mine.locator('[data-votes]').getAttribute('data-votes')) === '1', {
			timeout: SYNC_TIMEOUT,
			message: 'one dot on the note',
		})
		const voting = (
			await client.request<{ votes: { used: number } }>('GET', `/api/rooms/${room.roomId}/votes`, {
				token: await participantTokenOf(page, room.roomId),
			})
		).body
		expect(voting.votes.used).toBe(1)

		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
		await page.locator('[data-testid="list-phase"][data-phase="open"]').waitFor({ timeout: SYNC_TIMEOUT })
		await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
		await tabTo(page, (f) => f.label === `Bewerken: ${text}`)
		await page.keyboard.press('Enter')
		await waitFor(async () => (await focused(page)).label === 'Notitie bewerken', {
			timeout: SYNC_TIMEOUT,
			message: 'focus in the edit field',
		})
		await page.keyboard.press('End')
		await page.keyboard.type(' (ook in de vakantie)')
		await page.keyboard.press('Tab')
		expect((await focused(page)).label).toBe('Opslaan')
		await page.keyboard.press('Enter')
		await liveText(page, /Notitie opgeslagen/)
		const edited = `${text} (ook in de vakantie)`
		await page
			.locator('[data-testid="list-note"][data-mine="true"]', { hasText: edited })
			.waitFor({ timeout: SYNC_TIMEOUT })

		await tabTo(page, (f) => f.label === `Verwijderen: ${edited}`)
		await page.keyboard.press('Enter')
		await liveText(page, /Notitie verwijderd/)
		await page
			.locator('[data-testid="list-note"]', { hasText: edited })
			.waitFor({ state: 'detached', timeout: SYNC_TIMEOUT })
		// Someone else's note offers neither editing nor deleting.
		const other = page.locator('[data-testid="list-note"]', { hasText: 'Samen de signalen bespreken' })
		expect(await other.getAttribute('data-mine')).toBe('false')
		expect(await other.getByRole('button').count()).toBe(0)
	})

	it('announces notes that others add', async () => {
		await client.postNote(
			room.roomId,
			{ zoneId: 'donts', text: 'Niet alleen beslissen', clientNoteId: 'list-other-2' },
			await participantToken(client, room, 'list-other-participant')
		)
		await liveText(page, /1 nieuwe notitie op het bord/)
	})

	it('is the board’s first keyboard stop, and the phone page links to it', async () => {
		const board = await openBoard(await user(), server.baseUrl, room.roomId, { name: 'Sanne', joinCode: room.joinCode })
		await board.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
		await board.keyboard.press('Tab')
		expect(await board.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('list-view-skip')
		await board.keyboard.press('Enter')
		await board.locator('[data-testid="list-zone"]').first().waitFor({ timeout: SYNC_TIMEOUT })
		expect(new URL(board.url()).pathname).toBe(`/b/${room.roomId}/lijst`)

		const phone = await (
			await user({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })
		).newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		const link = phone.getByTestId('phone-list-link')
		await link.waitFor({ timeout: SYNC_TIMEOUT })
		expect(await link.getAttribute('href')).toBe(`/b/${room.roomId}/lijst`)
	})
})

/** The participant token the page's browser keeps for the room (the phone's). */
function participantTokenOf(page: Page, roomId: string): Promise<string> {
	return page.evaluate((id) => localStorage.getItem(`kompasbord.participantToken.${id}`) ?? '', roomId)
}
