import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTLSchema, type TLFrameShape, type TLNoteShape, type TLRecord } from '@tldraw/tlschema'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import { api, type ApiClient, type CreatedRoom, type NoteInput } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { startServerProcess } from './support/server-process'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

const schema = createTLSchema()

let server: InProcessServer
let client: ApiClient
const yClients: YClient[] = []
let counter = 0

/** A fresh url-safe id for participants and client notes. */
function id(prefix: string): string {
	counter += 1
	return `${prefix}-${counter.toString().padStart(4, '0')}-${Math.random().toString(36).slice(2, 10)}`
}

function note(overrides: Partial<NoteInput> = {}): NoteInput {
	return { zoneId: 'dos', text: 'Samen optrekken', clientNoteId: id('note'), ...overrides }
}

/** Participant tokens per room and name: each name joins its room once (`POST /api/join/:joinCode`). */
const tokens = new Map<string, string>()
async function tokenOf(room: CreatedRoom, name = 'participant', http: ApiClient = client): Promise<string> {
	const key = `${room.roomId}\u0000${name}`
	let token = tokens.get(key)
	if (!token) {
		token = (await http.joinRoom(room.joinCode)).participantToken
		tokens.set(key, token)
	}
	return token
}

async function watch(room: CreatedRoom, baseWsUrl = server.wsUrl): Promise<YClient> {
	const y = connectYClient(baseWsUrl, room.roomId, { key: room.facilitatorKey })
	yClients.push(y)
	await y.waitForSync()
	return y
}

function records(y: YClient): Map<string, TLRecord> {
	return new Map(y.doc.getMap<TLRecord>(RECORDS_MAP).entries())
}

function notesIn(y: YClient): TLNoteShape[] {
	return [...records(y).values()].filter((r): r is TLNoteShape => r.typeName === 'shape' && r.type === 'note')
}

function richTextOf(text: string) {
	return {
		type: 'doc',
		content: text
			.split('\n')
			.map((line) => (line ? { type: 'paragraph', content: [{ type: 'text', text: line }] } : { type: 'paragraph' })),
	}
}

beforeAll(async () => {
	server = await startServerInProcess()
	client = api(server.baseUrl)
})

afterEach(() => {
	for (const y of yClients.splice(0)) y.destroy()
})

afterAll(async () => {
	await server?.close()
})

