import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureServerBuild } from '../scripts/build-server.mjs'
import { api, type ApiClient } from './support/api'
import { startServerProcess, type ServerProcess } from './support/server-process'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

const NOTES = 50
/** One index digit per note: `a0`…`aN` sort in the notes' order (`a10` would be refused: a fraction may not end in 0). */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

function note(i: number) {
	return noteShapeRecord({
		id: `shape:logged-${i}`,
		parentId: PAGE_ID,
		index: `a${DIGITS[i]}`,
		x: i * 10,
		y: 0,
		text: `Notitie ${i}`,
	})
}

/**
 * The server as shipped (the bundle, as `npm start` runs it) writes its update log through our addon
 * (server/native/log-record-write; its bytes and errors: server/src/store/log-record-write.test.ts), and what it
 * so logged is there after a crash: every note another client received before a kill -9.
 */
describe('the update log in the bundled server', () => {
	let server: ServerProcess
	let http: ApiClient
	const clients: YClient[] = []

	beforeAll(async () => {
		await ensureServerBuild()
		server = await startServerProcess({ bundle: true, env: { LOG_LEVEL: 'debug' } })
		http = api(server.baseUrl)
	})
	afterAll(async () => {
		for (const client of clients) client.destroy()
		await server?.stop()
	})

	it('writes its records through the addon, and keeps every received update across kill -9', async () => {
		const line = server
			.output()
			.split('\n')
			.find((l) => l.includes('"msg":"update log records written"'))
		expect(line).toContain('"writer":"native"')

		const room = await http.createRoom('blanco', { title: 'Log' })
		const writer = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		const reader = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(writer, reader)
		await Promise.all([writer.waitForSync(), reader.waitForSync()])
		const records = writer.doc.getMap(RECORDS_MAP)
		for (let i = 0; i < NOTES; i++) records.set(`shape:logged-${i}`, note(i))
		const received = reader.doc.getMap(RECORDS_MAP)
		await waitFor(() => received.has(`shape:logged-${NOTES - 1}`), { message: 'the reader received every note' })

		expect((await server.kill9()).signal).toBe('SIGKILL')
		writer.destroy()
		reader.destroy()
		await server.restart()
		const after = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(after)
		await after.waitForSync()
		const kept = after.doc.getMap(RECORDS_MAP)
		for (let i = 0; i < NOTES; i++) expect(kept.get(`shape:logged-${i}`)).toEqual(note(i))
	})
})
