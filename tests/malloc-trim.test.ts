import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureServerBuild } from '../scripts/build-server.mjs'
import { api, type ApiClient } from './support/api'
import { startServerProcess, type ServerProcess } from './support/server-process'
import { waitFor } from './support/wait-for'
import { connectYClient } from './support/y-client'

/** How many times the server's debug log says malloc_trim ran for `reason` (server/src/memory/malloc-trim.ts). */
function trims(server: ServerProcess, reason: 'full-gc' | 'rooms-unloaded'): number {
	return server
		.output()
		.split('\n')
		.filter((line) => line.includes('"msg":"malloc_trim') && line.includes(`"reason":"${reason}"`)).length
}

/**
 * The server as shipped (the bundle, as `npm start` runs it) loads the malloc_trim addon and hands glibc's free
 * memory back when its last room unloads (and after full GCs: server/src/memory/malloc-trim.test.ts). (The RSS it saves is measured, not tested: it
 * depends on the machine's load and glibc.)
 */
describe('malloc_trim in the bundled server', () => {
	let server: ServerProcess
	let http: ApiClient

	beforeAll(async () => {
		await ensureServerBuild()
		server = await startServerProcess({ bundle: true, env: { LOG_LEVEL: 'debug', ROOM_IDLE_MS: '100' } })
		http = api(server.baseUrl)
	})
	afterAll(async () => {
		await server?.stop()
	})

	it('runs when the last loaded room unloads, not before', async () => {
		const room = await http.createRoom('veranderverhaal', { title: 'Trim' })
		const y = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await y.waitForSync()
		expect(trims(server, 'rooms-unloaded')).toBe(0)
		y.destroy()
		await waitFor(() => trims(server, 'rooms-unloaded') > 0, { message: 'malloc_trim after the room unloaded' })
		expect(server.output()).not.toContain('malloc_trim addon not loaded')
	})
})