describe('POST /api/rooms/:roomId/notes', () => {
	it('places a valid tldraw note inside the zone frame, visible to a plain y-websocket client', async () => {
		const room = await client.createRoom('dos-en-donts')
		const y = await watch(room)
		const input = note({ zoneId: 'waarden', text: '  Respect voor elkaar\r\nook online  ', color: 'light-green' })
		const answer = await client.request<{ noteId: string; status: string }>('POST', `/api/rooms/${room.roomId}/notes`, {
			body: input,
			token: await tokenOf(room),
		})
		expect(answer.status).toBe(201)
		expect(answer.body).toEqual({ noteId: expect.stringMatching(/^shape:/), status: 'placed' })
		const { noteId } = answer.body
		const record = await waitFor(() => records(y).get(noteId) as TLNoteShape | undefined, {
			message: 'note in the doc',
		})
		// tldraw's own schema accepts it as it is.
		expect(() => schema.types.shape.validate(record)).not.toThrow()
		expect(record).toMatchObject({
			type: 'note',
			parentId: zoneFrameId('waarden'),
			meta: { kind: 'note', zoneId: 'waarden' },
			props: { color: 'light-green', richText: richTextOf('Respect voor elkaar\nook online') },
		})
		expect(record.meta).not.toHaveProperty('authorName')
		const frame = records(y).get(zoneFrameId('waarden')) as TLFrameShape
		const size = 200 * record.props.scale
		expect(record.x).toBeGreaterThanOrEqual(0)
		expect(record.y).toBeGreaterThanOrEqual(Number(frame.meta.headerHeight ?? 0))
		expect(record.x + size).toBeLessThanOrEqual(frame.props.w)
		expect(record.y + (200 + record.props.growY) * record.props.scale).toBeLessThanOrEqual(frame.props.h)
	})

	it('is idempotent on clientNoteId: a retry answers 200 with the same noteId and adds nothing', async () => {
		const room = await client.createRoom('dos-en-donts')
		const input = note()
		const token = await tokenOf(room)
		const first = await client.request<{ noteId: string }>('POST', `/api/rooms/${room.roomId}/notes`, {
			body: input,
			token,
		})
		const again = await client.request<{ noteId: string; status: string }>('POST', `/api/rooms/${room.roomId}/notes`, {
			body: { ...input, text: 'changed on retry' },
			token,
		})
		expect(first.status).toBe(201)
		expect(again.status).toBe(200)
		expect(again.body).toEqual({ noteId: first.body.noteId, status: 'placed' })
		const y = await watch(room)
		expect(notesIn(y).map((n) => n.id)).toEqual([first.body.noteId])
	})

	it('makes one note of concurrent posts with one clientNoteId', async () => {
		const room = await client.createRoom('dos-en-donts')
		const input = note({ zoneId: 'donts' })
		const token = await tokenOf(room)
		const answers = await Promise.all(
			Array.from({ length: 8 }, () =>
				client.request<{ noteId: string }>('POST', `/api/rooms/${room.roomId}/notes`, { body: input, token })
			)
		)
		expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201])
		expect(new Set(answers.map((a) => a.body.noteId)).size).toBe(1)
		const y = await watch(room)
		expect(notesIn(y)).toHaveLength(1)
	})

	it('refuses a clientNoteId that belongs to another participant', async () => {
		const room = await client.createRoom('dos-en-donts')
		const input = note()
		await client.postNote(room.roomId, input, await tokenOf(room))
		const other = await client.request('POST', `/api/rooms/${room.roomId}/notes`, {
			body: input,
			token: await tokenOf(room, 'someone'),
		})
		expect(other.status).toBe(409)
		expect(other.body).toMatchObject({ error: { code: 'client_note_id_conflict' } })
	})

	it('answers every validation error with its own code and adds nothing', async () => {
		const room = await client.createRoom('dos-en-donts')
		const path = `/api/rooms/${room.roomId}/notes`
		const cases: [Record<string, unknown>, number, string][] = [
			[note({ zoneId: 'nope' }), 400, 'unknown_zone'],
			[note({ zoneId: 'notities' }), 400, 'unknown_zone'],
			[note({ text: ' \n\t ' }), 400, 'empty_text'],
			[note({ text: 'x'.repeat(501) }), 400, 'text_too_long'],
			[note({ color: 'pink' }), 400, 'invalid_color'],
			[note({ color: '#ffcc00' }), 400, 'invalid_color'],
			[{ ...note(), clientNoteId: 'has spaces in it' }, 400, 'bad_request'],
			[{ zoneId: 'dos', text: 'x' }, 400, 'bad_request'],
		]
		const token = await tokenOf(room)
		for (const [body, status, code] of cases) {
			const answer = await client.request('POST', path, { body, token })
			expect({ body, status: answer.status, code: (answer.body as { error?: { code: string } }).error?.code }).toEqual({
				body,
				status,
				code,
			})
		}
		// 500 characters after trimming is fine; so are 500 emoji (1000 UTF-16 units).
		expect((await client.postNote(room.roomId, note({ text: ` ${'x'.repeat(500)} ` }), token)).status).toBe('placed')
		expect((await client.postNote(room.roomId, note({ text: '🙂'.repeat(500) }), token)).status).toBe('placed')
		const bad = await fetch(`${server.baseUrl}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
			body: '{"zoneId":',
		})
		expect(bad.status).toBe(400)
		expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } })
		// A token is for its own room only: elsewhere it names nobody.
		const unknownRoom = await client.request('POST', '/api/rooms/no-such-room/notes', { body: note(), token })
		expect(unknownRoom.status).toBe(401)
		expect(unknownRoom.body).toMatchObject({ error: { code: 'bad_participant_token' } })
		const noToken = await client.request('POST', path, { body: note() })
		expect(noToken.status).toBe(401)
		expect(noToken.body).toMatchObject({ error: { code: 'participant_token_required' } })
		const y = await watch(room)
		expect(notesIn(y)).toHaveLength(2)
	})

	it('packs many notes into a zone without overlap, inside the frame, each on top of the last', async () => {
		const room = await client.createRoom('dos-en-donts')
		const ids: string[] = []
		for (let i = 0; i < 40; i++) {
			const text = i % 7 === 3 ? `Een langere notitie nummer ${i} `.repeat(6) : `Notitie ${i}`
			// Four participants, ten notes each: within the per-participant limit.
			const answer = await client.postNote(
				room.roomId,
				note({ zoneId: 'verwachtingen', text }),
				await tokenOf(room, `packer-${i % 4}`)
			)
			ids.push(answer.noteId)
		}
		const y = await watch(room)
		const all = records(y)
		const frame = all.get(zoneFrameId('verwachtingen')) as TLFrameShape
		const placed = ids.map((noteId) => all.get(noteId) as TLNoteShape)
		const boxes = placed.map((n) => ({
			x: n.x,
			y: n.y,
			w: 200 * n.props.scale,
			h: (200 + n.props.growY) * n.props.scale,
		}))
		for (const [i, box] of boxes.entries()) {
			expect(placed[i].parentId).toBe(frame.id)
			expect(box.x).toBeGreaterThanOrEqual(0)
			expect(box.y).toBeGreaterThanOrEqual(Number(frame.meta.headerHeight ?? 0))
			expect(box.x + box.w).toBeLessThanOrEqual(frame.props.w)
			expect(box.y + box.h).toBeLessThanOrEqual(frame.props.h)
			for (const other of boxes.slice(i + 1)) {
				const overlap =
					box.x < other.x + other.w && other.x < box.x + box.w && box.y < other.y + other.h && other.y < box.y + box.h
				expect(overlap).toBe(false)
			}
		}
		const indices = placed.map((n) => n.index)
		expect([...indices].sort()).toEqual(indices)
		expect(new Set(indices).size).toBe(indices.length)
		for (const n of placed) expect(() => schema.types.shape.validate(n)).not.toThrow()
	})

	it('places notes in activity-matrix cells by row and column', async () => {
		const room = await client.createRoom('activiteitenmatrix', { columns: 3 })
		const token = await tokenOf(room)
		const a = await client.postNote(room.roomId, note({ zoneId: 'preventie:2' }), token)
		const b = await client.postNote(room.roomId, note({ zoneId: 'intensief:3' }), token)
		const y = await watch(room)
		expect((records(y).get(a.noteId) as TLNoteShape | undefined)?.parentId).toBe(zoneFrameId('preventie:2'))
		expect((records(y).get(b.noteId) as TLNoteShape | undefined)?.parentId).toBe(zoneFrameId('intensief:3'))
		const outside = await client.request('POST', `/api/rooms/${room.roomId}/notes`, {
			body: note({ zoneId: 'preventie:4' }),
			token,
		})
		expect(outside.status).toBe(400)
	})

	it('keeps author names only in rooms that are not anonymous', async () => {
		const anonymous = await client.createRoom('blanco')
		const named = await client.createRoom('blanco', { anonymous: false })
		const a = await client.postNote(
			anonymous.roomId,
			note({ zoneId: 'notities', authorName: 'Fatima' }),
			await tokenOf(anonymous)
		)
		const b = await client.postNote(
			named.roomId,
			note({ zoneId: 'notities', authorName: '  Jan  Willem ' }),
			await tokenOf(named)
		)
		const ya = await watch(anonymous)
		const yb = await watch(named)
		expect(records(ya).get(a.noteId)?.meta).toEqual({ kind: 'note', zoneId: 'notities' })
		expect(records(yb).get(b.noteId)?.meta).toEqual({ kind: 'note', zoneId: 'notities', authorName: 'Jan Willem' })
	})

	it('limits note posts per participant with a 429 and Retry-After, leaving other participants alone', async () => {
		const room = await client.createRoom('dos-en-donts')
		const eager = await tokenOf(room, 'eager')
		const path = `/api/rooms/${room.roomId}/notes`
		const statuses: number[] = []
		let limited: Awaited<ReturnType<ApiClient['request']>> | undefined
		for (let i = 0; i < 60 && !limited; i++) {
			const answer = await client.request('POST', path, { body: note({ text: `n${i}` }), token: eager })
			statuses.push(answer.status)
			if (answer.status === 429) limited = answer
		}
		expect(limited, 'a participant posting 60 notes at once is limited').toBeDefined()
		// The burst allows a phone to flush a full offline queue.
		expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(30)
		expect(limited!.body).toMatchObject({ error: { code: 'rate_limited' } })
		expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
		expect((await client.postNote(room.roomId, note(), await tokenOf(room, 'calm'))).status).toBe('placed')
		// Posts and changes count apart: a participant who hit the post limit can still delete a note.
		const mine = await client.request<{ notes: { noteId: string }[] }>('GET', path, { token: eager })
		const removed = await client.request('DELETE', `${path}/${encodeURIComponent(mine.body.notes[0].noteId)}`, {
			token: eager,
		})
		expect(removed.status).toBe(200)
	})
})

describe('GET, PATCH and DELETE of notes', () => {
	it('lets the participant list, edit and delete their own notes, and nobody else’s', async () => {
		const room = await client.createRoom('dos-en-donts')
		const owner = await tokenOf(room, 'owner')
		const stranger = await tokenOf(room, 'stranger')
		const mine = await client.postNote(room.roomId, note({ text: 'Eerst', zoneId: 'dos' }), owner)
		await client.postNote(room.roomId, note({ text: 'Van een ander' }), stranger)
		const notesPath = `/api/rooms/${room.roomId}/notes`
		const listed = await client.request<{ notes: { noteId: string; text: string; zoneId: string }[] }>(
			'GET',
			notesPath,
			{ token: owner }
		)
		expect(listed.status).toBe(200)
		expect(listed.body.notes).toEqual([
			expect.objectContaining({ noteId: mine.noteId, text: 'Eerst', zoneId: 'dos', status: 'placed' }),
		])

		const notePath = `${notesPath}/${encodeURIComponent(mine.noteId)}`
		const byStranger = await client.request('PATCH', notePath, { body: { text: 'Gekaapt' }, token: stranger })
		expect(byStranger.status).toBe(403)
		expect(byStranger.body).toMatchObject({ error: { code: 'not_your_note' } })
		const anonymousPatch = await client.request('PATCH', notePath, { body: { text: 'Zonder token' } })
		expect(anonymousPatch.status).toBe(401)
		// An id in the body names nobody (Fastify drops properties the schema does not know).
		const namedInBody = await client.request('PATCH', notePath, {
			body: { text: 'Met een id', participantId: 'owner-0001-abcdefgh' },
		})
		expect(namedInBody.status).toBe(401)
		const tooLong = await client.request('PATCH', notePath, { body: { text: 'y'.repeat(501) }, token: owner })
		expect(tooLong.status).toBe(400)

		const y = await watch(room)
		const edited = await client.request('PATCH', notePath, { body: { text: 'Daarna', color: 'orange' }, token: owner })
		expect(edited.status).toBe(200)
		expect(edited.body).toMatchObject({ noteId: mine.noteId, text: 'Daarna', color: 'orange' })
		await waitFor(() => (records(y).get(mine.noteId) as TLNoteShape | undefined)?.props.color === 'orange')
		const record = records(y).get(mine.noteId) as TLNoteShape
		expect(record.props.richText).toEqual(richTextOf('Daarna'))
		expect(() => schema.types.shape.validate(record)).not.toThrow()

		const moved = await client.request('PATCH', notePath, { body: { zoneId: 'waarden' }, token: owner })
		expect(moved.status).toBe(200)
		await waitFor(() => (records(y).get(mine.noteId) as TLNoteShape | undefined)?.parentId === zoneFrameId('waarden'))

		expect((await client.request('DELETE', notePath, { token: stranger })).status).toBe(403)
		const removed = await client.request('DELETE', notePath, { token: owner })
		expect(removed.status).toBe(200)
		await waitFor(() => !records(y).has(mine.noteId), { message: 'note gone from the doc' })
		expect((await client.request('DELETE', notePath, { token: owner })).status).toBe(404)
		const after = await client.request<{ notes: unknown[] }>('GET', notesPath, { token: owner })
		expect(after.body.notes).toEqual([])
	})

	it('lets the facilitator edit and delete any note, including one drawn on the board, with the right key only', async () => {
		const room = await client.createRoom('dos-en-donts')
		const posted = await client.postNote(room.roomId, note({ text: 'Van een deelnemer' }), await tokenOf(room))
		const path = (noteId: string) => `/api/rooms/${room.roomId}/notes/${encodeURIComponent(noteId)}`
		const wrongKey = await client.request('PATCH', path(posted.noteId), {
			body: { text: 'x' },
			facilitatorKey: 'not-the-key',
		})
		expect(wrongKey.status).toBe(403)
		const edited = await client.request('PATCH', path(posted.noteId), {
			body: { text: 'Door de begeleider' },
			facilitatorKey: room.facilitatorKey,
		})
		expect(edited.status).toBe(200)

		// A note drawn on the canvas by a facilitator's board client (no ledger entry).
		const facilitator = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		yClients.push(facilitator)
		await facilitator.waitForSync()
		const drawn = {
			...(records(facilitator).get(posted.noteId) as TLNoteShape),
			id: 'shape:drawn-on-board' as TLNoteShape['id'],
			index: 'a9' as TLNoteShape['index'],
		}
		facilitator.doc.getMap<TLRecord>(RECORDS_MAP).set(drawn.id, drawn)
		await waitFor(
			async () =>
				(await client.request('DELETE', path(drawn.id), { body: {}, facilitatorKey: room.facilitatorKey })).status ===
				200
		)
		await waitFor(() => !records(facilitator).has(drawn.id))
		expect((await client.request('DELETE', path(posted.noteId), { facilitatorKey: room.facilitatorKey })).status).toBe(
			200
		)
		// Structure is not a note: nobody deletes a zone frame through this route.
		const frame = await client.request('DELETE', path(zoneFrameId('dos')), { facilitatorKey: room.facilitatorKey })
		expect(frame.status).toBe(404)
	})
})

describe('join codes and join info', () => {
	it('counts unknown join codes per address: a venue behind one address joins freely, guessing is stopped', async () => {
		// Behind the operator's proxy (TRUST_PROXY), whose X-Forwarded-For names the client address.
		const proxied = await startServerInProcess({ env: { TRUST_PROXY: '127.0.0.1' } })
		try {
			await joinCodeLimits(api(proxied.baseUrl))
		} finally {
			await proxied.close()
		}
	})

	async function joinCodeLimits(client: ApiClient): Promise<void> {
		const room = await client.createRoom('blanco')
		const venue = { 'x-forwarded-for': '198.51.100.7' }
		for (let i = 0; i < 40; i++) {
			const ok = await client.request('GET', `/api/join/${room.joinCode}`, { headers: venue })
			expect(ok.status).toBe(200)
		}
		const guesser = { 'x-forwarded-for': '203.0.113.9' }
		const statuses: number[] = []
		for (let i = 0; i < 25; i++) {
			const guess = await client.request('GET', `/api/join/ZZZZZ${'23456789'[i % 8]}`, { headers: guesser })
			statuses.push(guess.status)
		}
		expect(statuses.slice(0, 20).every((s) => s === 404)).toBe(true)
		expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429])
		const blocked = await client.request('GET', `/api/join/${room.joinCode}`, { headers: guesser })
		expect(blocked.status).toBe(429)
		expect(blocked.body).toMatchObject({ error: { code: 'rate_limited' } })
		expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0)
		// The venue is not affected by the guesser.
		expect((await client.request('GET', `/api/join/${room.joinCode}`, { headers: venue })).status).toBe(200)
	}

	it('answers the join URL and code for the board overlay', async () => {
		const room = await client.createRoom('blanco')
		const info = await client.request<{ joinUrl: string; joinCode: string; viewUrl: string }>(
			'GET',
			`/api/rooms/${room.roomId}/join-info`,
			{
				facilitatorKey: room.facilitatorKey,
			}
		)
		expect(info.status).toBe(200)
		expect(info.body.joinCode).toBe(room.joinCode)
		expect(info.body.joinUrl).toMatch(new RegExp(`^https?://[^/]+/j/${room.joinCode}$`))
		expect(info.body.joinUrl).toBe(room.links.join)
		expect(info.body.viewUrl).toBe(room.links.view)
		expect((await client.request('GET', '/api/rooms/nope/join-info')).status).toBe(404)
	})

	it('uses PUBLIC_URL in join links when configured', async () => {
		const other = await startServerInProcess({ env: { PUBLIC_URL: 'https://kompas.example.nl/' } })
		try {
			const room = await api(other.baseUrl).createRoom('blanco')
			const info = await api(other.baseUrl).request<{ joinUrl: string }>('GET', `/api/rooms/${room.roomId}/join-info`, {
				facilitatorKey: room.facilitatorKey,
			})
			expect(info.body.joinUrl).toBe(`https://kompas.example.nl/j/${room.joinCode}`)
		} finally {
			await other.close()
		}
	})
})

