import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api } from '../support/api'
import { launchBrowser, newUserContext, type UserContext } from '../support/browser'
import { startServerProcess, type ServerProcess } from '../support/server-process'

/**
 * Issue 15, must-have 4: the phone page starts in the room's language — an English board gets an English phone
 * page even on a phone that prefers Dutch — and the language switch works as before.
 */
describe('the phone page language', () => {
	let server: ServerProcess
	let browser: Browser
	const users: UserContext[] = []

	beforeAll(async () => {
		server = await startServerProcess()
		browser = await launchBrowser()
	})

	afterAll(async () => {
		for (const user of users) await user.close().catch(() => {})
		await browser?.close()
		await server?.stop()
	})

	it('starts in the language of the board, and switches on request', async () => {
		const client = api(server.baseUrl)
		const english = await client.createRoom('dos-en-donts', { title: 'Workshop', locale: 'en' })
		const dutch = await client.createRoom('dos-en-donts', { title: 'Werksessie' })
		const user = await newUserContext(browser, {
			serverUrl: server.baseUrl,
			locale: 'nl-NL',
			viewport: { width: 390, height: 844 },
		})
		users.push(user)
		const phone = await user.newPage()

		await phone.goto(`${server.baseUrl}/j/${english.joinCode}`)
		await phone.getByRole('button', { name: 'Dos' }).waitFor()
		expect(await phone.evaluate(() => document.documentElement.lang)).toBe('en')
		expect(await phone.locator('button.lang').textContent()).toBe('Nederlands')

		// The switch: Dutch from now on on this page.
		await phone.locator('button.lang').click()
		await phone.getByRole('button', { name: "Do's" }).waitFor()
		expect(await phone.evaluate(() => document.documentElement.lang)).toBe('nl')

		// A Dutch board on the same phone is Dutch.
		await phone.goto(`${server.baseUrl}/j/${dutch.joinCode}`)
		await phone.getByRole('button', { name: "Do's" }).waitFor()
		expect(await phone.evaluate(() => document.documentElement.lang)).toBe('nl')
		expect(user.foreignRequests()).toEqual([])
	})
})
