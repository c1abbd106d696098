import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RoomAccess } from '@kompasbord/shared'
import { api, type ApiClient, type CreatedRoom, startServerInProcess, type InProcessServer } from './support'

/**
 * Who gets in (issue 18): the room's optional passphrase — asked once per device, checked on the server, wrong
 * ones limited per address and per room — and the join code's expiry, both set by the facilitator over
 * `PUT /api/rooms/:roomId/access`. The server here believes `X-Forwarded-For` from 127.0.0.1 (TRUST_PROXY), so
 * a test can be many addresses; its limits are small so they are reached quickly.
 */
const PER_ADDRESS = 4
const PER_ROOM = 9

type ErrorAnswer = { error: { code: string; message: string } }

let server: InProcessServer
let client: ApiClient
beforeAll(async () => {
	server = await startServerInProcess({
		env: {
			TRUST_PROXY: '127.0.0.1',
			PASSPHRASE_MISSES_PER_ADDRESS: String(PER_ADDRESS),
			PASSPHRASE_MISSES_PER_ROOM: String(PER_ROOM),
		},
	})
	client = api(server.baseUrl)
})
afterAll(async () => {
	await server?.close()
})

let address = 0
/** A client address of its own (203.0.113.x as `X-Forwarded-For`). */
function newAddress(): Record<string, string> {
	address += 1
	return { 'x-forwarded-for': `198.18.${Math.floor(address / 250)}.${(address % 250) + 1}` }
}

function setAccess(room: CreatedRoom, body: Record<string, unknown>, key: string | undefined = room.facilitatorKey) {
	return client.request<RoomAccess & ErrorAnswer>('PUT', `/api/rooms/${room.roomId}/access`, { body, token: key })
}

function join(room: CreatedRoom, options: { passphrase?: string; token?: string; headers?: Record<string, string> }) {
	return client.request<{ participantToken: string; participantId: string } & ErrorAnswer>(
		'POST',
		`/api/join/${room.joinCode}`,
		{
			body: options.passphrase === undefined ? undefined : { passphrase: options.passphrase },
			token: options.token,
			headers: options.headers ?? newAddress(),
		}
	)
}

describe('the access settings', () => {
	it("are the facilitator's alone: 401 without the key, 403 with a participant token or a wrong key", async () => {
		const room = await client.createRoom('blanco')
		const participant = (await client.joinRoom(room.joinCode)).participantToken
		const path = `/api/rooms/${room.roomId}/access`
		for (const method of ['GET', 'PUT']) {
			const body = method === 'PUT' ? { passphrase: 'zonnebloem' } : undefined
			expect((await client.request(method, path, { body })).status).toBe(401)
			expect((await client.request(method, path, { body, token: participant })).status).toBe(403)
			expect((await client.request(method, path, { body, token: 'x'.repeat(32) })).status).toBe(403)
		}
		const access = await client.request<RoomAccess>('GET', path, { token: room.facilitatorKey })
		expect(access.body).toEqual({ passphrase: false, joinCodeExpiresAt: null, joinCodeExpired: false })
	})

	it('store the passphrase hashed, never answer it, and refuse one that is too short or an expiry too far ahead', async () => {
		const room = await client.createRoom('blanco')
		const set = await setAccess(room, { passphrase: 'Zonnebloem' })
		expect(set.status).toBe(200)
		expect(set.body).toEqual({ passphrase: true, joinCodeExpiresAt: null, joinCodeExpired: false })
		expect(JSON.stringify(set.body).toLowerCase()).not.toContain('zonnebloem')
		const record = await server.app.store.getRoom(room.roomId)
		expect(record?.passphraseHash).toMatch(/^scrypt\$/)
		expect(record?.passphraseHash?.toLowerCase()).not.toContain('zonnebloem')
		const short = await setAccess(room, { passphrase: ' ab ' })
		expect([short.status, short.body.error.code]).toEqual([400, 'bad_passphrase'])
		const far = await setAccess(room, { joinCodeExpiresAt: Date.now() + 400 * 24 * 3600_000 })
		expect([far.status, far.body.error.code]).toEqual([400, 'bad_expiry'])
		expect((await setAccess(room, { passphrase: null })).body.passphrase).toBe(false)
		expect((await server.app.store.getRoom(room.roomId))?.passphraseHash).toBeNull()
	})
})

