import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type CreatedRoom } from '../support/api'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'

function phoneNote(phone: Page, text: string) {
	return phone.locator('ul.notes > li', { has: phone.locator('.note-text', { hasText: text }) })
}

describe('installable phone page', () => {
	let server: ServerProcess
	let browser: Browser
	let room: CreatedRoom
	let phoneUser: UserContext

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
		room = await api(server.baseUrl).createRoom('dos-en-donts', { title: 'Avond in de bibliotheek' })
		phoneUser = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			viewport: { width: 390, height: 844 },
			isMobile: true,
			hasTouch: true,
		})
	})

	afterAll(async () => {
		await phoneUser?.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('has a web app manifest with icons', async () => {
		const page = await phoneUser.newPage()
		await page.goto(`${server.baseUrl}/j/${room.roomId}`)
		const href = await page.locator('link[rel="manifest"]').getAttribute('href')
		const manifest = (await (await fetch(`${server.baseUrl}${href}`)).json()) as {
			start_url: string
			scope: string
			display: string
			icons: { src: string; sizes: string; purpose: string }[]
		}
		expect(manifest).toMatchObject({ start_url: '/j', scope: '/j', display: 'standalone' })
		expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
		expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true)
		for (const icon of manifest.icons) {
			const res = await fetch(`${server.baseUrl}${icon.src}`)
			expect(res.headers.get('content-type')).toBe('image/png')
			const bytes = Buffer.from(await res.arrayBuffer())
			expect(bytes.subarray(1, 4).toString()).toBe('PNG')
			expect(bytes.readUInt32BE(16)).toBe(Number(icon.sizes.split('x')[0]))
		}
		await page.close()
	})

	it('reloads while offline and still shows the room and its waiting note, which is sent once back online', async () => {
		const phone = await phoneUser.newPage()
		await phone.goto(`${server.baseUrl}/j/${room.joinCode}`)
		await phone.getByRole('heading', { name: 'Avond in de bibliotheek' }).waitFor()
		// The service worker takes over the page; one online reload lets it see the room's answer.
		await phone.evaluate(async () => {
			await navigator.serviceWorker.ready
		})
		await waitFor(() => phone.evaluate(() => navigator.serviceWorker.controller !== null), {
			message: 'the service worker to control the page',
		})
		await phone.reload()
		await phone.getByRole('heading', { name: 'Avond in de bibliotheek' }).waitFor()

		await phoneUser.context.setOffline(true)
		const text = 'Geschreven in de kelder zonder bereik'
		await phone.getByRole('button', { name: /^Do's/ }).tap()
		await phone.getByRole('textbox', { name: 'Je notitie' }).fill(text)
		await phone.getByRole('button', { name: 'Versturen' }).tap()
		await phoneNote(phone, text).getByText('Wacht op verbinding').waitFor()

		// Reload with no network at all: the page, the room and the waiting note are still there.
		await phone.reload()
		await phone.getByRole('heading', { name: 'Avond in de bibliotheek' }).waitFor()
		await phoneNote(phone, text).getByText('Wacht op verbinding').waitFor()
		await phone.getByText('Geen verbinding. 1 notitie wacht').waitFor()
		// The room's zones come from the cached answer: the composer works offline too.
		await phone.getByRole('button', { name: /^Do's/ }).tap()
		expect(await phone.getByRole('textbox', { name: 'Je notitie' }).isVisible()).toBe(true)

		await phoneUser.context.setOffline(false)
		await phoneNote(phone, text).getByText('Op het bord').waitFor({ timeout: 20_000 })
		const token = await phone.evaluate((id) => localStorage.getItem(`kompasbord.participantToken.${id}`), room.roomId)
		const listed = await api(server.baseUrl).request<{ notes: { text: string }[] }>(
			'GET',
			`/api/rooms/${room.roomId}/notes`,
			{ token: token ?? '' }
		)
		expect(listed.body.notes.filter((n) => n.text === text)).toHaveLength(1)
		expect(phoneUser.foreignRequests()).toEqual([])
	})
})
