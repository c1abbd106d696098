/**
 * `npm run copy-rooms`: SQLite → PostgreSQL → SQLite keeps every board identical (record, doc, note ledger,
 * votes, hidden notes), copying again changes nothing, and a server on the copy serves the rooms.
 */
import { spawn } from 'node:child_process'
import { cp, readFile, symlink, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { copyRoomsBundle, ensureServerBuild, serverDist } from '../scripts/build-server.mjs'
import { openStore } from '../server/src/copy-rooms'
import type { RoomStore } from '../server/src/store/room-store'
import { createTestDatabase, postgresUnavailable } from '../server/src/store/pg-test-database'
import { participantToken } from './session-helpers'
import { api } from './support/api'
import { repoRoot } from './support/paths'
import { startServerInProcess } from './support/server-in-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'

const missing = await postgresUnavailable()
const required = process.env.CI === 'true'
if (missing && !required) console.warn(`[kompasbord] copy-rooms tests skipped: ${missing}`)

/** Runs `npm run copy-rooms -- <args>`; resolves with its exit code and output. */
function copyRoomsCli(args: string[]): Promise<{ code: number | null; output: string }> {
	return run(process.execPath, ['--import', 'tsx', 'server/src/copy-rooms-cli.ts', ...args], repoRoot)
}

/** Runs a command; resolves with its exit code and output (stdout and stderr). */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
	return new Promise((resolve) => {
		const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
		let output = ''
		child.stdout.on('data', (d) => {
			output += d
		})
		child.stderr.on('data', (d) => {
			output += d
		})
		child.on('close', (code) => resolve({ code, output }))
	})
}

/** Everything of a room a copy must keep, in a comparable form. */
async function roomContent(store: RoomStore, roomId: string) {
	const doc = new Y.Doc()
	for (const update of (await store.loadUpdates(roomId)).updates) Y.applyUpdate(doc, update)
	const notes = []
	for (const status of ['pending', 'placed', 'held', 'deleted'] as const) {
		notes.push(...(await store.listNotesByStatus(roomId, status)))
	}
	return {
		record: await store.getRoom(roomId),
		doc: doc.toJSON(),
		notes: notes.sort((a, b) => a.noteId.localeCompare(b.noteId)),
		votes: await store.listVoteAllocations(roomId),
		hidden: await store.listHiddenNotes(roomId),
		scores: await store.listScores(roomId),
		retired: (await store.listRetiredClients(roomId)).sort((a, b) => a - b),
	}
}

