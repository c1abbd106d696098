import { afterEach, describe, expect, it } from 'vitest'
import { CLOSE_STORE_FAILED, RECORDS_MAP } from '@kompasbord/shared'
import type { SqliteRoomStore } from '../../server/src/store/sqlite-room-store'
import { api } from '../support/api'
import { startServerInProcess, type InProcessServer } from '../support/server-in-process'
import { makeTempDir, removeTempDir } from '../support/temp-dir'
import { waitFor } from '../support/wait-for'
import { connectYClient, type YClient } from '../support/y-client'
import { writeNotes } from './board-writes'

let cleanups: (() => unknown)[] = []
afterEach(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
	cleanups = []
})

function sqlite(server: InProcessServer): SqliteRoomStore {
	return server.app.store as unknown as SqliteRoomStore
}

function recordIds(y: YClient): string[] {
	return [...y.doc.getMap(RECORDS_MAP).keys()].sort()
}

/**
 * Issue 11: with a full disk a commit failed, the update stayed in the server's doc, the boards reconnected to
 * that doc and did not send it again — after a reload that change, and a later one of the same client that
 * another board had seen, were gone for good. Simulated deterministically: `PRAGMA max_page_count` at the
 * database's size on both connections (the store's test-only hook), so any write that needs a new page fails
 * with SQLITE_FULL.
 */
describe('disk full: a failed commit loses nothing that was acknowledged', () => {
	it('A writes while the disk is full: B never sees it unstored; once space returns it is stored, reaches B, and survives a restart', async () => {
		const dataDir = await makeTempDir('kompasbord-disk-full-')
		cleanups.push(() => removeTempDir(dataDir))
		let server = await startServerInProcess({ dataDir })
		cleanups.push(() => server.close())
		const http = api(server.baseUrl)
		const room = await http.createRoom('blanco', { title: 'volle schijf' })
		const connect = () => {
			const y = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey }, { maxBackoffTime: 200 })
			cleanups.push(() => y.destroy())
			return y
		}
		// The phone joined before the disk fills (joining writes nothing).
		const phone = (await http.joinRoom(room.joinCode)).participantToken
		const a = connect()
		const b = connect()
		await Promise.all([a.waitForSync(), b.waitForSync()])
		const [first] = writeNotes(a.doc, 1, 100, 'voor')
		await waitFor(() => b.doc.getMap(RECORDS_MAP).has(first))

		// Everything B ever received; a change of A that B gets before it is stored would show up here.
		const seenByB = new Set<string>()
		const full = { on: false, seenWhileFull: [] as string[] }
		b.doc.getMap(RECORDS_MAP).observe((event) => {
			for (const key of event.keysChanged) {
				seenByB.add(key)
				if (full.on) full.seenWhileFull.push(key)
			}
		})
		const closes: number[] = []
		a.provider.on('connection-close', (event) => {
			if (event) closes.push(event.code)
		})

		const { freePages } = await sqlite(server).simulateDiskFullForTesting(true)
		full.on = true
		// Precondition of the simulation: no free page for the note below (its text needs overflow pages).
		expect(freePages).toBe(0)
		const [lost] = writeNotes(a.doc, 1, 12_000, 'tijdens')
		// The commit fails: the room is reloaded from the store and A is told to reconnect (4503), again and again
		// while the disk stays full.
		await waitFor(() => closes.filter((code) => code === CLOSE_STORE_FAILED).length >= 2)
		const health = await http.request<{ status: string; checks: Record<string, { ok: boolean; error?: string }> }>(
			'GET',
			'/api/health'
		)
		expect(health.status).toBe(503)
		expect(health.body.status).toBe('failing')
		// SQLite's SQLITE_FULL, or the update log's ENOSPC when the change did not fit in the log's space either.
		expect(JSON.stringify(health.body.checks)).toMatch(/SQLITE_FULL|ENOSPC/)
		// A REST write that needs space answers 503 with a clear error.
		const refused = await http.request<{ error: { code: string; message: string } }>('POST', '/api/rooms', {
			body: { templateId: 'activiteitenmatrix', title: 'nog een', columns: 4 },
		})
		expect(refused.status).toBe(503)
		expect(refused.body.error.code).toBe('store_unavailable')
		expect(b.doc.getMap(RECORDS_MAP).has(lost)).toBe(false)
		// A phone note while the disk is full: stored (201) if it fits in the space left, else refused with 503;
		// either way the phone's retry with the same clientNoteId places it once space returns.
		const phoneNote = {
			zoneId: 'notities',
			text: 'Genoteerd op de telefoon',
			clientNoteId: 'note-disk-full-1',
		}
		const duringFull = await http.request<{ error?: { code: string } }>('POST', `/api/rooms/${room.roomId}/notes`, {
			body: phoneNote,
			token: phone,
		})
		expect([201, 503]).toContain(duringFull.status)
		if (duringFull.status === 503) expect(duringFull.body.error?.code).toBe('store_unavailable')

		await sqlite(server).simulateDiskFullForTesting(false)
		full.on = false
		// A's reconnect re-sends the change the store lacks; it is stored and only then reaches B.
		await waitFor(() => b.doc.getMap(RECORDS_MAP).has(lost), { timeout: 15_000, message: 'the lost note at B' })
		// B got nothing of A's before it was stored (a stored phone note may have reached it meanwhile).
		expect(full.seenWhileFull).not.toContain(lost)
		const healthy = await http.request('GET', '/api/health')
		expect(healthy.status).toBe(200)
		const { noteId: phoneNoteId } = await http.postNote(room.roomId, phoneNote, phone)
		await waitFor(() => b.doc.getMap(RECORDS_MAP).has(phoneNoteId))

		// A later change of A, seen by B.
		await a.waitForSync()
		const [later] = writeNotes(a.doc, 1, 100, 'na')
		await waitFor(() => b.doc.getMap(RECORDS_MAP).has(later))
		const bSaw = recordIds(b)
		expect(bSaw).toEqual(expect.arrayContaining([first, lost, later, phoneNoteId]))

		// Nothing B saw is lost after a restart.
		a.destroy()
		b.destroy()
		await server.close()
		server = await startServerInProcess({ dataDir })
		cleanups.push(() => server.close())
		const fresh = connect()
		await fresh.waitForSync()
		expect(recordIds(fresh)).toEqual(bSaw)
		for (const id of seenByB) expect(fresh.doc.getMap(RECORDS_MAP).has(id), id).toBe(true)
	}, 60_000)
})
