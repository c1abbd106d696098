/**
 * Two real server processes on one PostgreSQL database and one Redis: the limits that stop guessing and flooding
 * count requests through both servers together (a client cannot double its budget by alternating servers), and
 * a phone's retried note — sent to both servers at once — is one note.
 */
import type { TLNoteShape, TLRecord } from '@tldraw/tlschema'
import { RECORDS_MAP } from '@kompasbord/shared'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { JOIN_FAILURES_PER_ADDRESS, NOTE_POST_BURST, NOTE_POSTS_PER_SECOND } from '../../server/src/http/rate-limit'
import { PgRoomStore } from '../../server/src/store/pg-room-store'
import { api, type ApiClient } from '../support/api'
import { startServerProcess, type ServerProcess } from '../support/server-process'
import { waitFor } from '../support/wait-for'
import { connectYClient, type YClient } from '../support/y-client'
import {
	TEST_REDIS_URL,
	clusterServicesUnavailable,
	createTestDatabase,
	deleteRedisKeys,
	testRedisPrefix,
} from './cluster-services'

const missing = await clusterServicesUnavailable()
const required = process.env.CI === 'true'
if (missing && !required) console.warn(`[kompasbord] shared limit tests skipped: ${missing}`)

const PARTICIPANTS_PER_ROOM = 4

