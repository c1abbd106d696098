import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, connectYClient, startServerProcess, type ServerProcess } from '../support'

/**
 * No participant ids or tokens in the server's log (issue 11, item 5): a real server process at log level
 * info (every request logged) serves a participant's whole round — join, notes, votes, the session long poll,
 * the board's websocket — and an old phone that still sends its id in the query; its stderr never shows an
 * id or a token.
 */
describe('server log', () => {
	let server: ServerProcess

	beforeAll(async () => {
		server = await startServerProcess({ env: { LOG_LEVEL: 'info' } })
	})
	afterAll(async () => {
		await server?.stop()
	})

	it('holds no participant id, participant token, view token or facilitator key', async () => {
		const client = api(server.baseUrl)
		const room = await client.createRoom('dos-en-donts')
		const me = await client.joinRoom(room.joinCode)
		const token = me.participantToken
		const posted = await client.postNote(
			room.roomId,
			{ zoneId: 'dos', text: 'Luisteren', clientNoteId: 'note-log-0001' },
			token
		)
		await client.request('GET', `/api/rooms/${room.roomId}/notes`, { token })
		await client.patchNote(room.roomId, posted.noteId, { text: 'Goed luisteren' }, token)
		await client.request('GET', `/api/rooms/${room.roomId}/session?wait=0`, { token })
		await client.patchSession(room.roomId, room.facilitatorKey, { phase: 'voting', votesPerParticipant: 2 })
		await client.vote(room.roomId, { noteId: posted.noteId }, token)
		await client.request('GET', `/api/rooms/${room.roomId}/votes`, { token })
		// An old phone page: its id (and a token) in the query.
		await client.request('GET', `/api/rooms/${room.roomId}/notes?participantId=${me.participantId}&token=${token}`)
		await client.request('GET', `/api/rooms/${room.roomId}/votes?participantId=${me.participantId}`)
		await client.request('GET', `/api/rooms/${room.roomId}/session?participantId=${me.participantId}&wait=0`)
		const board = connectYClient(server.wsUrl, room.roomId, { participantToken: token })
		const viewer = connectYClient(server.wsUrl, room.roomId, { viewToken: room.viewToken })
		try {
			await Promise.all([board.waitForSync(), viewer.waitForSync()])
		} finally {
			board.destroy()
			viewer.destroy()
		}
		await client.deleteNote(room.roomId, posted.noteId, undefined, token)
		await server.stop()

		const log = server.output()
		expect(log).toContain('request completed')
		expect(log).toContain(`/api/rooms/${room.roomId}/notes`)
		for (const secret of [me.participantId, token, token.split('.')[3], room.viewToken, room.facilitatorKey]) {
			expect(log).not.toContain(secret)
		}
	})
})
