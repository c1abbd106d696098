import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Static } from '@sinclair/typebox'
import type { DeletedNote, NoteList, NoteView, PostedNote } from '@kompasbord/shared'
import { isFacilitator } from '../http/auth'
import { httpError } from '../http/errors'
import { refuseRateLimited } from '../http/rate-limit'
import {
	CreateNoteBody,
	DeleteNoteBody,
	ListNotesQuery,
	NoteParams,
	PatchNoteBody,
	RoomParams,
	normalizeAuthorName,
	normalizeNoteColor,
	normalizeNoteText,
} from '../notes/note-input'
import { NoteService, type NoteActor, type NoteChange } from '../notes/note-service'
import type { Room } from '../rooms/room'
import { isPrivateWriting } from '../session'
import { withRoom } from './with-room'

declare module 'fastify' {
	interface FastifyInstance {
		/** The note service (phone notes into the doc); the facilitator toolkit extends it. */
		notes: NoteService
	}
}

type RoomParamsType = Static<typeof RoomParams>
type NoteParamsType = Static<typeof NoteParams>

/**
 * Phone notes: `POST /api/rooms/:roomId/notes` (201 new, 200 known `clientNoteId`), `GET
 * /api/rooms/:roomId/notes?participantId=` (that participant's notes), `PATCH` / `DELETE
 * /api/rooms/:roomId/notes/:noteId` (the note's participant via `participantId` in the body, or the
 * facilitator via `Authorization: Bearer <facilitatorKey>`). Posts, edits and deletes are rate-limited per
 * participant. Needs the `rateLimitPlugin` registered before it.
 */
export const noteRoutes: FastifyPluginAsync = async (app) => {
	// During private writing new notes are held back until the facilitator reveals them (server/src/session).
	const notes = new NoteService(app.store, { holdNotes: isPrivateWriting })
	app.decorate('notes', notes)

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
		if (!participantId) throw httpError(400, 'participant_required', 'Send your participantId, or the facilitator key')
		return { kind: 'participant', participantId }
	}

	app.post<{ Params: RoomParamsType; Body: CreateNoteBody }>(
		'/api/rooms/:roomId/notes',
		{ schema: { params: RoomParams, body: CreateNoteBody } },
		async (request, reply): Promise<PostedNote> => {
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
		}
	)

	app.get<{ Params: RoomParamsType; Querystring: ListNotesQuery }>(
		'/api/rooms/:roomId/notes',
		{ schema: { params: RoomParams, querystring: ListNotesQuery } },
		async (request, reply): Promise<NoteList> => {
			reply.header('cache-control', 'no-store')
			const list = await withRoom(app.rooms, request.params.roomId, (room) =>
				notes.listFor(room, request.query.participantId)
			)
			return { notes: list }
		}
	)

	app.patch<{ Params: NoteParamsType; Body: PatchNoteBody }>(
		'/api/rooms/:roomId/notes/:noteId',
		{ schema: { params: NoteParams, body: PatchNoteBody } },
		async (request, reply): Promise<NoteView> => {
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
		}
	)

	app.delete<{ Params: NoteParamsType; Body: DeleteNoteBody }>(
		'/api/rooms/:roomId/notes/:noteId',
		{ schema: { params: NoteParams, body: DeleteNoteBody } },
		async (request, reply): Promise<DeletedNote> => {
			const { roomId, noteId } = request.params
			return withRoom(app.rooms, roomId, async (room) => {
				const actor = actorOf(request, room, request.body?.participantId)
				if (actor.kind === 'participant') limitParticipant(reply, roomId, actor.participantId, 'change')
				await notes.remove(room, noteId, actor)
				return { noteId, status: 'deleted' }
			})
		}
	)
}
