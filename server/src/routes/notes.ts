import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { isFacilitator } from '../http/auth'
import { contractRoute, typed, routePlugin } from '../http/contract-route'
import { httpError } from '../http/errors'
import { refuseRateLimited } from '../http/rate-limit'
import { normalizeAuthorName, normalizeNoteColor, normalizeNoteText } from '../notes/note-input'
import type { NoteActor, NoteChange } from '../notes/note-service'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

/**
 * Phone notes: `POST /api/rooms/:roomId/notes` (201 new, 200 known `clientNoteId`), `GET
 * /api/rooms/:roomId/notes?participantId=` (that participant's notes), `PATCH` / `DELETE
 * /api/rooms/:roomId/notes/:noteId` (the note's participant via `participantId` in the body, or the
 * facilitator via `Authorization: Bearer <facilitatorKey>`). Posts, edits and deletes are rate-limited per
 * participant. Uses the app's one note service (`app.notes`, notes-plugin), which holds new notes back during
 * private writing, so a retried post is idempotent whichever path made the note.
 */
export const noteRoutes = routePlugin(
	'kompasbord-note-routes',
	{ dependencies: ['kompasbord-notes', 'kompasbord-rate-limits'], decorators: ['rooms'] },
	async (app) => {
		const notes = app.notes
		const api = typed(app)

		/** Posts and changes (edits, deletes) have separate buckets: a full outbox never blocks a delete. */
		const limitParticipant = (
			reply: FastifyReply,
			roomId: string,
			participantId: string,
			kind: 'post' | 'change' = 'post'
		) => {
			const decision = app.rateLimits.notePosts.take(`${kind}\u0000${roomId}\u0000${participantId}`)
			if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many notes in a short time; wait a moment')
		}

		/** The facilitator, or else the participant named in the body (400 when neither). */
		const actorOf = (request: FastifyRequest, room: Room, participantId: string | undefined): NoteActor => {
			if (isFacilitator(request, room.meta)) return { kind: 'facilitator' }
			if (request.headers.authorization) throw httpError(403, 'forbidden', 'Wrong facilitator key')
			if (!participantId)
				throw httpError(400, 'participant_required', 'Send your participantId, or the facilitator key')
			return { kind: 'participant', participantId }
		}

		api.route({
			...contractRoute('postNote'),
			handler: async (request, reply) => {
				const { roomId } = request.params
				const body = request.body
				limitParticipant(reply, roomId, body.participantId)
				const text = normalizeNoteText(body.text)
				const color = normalizeNoteColor(body.color)
				const authorName = normalizeAuthorName(body.authorName)
				const result = await withRoom(app.rooms, roomId, (room) =>
					notes.create(room, {
						zoneId: body.zoneId,
						text,
						color,
						authorName,
						participantId: body.participantId,
						clientNoteId: body.clientNoteId,
					})
				)
				reply.code(result.created ? 201 : 200)
				return { noteId: result.noteId, status: result.status }
			},
		})

		api.route({
			...contractRoute('listNotes'),
			handler: async (request, reply) => {
				reply.header('cache-control', 'no-store')
				const list = await withRoom(app.rooms, request.params.roomId, (room) =>
					notes.listFor(room, request.query.participantId)
				)
				return { notes: list }
			},
		})

		api.route({
			...contractRoute('patchNote'),
			handler: async (request, reply) => {
				const { roomId, noteId } = request.params
				const body = request.body
				const change: NoteChange = {}
				if (body.text !== undefined) change.text = normalizeNoteText(body.text)
				if (body.color !== undefined) change.color = normalizeNoteColor(body.color)
				if (body.zoneId !== undefined) change.zoneId = body.zoneId
				if (Object.keys(change).length === 0) throw httpError(400, 'nothing_to_change', 'Send text, color or zoneId')
				return withRoom(app.rooms, roomId, async (room) => {
					const actor = actorOf(request, room, body.participantId)
					if (actor.kind === 'participant') limitParticipant(reply, roomId, actor.participantId, 'change')
					return notes.update(room, noteId, change, actor)
				})
			},
		})

		api.route({
			...contractRoute('deleteNote'),
			handler: async (request, reply) => {
				const { roomId, noteId } = request.params
				return withRoom(app.rooms, roomId, async (room) => {
					const actor = actorOf(request, room, request.body?.participantId)
					if (actor.kind === 'participant') limitParticipant(reply, roomId, actor.participantId, 'change')
					await notes.remove(room, noteId, actor)
					return { noteId, status: 'deleted' as const }
				})
			},
		})
	}
)
