import { RECORDS_MAP } from '@kompasbord/shared'
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openApiPlugin } from '../server/src/http/openapi'
import { notesPlugin } from '../server/src/notes/notes-plugin'
import { noteRoutes } from '../server/src/routes/notes'
import { sessionPlugin } from '../server/src/session'
import { api } from './support/api'
import { type InProcessServer, startServerInProcess } from './support/server-in-process'

describe('plugins', () => {
	let server: InProcessServer
	beforeAll(async () => {
		server = await startServerInProcess()
	})
	afterAll(() => server?.close())

	it('refuse to start in the wrong order: a plugin registered before what it needs fails at start', async () => {
		// The note routes before the notes plugin (and so before app.notes exists).
		const early = Fastify({ logger: false })
		early.decorate('rooms', server.app.rooms)
		await early.register(openApiPlugin)
		await expect(early.register(noteRoutes)).rejects.toThrow(/kompasbord-notes|notes/)
		await early.close()

		// The session toolkit needs the notes plugin before it.
		const noNotes = Fastify({ logger: false })
		noNotes.decorate('store', server.app.store)
		noNotes.decorate('rooms', server.app.rooms)
		await expect(noNotes.register(sessionPlugin)).rejects.toThrow(/notes/)
		await noNotes.close()

		// A route plugin before the OpenAPI plugin would be missing from the document: refused too.
		const noOpenApi = Fastify({ logger: false })
		noOpenApi.decorate('store', server.app.store)
		noOpenApi.decorate('rooms', server.app.rooms)
		await noOpenApi.register(notesPlugin)
		await expect(noOpenApi.register(noteRoutes)).rejects.toThrow(/kompasbord-openapi/)
		await noOpenApi.close()
	})

	it('decorate each service once: the note routes and the toolkit share one note service', async () => {
		const client = api(server.baseUrl)
		const room = await client.createRoom('dos-en-donts')
		const phone = await client.joinRoom(room.joinCode)
		const note = {
			zoneId: 'dos',
			text: 'Eén keer, langs twee wegen',
			clientNoteId: 'client-note-plugins-1',
		}
		// The same note at the same moment over HTTP (the note routes) and through app.notes (what the held-notes
		// and moderation code use): one note, one id — they share the service's in-flight map and ledger.
		const [posted, direct] = await Promise.all([
			client.postNote(room.roomId, note, phone.participantToken),
			server.app.rooms.use(room.roomId, (loaded) =>
				server.app.notes.create(loaded, {
					...note,
					participantId: phone.participantId,
					color: 'yellow',
					authorName: null,
				})
			),
		])
		expect(direct?.noteId).toBe(posted.noteId)
		// The HTTP path goes through app.notes itself (before, the note routes made and decorated a second service
		// in their own scope): count the calls that reach the app's one service while a retry comes in over HTTP.
		const service = server.app.notes
		const create = service.create
		let calls = 0
		service.create = (...args) => {
			calls++
			return create.apply(service, args)
		}
		try {
			const retried = await client.postNote(room.roomId, note, phone.participantToken)
			expect(retried.noteId).toBe(posted.noteId)
		} finally {
			service.create = create
		}
		expect(calls).toBe(1)
		const notes = await server.app.rooms.use(room.roomId, (loaded) =>
			[...loaded.doc.getMap<{ typeName: string; type?: string }>(RECORDS_MAP).values()].filter(
				(r) => r.typeName === 'shape' && r.type === 'note'
			)
		)
		expect(notes).toHaveLength(1)
	})
})
