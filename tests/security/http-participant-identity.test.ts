import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP, VOTES_MAP, zoneFrameId } from '@kompasbord/shared'
import { api, connectYClient, startServerInProcess, waitFor, type CreatedRoom, type InProcessServer } from '../support'
import { tryHandshake } from './ws-handshake'

/**
 * Who is who (issue 11, item 4): the server issues participant tokens; votes, note ownership and limits key
 * on the id inside them; the view link carries a capability of its own, and a room id alone grants nothing.
 */
describe('participant identity', () => {
	let server: InProcessServer
	let client: ReturnType<typeof api>

	beforeAll(async () => {
		server = await startServerInProcess()
		client = api(server.baseUrl)
	})
	afterAll(async () => {
		await server?.close()
	})

	/** A room with one phone note in `dos`, in a voting round with a budget of three dots. */
	async function votingRoom(): Promise<{ room: CreatedRoom; noteId: string }> {
		const room = await client.createRoom('dos-en-donts')
		const author = await client.joinRoom(room.joinCode)
		const note = await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Samen eten', clientNoteId: 'note-0001' },
			author.participantToken
		)
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 3 })
		return { room, noteId: note.noteId }
	}

	it('invented participant ids cannot exceed the vote budget', async () => {
		const { room, noteId } = await votingRoom()
		let accepted = 0
		const statuses = new Set<number>()
		for (let person = 0; person < 20; person++) {
			const participantId = `invented-${String(person).padStart(4, '0')}`
			for (let dot = 0; dot < 3; dot++) {
				const answer = await client.request('POST', `/api/rooms/${room.roomId}/votes`, {
					body: { noteId, participantId },
				})
				statuses.add(answer.status)
				if (answer.status < 300) accepted++
			}
		}
		expect(accepted).toBe(0)
		expect([...statuses].every((status) => status >= 400 && status < 500)).toBe(true)

		// A token for one participant is no licence for more: a real participant has three dots, no fourth.
		const voter = await client.joinRoom(room.joinCode)
		for (let dot = 0; dot < 3; dot++) await client.vote(room.roomId, { noteId }, voter.participantToken)
		const fourth = await client.request('POST', `/api/rooms/${room.roomId}/votes`, {
			body: { noteId },
			token: voter.participantToken,
		})
		expect(fourth.status).toBe(409)
		const board = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		try {
			await board.waitForSync()
			expect(board.doc.getMap<number>(VOTES_MAP).get(noteId)).toBe(3)
		} finally {
			board.destroy()
		}
	})

	it('a token of one room is worth nothing in another, and a forged one nothing anywhere', async () => {
		const { room, noteId } = await votingRoom()
		const other = await client.createRoom('blanco')
		const stranger = await client.joinRoom(other.joinCode)
		const crossRoom = await client.request('POST', `/api/rooms/${room.roomId}/votes`, {
			body: { noteId },
			token: stranger.participantToken,
		})
		expect(crossRoom.status).toBe(401)
		const [prefix, , issued, mac] = stranger.participantToken.split('.')
		const forged = [prefix, 'A'.repeat(22), issued, mac].join('.')
		const forgedVote = await client.request('POST', `/api/rooms/${other.roomId}/votes`, {
			body: { noteId },
			token: forged,
		})
		expect(forgedVote.status).toBe(401)
		const ws = await tryHandshake(`${server.wsUrl}/${room.roomId}`, [
			'kompasbord',
			`kompasbord-participant.${stranger.participantToken}`,
		])
		expect(ws).toMatchObject({ opened: false, status: 403 })
	})

	it("the view link's room id without its view token gets no participant rights", async () => {
		const room = await client.createRoom('dos-en-donts')
		expect(room.links.view).not.toContain('?view=1')
		const viewUrl = new URL(room.links.view)
		const roomId = decodeURIComponent(viewUrl.pathname.split('/').pop()!)
		expect(roomId).toBe(room.roomId)
		expect(new URLSearchParams(viewUrl.hash.slice(1)).get('view')).toBe(room.viewToken)

		// The websocket: no credential, or the old `?view=1`, is refused before the upgrade.
		expect(await tryHandshake(`${server.wsUrl}/${roomId}`)).toMatchObject({ opened: false, status: 401 })
		expect(await tryHandshake(`${server.wsUrl}/${roomId}?view=1`)).toMatchObject({ opened: false, status: 401 })
		expect(await tryHandshake(`${server.wsUrl}/${roomId}`, ['kompasbord', 'kompasbord-view.v1.wrong'])).toMatchObject({
			opened: false,
			status: 403,
		})

		// REST: the room id gives neither the join code nor a token, nor notes.
		const info = await client.request<Record<string, unknown>>('GET', `/api/rooms/${roomId}`)
		expect(info.status).toBe(200)
		expect(info.body.joinCode).toBeUndefined()
		expect((await client.request('GET', `/api/rooms/${roomId}/join-info`)).status).toBe(401)
		expect((await client.request('POST', `/api/join/${roomId}`)).status).toBe(404)
		const note = await client.request('POST', `/api/rooms/${roomId}/notes`, {
			body: { zoneId: 'dos', text: 'x', clientNoteId: 'note-0002' },
		})
		expect(note.status).toBe(401)
		const viewerInfo = await client.request<Record<string, unknown>>('GET', `/api/rooms/${roomId}`, {
			token: room.viewToken,
		})
		expect(viewerInfo.body.joinCode).toBeUndefined()

		// The view token watches and writes nothing.
		const facilitator = connectYClient(server.wsUrl, roomId, { key: room.facilitatorKey })
		const viewer = connectYClient(server.wsUrl, roomId, { viewToken: room.viewToken })
		try {
			await Promise.all([facilitator.waitForSync(), viewer.waitForSync()])
			expect(viewer.provider.ws?.protocol).toBe('kompasbord')
			const records = viewer.doc.getMap<Record<string, unknown>>(RECORDS_MAP)
			viewer.doc.transact(() => {
				records.set('shape:forged', { id: 'shape:forged', typeName: 'shape', type: 'geo' })
				records.delete(zoneFrameId('dos'))
			})
			// Then a presence marker on the same socket: once the facilitator sees it, the server has handled the write.
			viewer.provider.awareness.setLocalStateField('marker', 'after-the-write')
			await waitFor(() =>
				[...facilitator.provider.awareness.getStates().values()].some((state) => state.marker === 'after-the-write')
			)
			expect(facilitator.doc.getMap(RECORDS_MAP).has('shape:forged')).toBe(false)
			expect(facilitator.doc.getMap(RECORDS_MAP).has(zoneFrameId('dos'))).toBe(true)
		} finally {
			viewer.destroy()
			facilitator.destroy()
		}
	})

	it('the facilitator gets the view link again; a participant does not', async () => {
		const room = await client.createRoom('blanco')
		const links = await client.request<{ viewToken: string; links: { view: string } }>(
			'GET',
			`/api/rooms/${room.roomId}/links`,
			{
				facilitatorKey: room.facilitatorKey,
			}
		)
		expect(links.status).toBe(200)
		expect(links.body.viewToken).toBe(room.viewToken)
		expect(links.body.links.view).toBe(room.links.view)
		const participant = await client.joinRoom(room.joinCode)
		expect(
			(await client.request('GET', `/api/rooms/${room.roomId}/links`, { token: participant.participantToken })).status
		).toBe(403)
		expect((await client.request('GET', `/api/rooms/${room.roomId}/links`)).status).toBe(401)
		// A participant may learn the code (to show a neighbour), not the view link.
		const info = await client.request<Record<string, unknown>>('GET', `/api/rooms/${room.roomId}/join-info`, {
			token: participant.participantToken,
		})
		expect(info.body).toMatchObject({ joinCode: room.joinCode })
		expect(info.body.viewUrl).toBeUndefined()
	})

	it('the same token joins again as the same participant', async () => {
		const room = await client.createRoom('blanco')
		const first = await client.joinRoom(room.joinCode)
		const again = await client.request<{ participantId: string }>('POST', `/api/join/${room.joinCode}`, {
			token: first.participantToken,
		})
		expect(again.status).toBe(200)
		expect(again.body.participantId).toBe(first.participantId)
	})

	it('a participant token connects the websocket as that participant, and writes', async () => {
		const room = await client.createRoom('blanco')
		const participant = await client.joinRoom(room.joinCode)
		const board = connectYClient(server.wsUrl, room.roomId, { participantToken: participant.participantToken })
		try {
			await board.waitForSync()
			const ids = [...server.app.websocketConnections].map((socket) => socket.peer?.participantId)
			expect(ids).toContain(participant.participantId)
			expect(board.doc.getMap(RECORDS_MAP).size).toBeGreaterThan(0)
		} finally {
			board.destroy()
		}
	})
})

describe('new participants are limited per room and per address', () => {
	let server: InProcessServer
	let client: ReturnType<typeof api>

	beforeAll(async () => {
		server = await startServerInProcess({ env: { MAX_PARTICIPANTS_PER_ROOM: '3', NEW_PARTICIPANTS_PER_ADDRESS: '5' } })
		client = api(server.baseUrl)
	})
	afterAll(async () => {
		await server?.close()
	})

	it('refuses the participant over the room limit (429 room_full), then over the address limit (429 rate_limited)', async () => {
		const room = await client.createRoom('blanco')
		for (let i = 0; i < 3; i++) await client.joinRoom(room.joinCode)
		const full = await client.request<{ error: { code: string } }>('POST', `/api/join/${room.joinCode}`)
		expect(full.status).toBe(429)
		expect(full.body.error.code).toBe('room_full')

		const second = await client.createRoom('blanco')
		// Three issued (the refused fourth counted against the address too): one more, then the address is spent.
		await client.joinRoom(second.joinCode)
		const limited = await client.request<{ error: { code: string } }>('POST', `/api/join/${second.joinCode}`)
		expect(limited.status).toBe(429)
		expect(limited.body.error.code).toBe('rate_limited')
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
	})
})
