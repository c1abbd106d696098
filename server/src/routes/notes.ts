import type { FastifyReply, FastifyRequest } from 'fastify'
import { isFacilitator, participantOf, requireParticipant } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import { refuseRateLimited } from '../http/rate-limit'
import { normalizeAuthorName, normalizeNoteColor, normalizeNoteText } from '../notes/note-input'
import type { NoteActor, NoteChange } from '../notes/note-service'
import type { Room } from '../rooms/room'
import { withRoom } from './with-room'

/**
 * Phone notes: `POST /api/rooms/:roomId/notes` (201 new, 200 known `clientNoteId`), `GET
 * /api/rooms/:roomId/notes` (the participant's notes), `PATCH` / `DELETE /api/rooms/:roomId/notes/:noteId`
 * (the note's participant, or the facilitator). Who is asking comes from `Authorization: Bearer <token>`: a
 * participant token the server issued for this room (`POST /api/join/:joinCode`), or the facilitator key —
 * never from an id in the body or the URL. Posts, edits and deletes are rate-limited per participant. Uses the app's one note service (`app.notes`, notes-plugin), which holds new notes back during
 * private writing, so a retried post is idempotent whichever path made the note.
 */
export const noteRoutes = routePlugin(
	'kompasbord-note-routes',
	{ dependencies: ['kompasbord-notes', 'kompasbord-rate-limits'], decorators: ['rooms'] },
	async (app) => {
		const notes = app.notes
		const api = typed(app)

		/** Posts and changes (edits, deletes) have separate buckets: a full outbox never blocks a delete. */
		const limitParticipant = async (
			reply: FastifyReply,
			roomId: string,
			participantId: string,
			kind: 'post' | 'change' = 'post'
		) => {
			const decision = await app.rateLimits.notePosts.take(`${kind}\u0000${roomId}\u0000${participantId}`)
			if (!decision.allowed) refuseRateLimited(reply, decision, 'Too many notes in a short time; wait a moment')
		}

		/** The facilitator, or else the participant the token names (401 without either, 403 with another key). */
		const actorOf = (request: FastifyRequest, room: Room): NoteActor => {
			if (isFacilitator(request, room.meta)) return { kind: 'facilitator' }
			const participant = participantOf(request, room.id)
			if (participant) return { kind: 'participant', participantId: participant.participantId }
			if (request.headers.authorization) {
				throw httpError(403, 'forbidden', 'Neither the facilitator key nor a participant token of this room')
			}
			return { kind: 'participant', participantId: requireParticipant(request, room.id).participantId }
		}

		api.route({
			...contractRoute('postNote'),
			handler: async (request, reply) => {
				const { roomId } = request.params
				const body = request.body
				const { participantId } = requireParticipant(request, roomId)
				await limitParticipant(reply, roomId, participantId)
				const text = normalizeNoteText(body.text)
				const color = normalizeNoteColor(body.color)
				const authorName = normalizeAuthorName(body.authorName)
				const result = await withRoom(app.rooms, roomId, (room) =>
					notes.create(room, {
						zoneId: body.zoneId,
						text,
						color,
						authorName,
						participantId,
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
				const { participantId } = requireParticipant(request, request.params.roomId)
				const list = await withRoom(app.rooms, request.params.roomId, (room) => notes.listFor(room, participantId))
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
					const actor = actorOf(request, room)
					if (actor.kind === 'participant') await limitParticipant(reply, roomId, actor.participantId, 'change')
					return notes.update(room, noteId, change, actor)
				})
			},
		})

		api.route({
			...contractRoute('deleteNote'),
			handler: async (request, reply) => {
				const { roomId, noteId } = request.params
				return withRoom(app.rooms, roomId, async (room) => {
					const actor = actorOf(request, room)
					if (actor.kind === 'participant') await limitParticipant(reply, roomId, actor.participantId, 'change')
					await notes.remove(room, noteId, actor)
					return { noteId, status: 'deleted' as const }
				})
			},
		})
	}
)
