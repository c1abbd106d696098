/**
 * Themes in the browser (issue 18): the facilitator asks "Groepen voorstellen" for a zone, renames a proposal
 * and groups it; the theme's frame appears on the board with its notes inside, on the facilitator's board and on
 * a participant's. Once the facilitator lets participants group, a laptop participant groups notes too, and gives a
 * dot to a theme as one item. Screenshots: docs/screenshots/themes.png, themes-participant.png.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient } from '../support/api'
import { boardShapes, openBoard, waitForNote } from '../support/board-page'
import { launchBrowser, newUserContext, PHONE_DEVICE, type UserContext } from '../support/browser'
import { screenshotDir } from '../support/paths'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { participantToken } from '../session-helpers'

const NOTES = [
	'Ouders vroeg betrekken bij de aanpak',
	'Voorlichting voor ouders van jonge kinderen',
	'Ouders helpen het gesprek thuis te voeren',
	'meldingen sneller doorzetten naar Veilig Thuis',
	'Een meldpunt waar jongeren anoniem kunnen melden',
	'signalen van leerkrachten sneller melden',
	'Budget voor drie jaar',
]

describe('themes on the board', () => {
	let server: ServerProcess
	let browser: Browser
	let client: ApiClient
	const users: UserContext[] = []

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		client = api(server.baseUrl)
		mkdirSync(screenshotDir, { recursive: true })
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('groups proposed notes into a named theme that both boards show as one frame', async () => {
		const room = await client.createRoom('dos-en-donts', { title: 'Thema-test' })
		for (const [i, text] of NOTES.entries()) {
			await client.postNote(
				room.roomId,
				{ zoneId: 'dos', text, clientNoteId: `theme-note-${i}` },
				await participantToken(client, room, 'participant-themes')
			)
		}
		const facilitatorUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1600, height: 1000 },
		})
		users.push(facilitatorUser)
		const facilitator = await openBoard(facilitatorUser, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
		})
		await waitForNote(facilitator, NOTES[6])

		const section = facilitator.getByTestId('themes-section')
		await section.getByTestId('themes-zone').selectOption('dos')
		await section.getByTestId('themes-suggest').click()
		const proposals = section.getByTestId('themes-proposals')
		await proposals.waitFor()
		const ouders = proposals.locator('> li', { hasText: NOTES[0] })
		await ouders.getByRole('textbox').fill('Betrek de ouders')
		await ouders.getByTestId('themes-accept').click()
		await section.getByTestId('themes-message').getByText('Thema "Betrek de ouders" staat op het bord.').waitFor()

		const theme = await waitFor(
			async () =>
				(await boardShapes(facilitator)).find(
					(s) => s.type === 'frame' && (s.meta as { kind?: string }).kind === 'theme'
				) ?? null,
			{ message: 'the theme frame on the board' }
		)
		const shapes = await boardShapes(facilitator)
		for (const text of NOTES.slice(0, 3)) expect(shapes.find((s) => s.text === text)?.parentId).toBe(theme.id)
		expect(shapes.find((s) => s.text === NOTES[6])?.parentId).not.toBe(theme.id)
		await facilitator.screenshot({ path: path.join(screenshotDir, 'themes.png') })

		const participantUser = await newUserContext(browser, { serverUrl: server.baseUrl })
		users.push(participantUser)
		const participant = await openBoard(participantUser, server.baseUrl, room.roomId, { joinCode: room.joinCode })
		await waitFor(async () => (await boardShapes(participant)).some((s) => s.id === theme.id), {
			message: "the theme on a participant's board",
		})
		expect(facilitatorUser.pageErrors()).toEqual([])
	})

	it('lets a participant group notes once the facilitator allows it, and take a dot on the theme', async () => {
		const room = await client.createRoom('dos-en-donts', { title: 'Thema-test deelnemers' })
		const ids: string[] = []
		for (const [i, text] of NOTES.entries()) {
			const posted = await client.postNote(
				room.roomId,
				{ zoneId: 'dos', text, clientNoteId: `participant-theme-note-${i}` },
				await participantToken(client, room, 'participant-themes-writer')
			)
			ids.push(posted.noteId)
		}
		const facilitatorUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1600, height: 1000 },
		})
		users.push(facilitatorUser)
		const facilitator = await openBoard(facilitatorUser, server.baseUrl, room.roomId, {
			suffix: `#key=${room.facilitatorKey}`,
		})
		const participantUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 1400, height: 900 },
		})
		users.push(participantUser)
		const participant = await openBoard(participantUser, server.baseUrl, room.roomId, { joinCode: room.joinCode })
		await waitForNote(participant, NOTES[3])
		const select = (shapeIds: string[]) =>
			participant.evaluate((list) => {
				const editor = (window as unknown as { __kompasbord: { editor: { select(...ids: string[]): void } } })
					.__kompasbord.editor
				editor.select(...list)
			}, shapeIds)

		// Not allowed yet: selecting notes offers nothing.
		await select(ids.slice(3, 5))
		expect(await participant.getByTestId('participant-themes').count()).toBe(0)

		// The box shows the session map's value: it is ticked once the server wrote it.
		await facilitator.getByTestId('themes-participants').click()
		await facilitator.locator('[data-testid="themes-participants"]:checked').waitFor()
		const panel = participant.getByTestId('participant-themes')
		await panel.waitFor()
		await panel.getByTestId('participant-theme-label').fill('Melden')
		await panel.getByTestId('participant-group').click()
		const theme = await waitFor(
			async () =>
				(await boardShapes(facilitator)).find(
					(s) => s.type === 'frame' && (s.meta as { kind?: string }).kind === 'theme'
				) ?? null,
			{ message: "the participant's theme on the facilitator's board" }
		)
		const shapes = await boardShapes(facilitator)
		for (const id of ids.slice(3, 5)) expect(shapes.find((s) => s.id === id)?.parentId).toBe(theme.id)

		// A dot on the theme itself, as one item.
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		await select([theme.id])
		const badge = participant.locator(`[data-testid="vote-badge"][data-note-id="${theme.id}"]`)
		await badge.getByTestId('vote-add').click()
		await participant.locator(`[data-testid="vote-badge"][data-note-id="${theme.id}"][data-votes="1"]`).waitFor()
		await facilitator.locator(`[data-testid="vote-badge"][data-note-id="${theme.id}"][data-votes="1"]`).waitFor()
		// The ranking lists the theme as one item with its dot.
		await participant
			.locator(`[data-testid="ranking-theme"][data-theme-id="${theme.id}"][data-votes="1"][data-rank="1"]`)
			.waitFor()
		await participant.screenshot({ path: path.join(screenshotDir, 'themes-participant.png') })

		// A phone lists the theme first in its zone and gives it a dot too.
		const phoneUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			...PHONE_DEVICE,
		})
		users.push(phoneUser)
		const phone = await phoneUser.newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.waitForURL(`**/j/${room.roomId}`)
		const item = phone.locator(`.vote-themes li[data-note-id="${theme.id}"]`)
		await item.getByText('Thema: Melden (2 notities)').waitFor()
		await item.getByRole('button', { name: /^Stip geven aan: Thema: Melden/ }).tap()
		await phone.locator(`.vote-themes li[data-note-id="${theme.id}"][data-votes="2"][data-mine="1"]`).waitFor()
		await phone.screenshot({ path: path.join(screenshotDir, 'phone-vote-theme.png'), fullPage: true })
		await facilitator.locator(`[data-testid="vote-badge"][data-note-id="${theme.id}"][data-votes="2"]`).waitFor()

		// The list view (screen readers, keyboard) lists the theme and takes a dot on it as well.
		const list = await participantUser.newPage()
		await list.goto(`${server.baseUrl}/b/${room.roomId}/lijst`)
		const listed = list.getByTestId('list-themes').locator(`[data-note-id="${theme.id}"]`)
		await listed.getByText('Thema: Melden (2 notities)').waitFor()
		await listed.getByRole('button', { name: 'Stip geven aan: Thema: Melden (2 notities)' }).click()
		await facilitator.locator(`[data-testid="vote-badge"][data-note-id="${theme.id}"][data-votes="3"]`).waitFor()
		expect(participantUser.pageErrors().filter((e) => !e.includes('Failed to load resource'))).toEqual([])
	})
})