describe('durability', () => {
	it('loses no acknowledged note to kill -9, and a retry after the crash adds nothing', {
		timeout: 240_000,
	}, async () => {
		const proc = await startServerProcess()
		try {
			const http = api(proc.baseUrl)
			const room = await http.createRoom('dos-en-donts')
			const inputs = Array.from({ length: 10 }, (_, i) =>
				note({ zoneId: i % 2 ? 'dos' : 'donts', text: `Voor de crash ${i}` })
			)
			const token = await tokenOf(room, 'crash', http)
			const answers = await Promise.all(inputs.map((input) => http.postNote(room.roomId, input, token)))
			await proc.kill9()
			await proc.restart()
			const y = await watch(room, proc.wsUrl)
			const ids = new Set(notesIn(y).map((n) => n.id))
			for (const answer of answers) expect(ids.has(answer.noteId as TLNoteShape['id'])).toBe(true)
			// The token outlives the restart: the server's secret is kept in its DATA_DIR.
			const retried = await http.request<{ noteId: string }>('POST', `/api/rooms/${room.roomId}/notes`, {
				body: inputs[3],
				token,
			})
			expect(retried.status).toBe(200)
			expect(retried.body.noteId).toBe(answers[3].noteId)
			expect(notesIn(y)).toHaveLength(10)
		} finally {
			await proc.stop()
		}
	})
})
