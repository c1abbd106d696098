import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, type ApiClient } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'

/** Issue 15, must-have 4: a room says which language its board is written in, so the phone page starts in it. */
describe('the language of a room', () => {
	let server: InProcessServer
	let client: ApiClient

	beforeAll(async () => {
		server = await startServerInProcess()
		client = api(server.baseUrl)
	})

	afterAll(async () => {
		await server?.close()
	})

	it('is the locale the board was made in, Dutch unless asked otherwise', async () => {
		const english = await client.createRoom('dos-en-donts', { title: 'In English', locale: 'en' })
		const dutch = await client.createRoom('dos-en-donts', { title: 'In het Nederlands' })
		expect((await client.getRoom(english.roomId)).locale).toBe('en')
		expect((await client.getRoom(dutch.roomId)).locale).toBe('nl')
	})
})