describe('a passphrase', () => {
	it('is asked for (401), refused when wrong (403), and with the right one (any case) gives a token', async () => {
		const room = await client.createRoom('blanco')
		await setAccess(room, { passphrase: 'Zonnebloem veld' })
		const missing = await join(room, {})
		expect([missing.status, missing.body.error.code]).toEqual([401, 'passphrase_required'])
		const wrong = await join(room, { passphrase: 'tulp' })
		expect([wrong.status, wrong.body.error.code]).toEqual([403, 'wrong_passphrase'])
		const right = await join(room, { passphrase: '  zonnebloem VELD ' })
		expect(right.status).toBe(201)
		// The token is what counts from then on: no passphrase with it, the same participant again.
		const again = await join(room, { token: right.body.participantToken })
		expect(again.status).toBe(200)
		expect(again.body.participantId).toBe(right.body.participantId)
		const note = await client.request('POST', `/api/rooms/${room.roomId}/notes`, {
			token: right.body.participantToken,
			body: { zoneId: 'notities', text: 'Binnen', clientNoteId: 'note-access-1' },
		})
		expect(note.status).toBe(201)
	})

	it('does not shut out participants who joined before it was set (their tokens keep working)', async () => {
		const room = await client.createRoom('blanco')
		const before = (await client.joinRoom(room.joinCode)).participantToken
		await setAccess(room, { passphrase: 'later gezet' })
		expect((await join(room, { token: before })).status).toBe(200)
		expect((await client.request('GET', `/api/rooms/${room.roomId}/notes`, { token: before })).status).toBe(200)
		expect((await join(room, {})).status).toBe(401)
	})

	it('is limited per address: 429 with Retry-After after the misses, even for the right passphrase', async () => {
		const room = await client.createRoom('blanco')
		await setAccess(room, { passphrase: 'zonnebloem' })
		const headers = newAddress()
		for (let i = 0; i < PER_ADDRESS; i++)
			expect((await join(room, { passphrase: `fout ${i}`, headers })).status).toBe(403)
		const limited = await join(room, { passphrase: 'zonnebloem', headers })
		expect([limited.status, limited.body.error.code]).toEqual([429, 'rate_limited'])
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
		// Another address (another phone behind its own connection) still gets in.
		expect((await join(room, { passphrase: 'zonnebloem' })).status).toBe(201)
	})

	it('is limited per room, so guessing from many addresses is bounded too; other rooms are not affected', async () => {
		const room = await client.createRoom('blanco')
		const other = await client.createRoom('blanco')
		await setAccess(room, { passphrase: 'zonnebloem' })
		await setAccess(other, { passphrase: 'zonnebloem' })
		const statuses: number[] = []
		for (let i = 0; i < PER_ROOM + 2; i++) statuses.push((await join(room, { passphrase: `gok ${i}` })).status)
		expect(statuses.slice(0, PER_ROOM).every((status) => status === 403)).toBe(true)
		expect(statuses.slice(PER_ROOM)).toEqual([429, 429])
		const fresh = await join(room, { passphrase: 'zonnebloem' })
		expect([fresh.status, fresh.body.error.code]).toEqual([429, 'rate_limited'])
		expect((await join(other, { passphrase: 'zonnebloem' })).status).toBe(201)
	})
})

describe('an expiry of the join code', () => {
	it('answers 410 join_code_expired to new participants once past; those who joined keep their tokens', async () => {
		const room = await client.createRoom('blanco')
		const inside = (await client.joinRoom(room.joinCode)).participantToken
		const soon = Date.now() + 60_000
		expect((await setAccess(room, { joinCodeExpiresAt: soon })).body).toEqual({
			passphrase: false,
			joinCodeExpiresAt: soon,
			joinCodeExpired: false,
		})
		expect((await client.request('GET', `/api/join/${room.joinCode}`)).status).toBe(200)
		// The facilitator moves it into the past: the door closes at once.
		const past = await setAccess(room, { joinCodeExpiresAt: Date.now() - 1000 })
		expect(past.body.joinCodeExpired).toBe(true)
		for (const method of ['GET', 'POST']) {
			const answer = await client.request<ErrorAnswer>(method, `/api/join/${room.joinCode}`, { headers: newAddress() })
			expect([answer.status, answer.body.error.code]).toEqual([410, 'join_code_expired'])
		}
		expect((await join(room, { token: inside })).status).toBe(200)
		const note = await client.request('POST', `/api/rooms/${room.roomId}/notes`, {
			token: inside,
			body: { zoneId: 'notities', text: 'Nog binnen', clientNoteId: 'note-access-2' },
		})
		expect(note.status).toBe(201)
		// Extending (or clearing) it opens the door again.
		expect((await setAccess(room, { joinCodeExpiresAt: null })).body.joinCodeExpired).toBe(false)
		expect((await join(room, {})).status).toBe(201)
	})

	it('is shown with the passphrase flag in the join overlay', async () => {
		const room = await client.createRoom('blanco')
		const at = Date.now() + 3600_000
		await setAccess(room, { passphrase: 'zonnebloem', joinCodeExpiresAt: at })
		const info = await client.request<{ passphrase: boolean; joinCodeExpiresAt: number }>(
			'GET',
			`/api/rooms/${room.roomId}/join-info`,
			{ token: room.facilitatorKey }
		)
		expect(info.body).toMatchObject({ passphrase: true, joinCodeExpiresAt: at })
	})
})