describe.skipIf(missing !== null && !required)(`limits shared by two servers${missing ? ` (${missing})` : ''}`, () => {
	if (missing) {
		it('PostgreSQL and Redis are reachable (required when CI=true)', () => {
			throw new Error(missing)
		})
		return
	}
	let database: Awaited<ReturnType<typeof createTestDatabase>>
	let a: ServerProcess
	let b: ServerProcess
	let apiA: ApiClient
	let apiB: ApiClient
	const clients: YClient[] = []
	const redisPrefix = testRedisPrefix()

	beforeAll(async () => {
		database = await createTestDatabase()
		const env = {
			DATABASE_URL: database.url,
			REDIS_URL: TEST_REDIS_URL,
			REDIS_KEY_PREFIX: redisPrefix,
			LOG_LEVEL: 'warn',
			PARTICIPANT_TOKEN_SECRET: 'shared-limits-test-secret-of-both-servers',
			MAX_PARTICIPANTS_PER_ROOM: String(PARTICIPANTS_PER_ROOM),
		}
		;[a, b] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })])
		apiA = api(a.baseUrl)
		apiB = api(b.baseUrl)
	})

	afterEach(() => {
		for (const y of clients.splice(0)) y.destroy()
	})

	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()])
		await database?.drop()
		await deleteRedisKeys(redisPrefix)
	})

	it('join-code misses through A and B together hit the guessing limit on both', async () => {
		const room = await apiA.createRoom('dos-en-donts')
		for (let i = 0; i < JOIN_FAILURES_PER_ADDRESS; i++) {
			const miss = await (i % 2 ? apiB : apiA).request('GET', `/api/join/ZZZZ${String(i).padStart(2, '0')}`)
			expect(miss.status).toBe(404)
		}
		for (const client of [apiA, apiB]) {
			// Even the right code: the address is guessing.
			const refused = await client.request<{ error: { code: string } }>('GET', `/api/join/${room.joinCode}`)
			expect(refused.status).toBe(429)
			expect(refused.body.error.code).toBe('rate_limited')
			expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
		}
		// The count lives in Redis, not in either process: without its keys both servers let the address in.
		await deleteRedisKeys(redisPrefix)
		for (const client of [apiA, apiB]) expect((await client.join(room.joinCode)).roomId).toBe(room.roomId)
	})

	it('new participants of a room are counted across both servers', async () => {
		const room = await apiA.createRoom('dos-en-donts')
		const joined = await Promise.all(
			Array.from({ length: PARTICIPANTS_PER_ROOM + 4 }, (_, i) =>
				(i % 2 ? apiB : apiA).request<{ error?: { code: string } }>('POST', `/api/join/${room.joinCode}`)
			)
		)
		expect(joined.filter((answer) => answer.status === 201)).toHaveLength(PARTICIPANTS_PER_ROOM)
		const refused = joined.filter((answer) => answer.status !== 201)
		expect(refused.map((answer) => [answer.status, answer.body.error?.code])).toEqual(
			Array.from({ length: 4 }, () => [429, 'room_full'])
		)
	})

	it("a participant's note posts draw on one budget through both servers", async () => {
		const room = await apiA.createRoom('dos-en-donts')
		const { participantToken } = await apiA.joinRoom(room.joinCode)
		const post = (client: ApiClient, i: number) =>
			client.request('POST', `/api/rooms/${room.roomId}/notes`, {
				token: participantToken,
				body: { zoneId: 'dos', text: `Notitie ${i}`, clientNoteId: `burst-note-${i}` },
			})
		// 50 at once, half through each server: each server alone would allow its 25 (the burst is 30).
		const started = Date.now()
		const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 ? apiB : apiA, i)))
		const seconds = (Date.now() - started) / 1000
		const placed = answers.filter((answer) => answer.status === 201).length
		expect(answers.every((answer) => answer.status === 201 || answer.status === 429)).toBe(true)
		expect(placed).toBeGreaterThanOrEqual(NOTE_POST_BURST)
		// The bucket regains one post a second while the requests come in.
		expect(placed).toBeLessThanOrEqual(NOTE_POST_BURST + Math.ceil(seconds * NOTE_POSTS_PER_SECOND))
		expect(placed).toBeLessThan(50)
	})

	it('a retried clientNoteId sent to both servers at once makes one note', async () => {
		const room = await apiA.createRoom('dos-en-donts')
		const board = connectYClient(a.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(board)
		await board.waitForSync()
		const { participantToken, participantId } = await apiB.joinRoom(room.joinCode)
		for (let round = 0; round < 3; round++) {
			const clientNoteId = `retried-${round}`
			const answers = await Promise.all(
				Array.from({ length: 6 }, (_, i) =>
					(i % 2 ? apiB : apiA).request<{ noteId: string; status: string }>('POST', `/api/rooms/${room.roomId}/notes`, {
						token: participantToken,
						body: { zoneId: 'dos', text: `Eén keer ${round}`, clientNoteId },
					})
				)
			)
			expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1)
			expect(answers.filter((answer) => answer.status === 200)).toHaveLength(5)
			const noteIds = new Set(answers.map((answer) => answer.body.noteId))
			expect(noteIds.size).toBe(1)
			expect(answers.every((answer) => answer.body.status === 'placed')).toBe(true)
			const [noteId] = noteIds
			await waitFor(() => board.doc.getMap<TLRecord>(RECORDS_MAP).has(noteId), { timeout: 10_000 })
		}
		const notes = () =>
			[...board.doc.getMap<TLRecord>(RECORDS_MAP).values()].filter(
				(r): r is TLNoteShape => r.typeName === 'shape' && r.type === 'note'
			)
		expect(notes()).toHaveLength(3)
		const store = await PgRoomStore.open(database.url, { maxConnections: 1 })
		try {
			const ledger = await store.listParticipantNotes(room.roomId, participantId)
			expect(ledger.map((entry) => [entry.clientNoteId, entry.status]).sort()).toEqual(
				[0, 1, 2].map((round) => [`retried-${round}`, 'placed'])
			)
		} finally {
			await store.close()
		}
		// What a board on B loads from the database is the same: three notes.
		const onB = connectYClient(b.wsUrl, room.roomId, { key: room.facilitatorKey })
		clients.push(onB)
		await onB.waitForSync()
		expect(
			[...onB.doc.getMap<TLRecord>(RECORDS_MAP).values()].filter((r) => r.typeName === 'shape' && r.type === 'note')
		).toHaveLength(3)
	})
})
