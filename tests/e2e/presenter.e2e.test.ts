/**
 * The projector in real Chromium against a real server process: "Zone in beeld" (the presenter view) with 30
 * notes in one zone, followed by a participant's board; the join overlay's QR code uncovered by any panel; and
 * zoom-to-fit beside the facilitator's panels on every template.
 */
import { listTemplates } from '@kompasbord/templates'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import { openBoard } from '../support/board-page'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

/** Tests that open a board of every template get time per template (there is one for every worksheet). */
const EVERY_TEMPLATE_TIMEOUT = 30_000 + 20_000 * listTemplates().length

const SYNC_TIMEOUT = 20_000
const PROJECTOR = { width: 1920, height: 1080 }

type Rect = { x: number; y: number; w: number; h: number }

function overlaps(a: Rect, b: Rect): boolean {
	return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

/** Waits until the board's camera stands still over two animation frames. */
async function cameraSettled(page: Page): Promise<void> {
	await page.waitForFunction(
		() =>
			new Promise<boolean>((resolve) => {
				const editor = (
					window as unknown as { __kompasbord: { editor: { getCamera(): { x: number; y: number; z: number } } } }
				).__kompasbord.editor
				const a = JSON.stringify(editor.getCamera())
				requestAnimationFrame(() => requestAnimationFrame(() => resolve(JSON.stringify(editor.getCamera()) === a)))
			}),
		null,
		{ timeout: SYNC_TIMEOUT }
	)
}

/** The screen rectangles of every zone frame, and of every panel that covers the canvas. */
async function framesAndPanels(
	page: Page
): Promise<{ frames: (Rect & { zoneId: string })[]; panels: (Rect & { name: string })[] }> {
	return page.evaluate(() => {
		type Editor = {
			getCurrentPageShapes(): { id: string; type: string; meta: Record<string, unknown> }[]
			getShapePageBounds(id: string): { x: number; y: number; w: number; h: number }
			pageToScreen(p: { x: number; y: number }): { x: number; y: number }
		}
		const editor = (window as unknown as { __kompasbord: { editor: Editor } }).__kompasbord.editor
		const frames = editor
			.getCurrentPageShapes()
			.filter((s) => s.type === 'frame' && typeof s.meta.zoneId === 'string')
			.map((s) => {
				const b = editor.getShapePageBounds(s.id)
				const a = editor.pageToScreen({ x: b.x, y: b.y })
				const c = editor.pageToScreen({ x: b.x + b.w, y: b.y + b.h })
				return { zoneId: s.meta.zoneId as string, x: a.x, y: a.y, w: c.x - a.x, h: c.y - a.y }
			})
		const panels = [
			...document.querySelectorAll<HTMLElement>('.kb-session-panel, .kb-ranking, .kb-private-panel, .tlui-style-panel'),
		].map((el) => {
			const r = el.getBoundingClientRect()
			return { name: el.className, x: r.x, y: r.y, w: r.width, h: r.height }
		})
		return { frames, panels }
	})
}

describe('the projector', () => {
	let server: ServerProcess
	let browser: Browser
	const users: UserContext[] = []
	const user = async (viewport = PROJECTOR) => {
		const u = await newUserContext(browser, { serverUrl: server.baseUrl, viewport })
		users.push(u)
		return u
	}

	beforeAll(async () => {
		// One room per template, twice: more than the per-address limit on new rooms, which is not under test here.
		server = await startServerProcess({ env: { ROOMS_PER_ADDRESS: '200' } })
		browser = await launchBrowser()
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		for (const u of users) await u.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	describe('"Zone in beeld" with 30 notes, and a board that follows it', () => {
		let room: CreatedRoom
		let facilitator: Page
		let follower: Page
		let bystander: Page
		let zoneOrder: string[]
		const texts = Array.from({ length: 30 }, (_, i) =>
			i % 3 === 0
				? `Notitie ${i + 1}: samen met ouders en school de signalen bespreken, ook als het lastig is om te beginnen`
				: `Notitie ${i + 1}: vast aanspreekpunt`
		)

		beforeAll(async () => {
			const client = api(server.baseUrl)
			room = await client.createRoom('dos-en-donts', { title: 'Projector' })
			zoneOrder = (await client.getRoom(room.roomId)).zones.map((z) => z.id)
			const ids: string[] = []
			for (let i = 0; i < texts.length; i++) {
				const participantId = `presenter-participant-${i % 10}`
				const posted = await client.postNote(
					room.roomId,
					{ zoneId: 'dos', text: texts[i], clientNoteId: `presenter-note-${i}` },
					await participantToken(client, room, participantId)
				)
				ids.push(posted.noteId)
			}
			// A voting round: note 30 gets three dots, note 2 two.
			await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
			for (const [noteIndex, voters] of [
				[29, 3],
				[1, 2],
			] as const) {
				for (let v = 0; v < voters; v++)
					await client.vote(
						room.roomId,
						{ noteId: ids[noteIndex] },
						await participantToken(client, room, `presenter-voter-${v}-xx`)
					)
			}
			await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'open' })
			facilitator = await openBoard(await user(), server.baseUrl, room.roomId, {
				suffix: `#key=${room.facilitatorKey}`,
				name: 'Begeleider',
			})
			follower = await openBoard(await user({ width: 1280, height: 800 }), server.baseUrl, room.roomId, {
				name: 'Sanne',
				joinCode: room.joinCode,
			})
			bystander = await openBoard(await user({ width: 1280, height: 800 }), server.baseUrl, room.roomId, {
				name: 'Piet',
				joinCode: room.joinCode,
			})
			await follower.getByTestId('follow-toggle').click()
			await follower.locator('[data-testid="follow-controls"][data-following="true"]').waitFor()
		})

		it('opens on the overview, with every zone and its note count, on the facilitator’s and the following board', async () => {
			await facilitator.getByTestId('presenter-open').click()
			for (const page of [facilitator, follower]) {
				await page.locator('[data-testid="presenter-view"][data-mode="overview"]').waitFor({ timeout: SYNC_TIMEOUT })
				const items = page.locator('[data-testid="presenter-overview-list"] > li')
				await waitFor(async () => (await items.count()) === zoneOrder.length, {
					timeout: SYNC_TIMEOUT,
					message: 'every zone listed',
				})
				expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-zone-id')))).toEqual(zoneOrder)
				await waitFor(
					async () => (await page.locator('li[data-zone-id="dos"] [data-count]').getAttribute('data-count')) === '30',
					{ timeout: SYNC_TIMEOUT, message: '30 notes counted in dos' }
				)
			}
			await facilitator.screenshot({ path: path.join(screenshotDir, 'presenter-overview.png') })
			expect(await bystander.getByTestId('presenter-view').count()).toBe(0)
		})

		it('shows one zone with its 30 notes in text of at least 24 px, none overlapping, ranked by dots', async () => {
			await facilitator.locator('li[data-zone-id="dos"] button').click()
			await facilitator.locator('[data-testid="presenter-view"][data-zone-id="dos"]').waitFor({ timeout: SYNC_TIMEOUT })
			const notes = facilitator.getByTestId('presenter-note')
			await waitFor(async () => (await notes.count()) === 30, { timeout: SYNC_TIMEOUT, message: '30 notes shown' })
			const measured = await notes.evaluateAll((els) =>
				els.map((el) => {
					const r = el.getBoundingClientRect()
					const text = el.querySelector('.kb-presenter__note-text') as HTMLElement
					return {
						x: r.x,
						y: r.y,
						w: r.width,
						h: r.height,
						fontPx: Number.parseFloat(getComputedStyle(text).fontSize),
						text: text.textContent ?? '',
						textVisible: text.getBoundingClientRect().height > 0,
					}
				})
			)
			for (const note of measured) {
				expect(note.fontPx, note.text).toBeGreaterThanOrEqual(24)
				expect(note.textVisible).toBe(true)
				// On the screen: inside the window, no scrolling needed.
				expect(note.x).toBeGreaterThanOrEqual(0)
				expect(note.y).toBeGreaterThanOrEqual(0)
				expect(note.x + note.w).toBeLessThanOrEqual(PROJECTOR.width)
				expect(note.y + note.h).toBeLessThanOrEqual(PROJECTOR.height)
			}
			for (let i = 0; i < measured.length; i++) {
				for (let j = i + 1; j < measured.length; j++)
					expect(overlaps(measured[i], measured[j]), `${i} and ${j}`).toBe(false)
			}
			expect(measured[0].text).toBe(texts[29])
			expect(measured[1].text).toBe(texts[1])
			// The zone's question is shown with it.
			expect(await facilitator.locator('.kb-presenter__question').textContent()).toBeTruthy()
			await facilitator.screenshot({ path: path.join(screenshotDir, 'presenter-zone.png') })
			// The following board shows the same zone.
			await follower.locator('[data-testid="presenter-view"][data-zone-id="dos"]').waitFor({ timeout: SYNC_TIMEOUT })
			await waitFor(async () => (await follower.getByTestId('presenter-note').count()) === 30, {
				timeout: SYNC_TIMEOUT,
				message: '30 notes on the follower',
			})
			// The board that does not follow has the same state in its doc, and shows the board, not the zone.
			await bystander.waitForFunction(
				() =>
					(
						window as unknown as {
							__kompasbord: { doc: { getMap(name: string): { get(key: string): { zoneId?: string } | undefined } } }
						}
					).__kompasbord.doc
						.getMap('session')
						.get('presenter')?.zoneId === 'dos',
				null,
				{ timeout: SYNC_TIMEOUT }
			)
			expect(await bystander.getByTestId('presenter-view').count()).toBe(0)
		})

		it('steps through the zones in worksheet order with the arrow keys; the following board goes along', async () => {
			const at = zoneOrder.indexOf('dos')
			const next = zoneOrder[at + 1]
			const previous = zoneOrder[at - 1]
			expect(next).toBeTruthy()
			await facilitator.keyboard.press('ArrowRight')
			for (const page of [facilitator, follower]) {
				await page.locator(`[data-testid="presenter-view"][data-zone-id="${next}"]`).waitFor({ timeout: SYNC_TIMEOUT })
			}
			await facilitator.keyboard.press('ArrowLeft')
			await facilitator.keyboard.press('ArrowLeft')
			for (const page of [facilitator, follower]) {
				await page
					.locator(`[data-testid="presenter-view"][data-zone-id="${previous ?? 'dos'}"]`)
					.waitFor({ timeout: SYNC_TIMEOUT })
			}
			await facilitator.getByTestId('presenter-next').click()
			const after = zoneOrder[zoneOrder.indexOf(previous ?? 'dos') + 1]
			for (const page of [facilitator, follower]) {
				await page.locator(`[data-testid="presenter-view"][data-zone-id="${after}"]`).waitFor({ timeout: SYNC_TIMEOUT })
			}
		})

		it('Escape takes every board back to the board', async () => {
			await facilitator.keyboard.press('Escape')
			for (const page of [facilitator, follower])
				await page.getByTestId('presenter-view').waitFor({ state: 'detached', timeout: SYNC_TIMEOUT })
		})
	})

	it('steps through every zone of every template in worksheet order, four matrix columns included', {
		timeout: EVERY_TEMPLATE_TIMEOUT,
	}, async () => {
		const client = api(server.baseUrl)
		const templates = await client.templates()
		const context = await user()
		for (const template of templates) {
			const room = await client.createRoom(template.id, {
				title: template.id,
				...(template.id === 'activiteitenmatrix' ? { columns: 4 } : {}),
			})
			const order = (await client.getRoom(room.roomId)).zones.map((z) => z.id)
			const page = await openBoard(context, server.baseUrl, room.roomId, {
				suffix: `#key=${room.facilitatorKey}`,
				name: 'Begeleider',
			})
			await page.getByTestId('presenter-open').click()
			await page.locator('[data-testid="presenter-view"][data-mode="overview"]').waitFor({ timeout: SYNC_TIMEOUT })
			const listed = () =>
				page
					.locator('[data-testid="presenter-overview-list"] > li')
					.evaluateAll((els) => els.map((el) => el.getAttribute('data-zone-id')))
			await waitFor(async () => JSON.stringify(await listed()) === JSON.stringify(order), {
				timeout: SYNC_TIMEOUT,
				message: `${template.id}: every zone in the overview, in worksheet order`,
			})
			if (template.id === 'activiteitenmatrix')
				await page.screenshot({ path: path.join(screenshotDir, 'presenter-overview-matrix.png') })
			for (const zoneId of order) {
				await page.keyboard.press('ArrowRight')
				await page
					.locator(`[data-testid="presenter-view"][data-zone-id="${zoneId}"]`)
					.waitFor({ timeout: SYNC_TIMEOUT })
				expect(
					(await page.getByTestId('presenter-zone-label').textContent())?.trim(),
					`${template.id} ${zoneId}`
				).toBeTruthy()
			}
			await page.keyboard.press('Escape')
			await page.getByTestId('presenter-view').waitFor({ state: 'detached', timeout: SYNC_TIMEOUT })
			await page.close()
		}
	})

	it('keeps the join overlay’s QR code and its quiet zone clear of every panel', async () => {
		const client = api(server.baseUrl)
		const room = await client.createRoom('activiteitenmatrix', { title: 'QR' })
		const page = await openBoard(await user(), server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
			name: 'Begeleider',
		})
		await page.getByTestId('facilitator-panel').waitFor()
		await page.getByTestId('toggle-ranking').click()
		await page.locator('.kb-ranking').waitFor()
		await page.getByTestId('join-button').click()
		const qr = page.locator('[data-testid="join-overlay"] svg[data-join-url]')
		await qr.waitFor()
		// The svg holds the code and its quiet zone of four modules (the white square it draws first).
		const check = await qr.evaluate((svg) => {
			const r = svg.getBoundingClientRect()
			const [vx, vy, vw] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number)
			const quietModules = -vx
			const points: [number, number][] = []
			for (const fx of [0, 0.25, 0.5, 0.75, 1]) {
				for (const fy of [0, 0.25, 0.5, 0.75, 1]) {
					if (fx !== 0 && fx !== 1 && fy !== 0 && fy !== 1) continue
					points.push([r.x + 1 + fx * (r.width - 2), r.y + 1 + fy * (r.height - 2)])
				}
			}
			const covered = points
				.map(([x, y]) => {
					const hit = document.elementFromPoint(x, y)
					return hit && (hit === svg || svg.contains(hit))
						? null
						: `${Math.round(x)},${Math.round(y)}: ${hit?.tagName}.${hit?.className}`
				})
				.filter(Boolean)
			return { covered, quietModules, vy, vw, width: r.width }
		})
		expect(check.covered).toEqual([])
		expect(check.quietModules).toBeGreaterThanOrEqual(4)
		expect(check.width).toBeGreaterThan(400)
		await page.screenshot({ path: path.join(screenshotDir, 'join-overlay-projector.png') })
	})

	it('fits every template beside the facilitator’s panels at zoom-to-fit', {
		timeout: EVERY_TEMPLATE_TIMEOUT,
	}, async () => {
		const client = api(server.baseUrl)
		const templates = await client.templates()
		expect(templates.length).toBeGreaterThanOrEqual(5)
		const context = await user()
		for (const template of templates) {
			const room = await client.createRoom(template.id, { title: template.id })
			const page = await openBoard(context, server.baseUrl, room.roomId, {
				suffix: `#key=${room.facilitatorKey}`,
				name: 'Begeleider',
			})
			await page.getByTestId('facilitator-panel').waitFor()
			for (const step of ['first view', 'ranking open, zoom to fit'] as const) {
				if (step !== 'first view') {
					await page.getByTestId('toggle-ranking').click()
					await page.locator('.kb-ranking').waitFor()
					await page.keyboard.press('Shift+1')
				}
				await cameraSettled(page)
				const { frames, panels } = await framesAndPanels(page)
				expect(frames.length, template.id).toBeGreaterThan(0)
				expect(panels.some((p) => p.name.includes('kb-session-panel'))).toBe(true)
				for (const frame of frames) {
					for (const panel of panels) {
						expect(overlaps(frame, panel), `${template.id}, ${step}: zone ${frame.zoneId} under ${panel.name}`).toBe(
							false
						)
					}
				}
			}
			await page.close()
		}
	})
})
