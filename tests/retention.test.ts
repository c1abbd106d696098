import { afterEach, describe, expect, it } from 'vitest'
import { SqliteRoomStore } from '../server/src/store/sqlite-room-store'
import { api } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

const servers: InProcessServer[] = []
const clients: YClient[] = []
const dirs: string[] = []

afterEach(async () => {
	for (const y of clients.splice(0)) y.destroy()
	for (const s of servers.splice(0)) await s.close()
	for (const d of dirs.splice(0)) await removeTempDir(d)
})

async function start(env: Record<string, string>, dataDir?: string): Promise<InProcessServer> {
	const server = await startServerInProcess({ env, dataDir })
	servers.push(server)
	return server
}

describe('RETENTION', () => {
	it('deletes a room no one used for longer than RETENTION, but not one in use until it is left', async () => {
		const server = await start({ RETENTION: '2s', PURGE_INTERVAL: '200ms', ROOM_IDLE_MS: '100' })
		const client = api(server.baseUrl)
		// Taken before the request: the server stamps the room somewhere inside it, so this is at or before that.
		const idleCreated = Date.now()
		const idle = await client.createRoom('blanco', { title: 'Niemand' })
		const busy = await client.createRoom('blanco', { title: 'In gebruik' })
		const board = connectYClient(server.wsUrl, busy.roomId, { key: busy.facilitatorKey })
		clients.push(board)
		await board.waitForSync()

		// Asked of the store: a GET of the room would be activity and keep it.
		const gone = (roomId: string) => async () => (await server.app.store.getRoom(roomId)) === null
		await waitFor(gone(idle.roomId), {
			timeout: 15_000,
			message: 'the idle room to be purged',
		})
		expect(Date.now() - idleCreated).toBeGreaterThanOrEqual(2000)
		// The busy room expires too, but the purge leaves it while it is in use.
		await waitFor(() => server.app.retention?.last?.skipped.includes(busy.roomId), {
			timeout: 15_000,
			message: 'a purge to find the busy room expired and leave it',
		})
		// The board is still connected: its room stays, however old it is.
		expect((await server.app.store.getRoom(busy.roomId))?.title).toBe('In gebruik')

		board.destroy()
		const left = Date.now()
		await waitFor(gone(busy.roomId), {
			timeout: 15_000,
			message: 'the room to be purged once left',
		})
		expect(Date.now() - left).toBeGreaterThanOrEqual(1900)
		expect((await client.request('GET', `/api/rooms/${busy.roomId}`)).status).toBe(404)
		expect((await client.request('GET', `/api/join/${busy.joinCode}`)).status).toBe(404)
	})

	it('purges at start, before the first request, rooms closed or unused longer than RETENTION; off keeps all', async () => {
		const dataDir = await makeTempDir('kompasbord-retention-')
		dirs.push(dataDir)
		const first = await start({ RETENTION: 'off' }, dataDir)
		const client = api(first.baseUrl)
		const old = await client.createRoom('blanco', { title: 'Oud' })
		const closed = await client.createRoom('blanco', { title: 'Gesloten' })
		const fresh = await client.createRoom('blanco', { title: 'Vers' })
		await client.patchSession(closed.roomId, closed.facilitatorKey, { phase: 'closed' })
		await first.close()
		servers.splice(servers.indexOf(first), 1)
		// Age the rooms as if time had passed: 'old' unused for an hour, 'closed' closed an hour ago but used now.
		const store = new SqliteRoomStore(dataDir)
		const db = store.db
		const hourAgo = Date.now() - 3_600_000
		db.prepare('UPDATE rooms SET created_at = ?, last_activity_at = ? WHERE room_id = ?').run(
			hourAgo,
			hourAgo,
			old.roomId
		)
		db.prepare('UPDATE rooms SET closed_at = ?, last_activity_at = ? WHERE room_id = ?').run(
			hourAgo,
			Date.now(),
			closed.roomId
		)
		await store.close()

		const kept = await start({ RETENTION: '0' }, dataDir)
		expect(kept.app.retention).toBeNull()
		// Asked of the store: a GET of the room would count as activity.
		for (const room of [old, closed, fresh])
			expect((await kept.app.store.getRoom(room.roomId))?.roomId).toBe(room.roomId)
		await kept.close()
		servers.splice(servers.indexOf(kept), 1)

		const purging = await start({ RETENTION: '30m' }, dataDir)
		expect(purging.app.retention?.last?.removed.sort()).toEqual([old.roomId, closed.roomId].sort())
		const after = api(purging.baseUrl)
		expect((await after.request('GET', `/api/rooms/${old.roomId}`)).status).toBe(404)
		expect((await after.request('GET', `/api/rooms/${closed.roomId}`)).status).toBe(404)
		expect((await after.getRoom(fresh.roomId)).title).toBe('Vers')
	})

	it('refuses a malformed RETENTION', async () => {
		await expect(startServerInProcess({ env: { RETENTION: '90 days' } })).rejects.toThrow(
			/RETENTION must be a duration/
		)
	})
})