describe.skipIf(missing !== null && !required)(`copy-rooms${missing ? ` (${missing})` : ''}`, () => {
	if (missing) {
		it('PostgreSQL is reachable (required when CI=true)', () => {
			throw new Error(missing)
		})
		return
	}
	let source: string
	let back: string
	let database: Awaited<ReturnType<typeof createTestDatabase>>
	const roomIds: string[] = []
	let joinCode = ''

	beforeAll(async () => {
		source = await makeTempDir('kb-copy-source-')
		back = await makeTempDir('kb-copy-back-')
		database = await createTestDatabase()
		const server = await startServerInProcess({ dataDir: source })
		try {
			const client = api(server.baseUrl)
			const open = await client.createRoom('dos-en-donts', { title: 'Open kamer' })
			const closed = await client.createRoom('dos-en-donts', { title: 'Gesloten kamer' })
			roomIds.push(open.roomId, closed.roomId)
			joinCode = open.joinCode
			const notes = []
			for (let i = 0; i < 4; i++) {
				notes.push(
					await client.postNote(
						open.roomId,
						{ zoneId: i % 2 ? 'dos' : 'donts', text: `Notitie ${i}`, clientNoteId: `client-note-${i}` },
						await participantToken(client, open, `participant-${i}`)
					)
				)
			}
			await client.patchSession(open.roomId, open.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
			await client.vote(
				open.roomId,
				{ noteId: notes[0].noteId },
				await participantToken(client, open, 'participant-voter-1')
			)
			await client.vote(
				open.roomId,
				{ noteId: notes[0].noteId },
				await participantToken(client, open, 'participant-voter-1')
			)
			await client.vote(
				open.roomId,
				{ noteId: notes[1].noteId },
				await participantToken(client, open, 'participant-voter-2')
			)
			const hidden = await client.request(
				'POST',
				`/api/rooms/${open.roomId}/moderation/notes/${encodeURIComponent(notes[3].noteId)}/hide`,
				{ facilitatorKey: open.facilitatorKey }
			)
			expect(hidden.status).toBe(200)
			await client.postNote(
				closed.roomId,
				{ zoneId: 'dos', text: 'Eerder', clientNoteId: 'client-note-x' },
				await participantToken(client, closed, 'participant-x')
			)
			await client.patchSession(closed.roomId, closed.facilitatorKey, { phase: 'closed' })
			// A score round with two participants' marks.
			const scored = await client.createRoom('samenwerking-in-gesprek', { title: 'Cijferronde' })
			roomIds.push(scored.roomId)
			const start = await client.request('PUT', `/api/rooms/${scored.roomId}/score-round`, {
				body: { action: 'start' },
				facilitatorKey: scored.facilitatorKey,
			})
			expect(start.status).toBe(200)
			for (const [name, score] of [
				['participant-score-1', 7],
				['participant-score-2', 4],
			] as const) {
				const given = await client.request('PUT', `/api/rooms/${scored.roomId}/scores`, {
					body: { zoneId: 'relatie', score },
					token: await participantToken(client, scored, name),
				})
				expect(given.status).toBe(200)
			}
		} finally {
			await server.close()
		}
	})

	afterAll(async () => {
		await database?.drop()
		await removeTempDir(source)
		await removeTempDir(back)
	})

	it('SQLite → PostgreSQL → SQLite keeps every board identical, and copying again changes nothing', async () => {
		const there = await copyRoomsCli(['--from', source, '--to', database.url])
		expect(there.output).toContain('3 rooms copied')
		expect(there.code).toBe(0)
		// Idempotent: the same copy again.
		expect((await copyRoomsCli(['--from', source, '--to', database.url])).code).toBe(0)
		const home = await copyRoomsCli(['--from', database.url, '--to', back])
		expect(home.code, home.output).toBe(0)

		const stores = await Promise.all([openStore(source), openStore(database.url), openStore(back)])
		try {
			for (const roomId of roomIds) {
				const [original, central, returned] = await Promise.all(stores.map((s) => roomContent(s, roomId)))
				expect(original.record).not.toBeNull()
				expect(central).toEqual(original)
				expect(returned).toEqual(original)
			}
			const original = await roomContent(stores[0], roomIds[0])
			expect(original.notes).toHaveLength(4)
			expect(original.votes.reduce((n, v) => n + v.dots, 0)).toBe(3)
			expect(original.hidden).toHaveLength(1)
			expect((await roomContent(stores[0], roomIds[2])).scores.map((s) => s.score).sort()).toEqual([4, 7])
			expect((await stores[2].listRoomSummaries()).map((s) => s.roomId).sort()).toEqual([...roomIds].sort())
		} finally {
			await Promise.all(stores.map((s) => s.close()))
		}
	})

	it('a server on the copy serves the rooms: the join code works, the closed room stays closed', async () => {
		const server = await startServerInProcess({ env: { DATABASE_URL: database.url } })
		try {
			const client = api(server.baseUrl)
			expect((await client.join(joinCode)).roomId).toBe(roomIds[0])
			expect((await client.getRoom(roomIds[1])).phase).toBe('closed')
		} finally {
			await server.close()
		}
	})

	it("the image's copy-rooms: the bundle, run by npm with plain node and no tsx, copies SQLite → PostgreSQL → SQLite", async () => {
		await ensureServerBuild()
		// The image's /app as the Dockerfile makes it: the server package's package.json, its production
		// dependencies in node_modules (here: the server's own), the bundle in dist/ — no sources, no tsx.
		const app = await makeTempDir('kb-copy-image-')
		const imageDatabase = await createTestDatabase()
		try {
			await cp(serverDist, path.join(app, 'dist'), { recursive: true })
			await writeFile(path.join(app, 'package.json'), await readFile(path.join(repoRoot, 'server/package.json')))
			await symlink(path.join(repoRoot, 'server/node_modules'), path.join(app, 'node_modules'), 'dir')
			const fromApp = createRequire(path.join(app, 'dist', path.basename(copyRoomsBundle)))
			expect(() => fromApp.resolve('tsx')).toThrow()
			expect(fromApp.resolve('pg')).toBeTruthy()
			const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
			const returned = path.join(app, 'returned')
			const there = await run(
				npm,
				['run', '--silent', 'copy-rooms', '--', '--from', source, '--to', imageDatabase.url],
				app
			)
			expect(there.code, there.output).toBe(0)
			expect(there.output).toContain('3 rooms copied')
			const home = await run(
				npm,
				['run', '--silent', 'copy-rooms', '--', '--from', imageDatabase.url, '--to', returned],
				app
			)
			expect(home.code, home.output).toBe(0)
			const stores = await Promise.all([openStore(source), openStore(imageDatabase.url), openStore(returned)])
			try {
				for (const roomId of roomIds) {
					const [original, central, back] = await Promise.all(stores.map((s) => roomContent(s, roomId)))
					expect(original.record).not.toBeNull()
					expect(central).toEqual(original)
					expect(back).toEqual(original)
				}
			} finally {
				await Promise.all(stores.map((s) => s.close()))
			}
		} finally {
			await imageDatabase.drop()
			await removeTempDir(app)
		}
	})

	it('refuses a call without --from and --to', async () => {
		const result = await copyRoomsCli(['--from', source])
		expect(result.code).toBe(2)
		expect(result.output).toContain('usage: npm run copy-rooms')
	})
})
