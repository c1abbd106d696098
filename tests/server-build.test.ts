import { readFileSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import { resolveZones } from '@kompasbord/templates'
import { ensureServerBuild, serverBundle, serverDist } from '../scripts/build-server.mjs'
import { serverLaunch } from '../scripts/server-launch.mjs'
import { api, type ApiClient, type CreatedRoom } from './support/api'
import { startServerProcess, type ServerProcess } from './support/server-process'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

/**
 * The server as shipped: the esbuild bundle (scripts/build-server.mjs) started as `npm start` starts it
 * (scripts/server-launch.mjs), through the public HTTP and websocket contract, including what the bundle has
 * to get right: the inlined templates, the commit thread's script beside the bundle, the lazily loaded
 * exporters.
 */
describe('server bundle', () => {
	let server: ServerProcess
	let http: ApiClient
	let room: CreatedRoom
	let y: YClient | undefined

	beforeAll(async () => {
		await ensureServerBuild()
		server = await startServerProcess({ bundle: true })
		http = api(server.baseUrl)
	})
	afterAll(async () => {
		y?.destroy()
		await server?.stop()
	})

	it('keeps the Word exporter (and docx) out of the start-up: it is a chunk loaded on first use', async () => {
		const bundle = readFileSync(serverBundle, 'utf8')
		expect(bundle).not.toMatch(/from\s*["']docx["']/)
		const chunk = /import\(["']\.\/(chunks\/render-docx-[\w-]+\.mjs)["']\)/.exec(bundle)
		expect(chunk, 'a lazy import of the render-docx chunk').not.toBeNull()
		expect(await readdir(path.join(serverDist, 'chunks'))).toContain(path.basename(chunk![1]))
	})

	it('runs on plain node with MALLOC_ARENA_MAX=2 unless the operator set it', () => {
		const launch = serverLaunch({ env: { PORT: '0' } })
		expect(launch.command).toBe(process.execPath)
		expect(launch.args).toEqual(['--enable-source-maps', serverBundle])
		expect(launch.env).toEqual({ PORT: '0', MALLOC_ARENA_MAX: '2' })
		expect(serverLaunch({ env: { MALLOC_ARENA_MAX: '4' } }).env.MALLOC_ARENA_MAX).toBe('4')
		if (process.platform === 'linux') {
			const environ = readFileSync(`/proc/${server.process.pid}/environ`, 'utf8').split('\0')
			expect(environ).toContain('MALLOC_ARENA_MAX=2')
		}
	})

	it('creates a room from a template and syncs its records to a y-websocket client', async () => {
		room = await http.createRoom('veranderverhaal', { title: 'Bundel' })
		y = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await y.waitForSync()
		const records = y.doc.getMap(RECORDS_MAP)
		const zones = resolveZones('veranderverhaal')!
		expect(zones.length).toBeGreaterThan(0)
		for (const zone of zones) expect(records.has(zoneFrameId(zone.id)), zone.id).toBe(true)
	})

	it('places a phone note (committed by the commit thread) and exports it as Markdown and Word', async () => {
		const text = 'Gebundeld en verscheept'
		const phone = await http.joinRoom(room.joinCode)
		const posted = await http.postNote(
			room.roomId,
			{ zoneId: 'doel', text, clientNoteId: 'note-bundle-0001' },
			phone.participantToken
		)
		expect(posted.status).toBe('placed')
		await waitFor(() => y!.doc.getMap(RECORDS_MAP).has(posted.noteId), { message: 'the note in the client doc' })

		const markdown = await (await http.exportRoom(room.roomId, room.facilitatorKey, 'md')).text()
		expect(markdown).toContain(text)

		const word = await http.exportRoom(room.roomId, room.facilitatorKey, 'docx')
		expect(word.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		)
		const zip = await JSZip.loadAsync(await word.arrayBuffer())
		expect(await zip.file('word/document.xml')!.async('string')).toContain(text)
	})

	it('stops cleanly on SIGTERM', async () => {
		y?.destroy()
		y = undefined
		expect(await server.stop()).toEqual({ code: 0, signal: null })
	})
})
