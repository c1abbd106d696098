import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { SESSION_MAP, readScreeningQueue, type SessionAnswer } from '@kompasbord/shared'
import { bearerToken, isFacilitator, participantOf, requireFacilitator } from '../http/auth'
import { contractRoute, routePlugin, typed } from '../http/contract-route'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import { connectedCounts, sessionTag, waitForSessionChange, type SessionPatch } from '../session'
import { roomFocus } from './focus'
import { withRoom } from './with-room'

/**
 * The facilitator's session state: `GET /api/rooms/:roomId/session` (anyone in the room; with
 * `?wait=<s>&tag=<tag>` it long-polls for a change — phones use it; with the facilitator key it adds who is
 * connected and how many notes are held or hidden) and `PATCH /api/rooms/:roomId/session` (facilitator only):
 * `{phase?, timerSeconds?, timer?, votesPerParticipant?, structureLocked?, screening?, resetVotes?, reveal?}`, answering
 * 200 with the new state. Both answers carry `serverNow` for clock correction.
 */
export const sessionRoutes = routePlugin(
	'kompasbord-session-routes',
	{ dependencies: ['kompasbord-session'], decorators: ['rooms', 'store'] },
	async (app) => {
		const { sessions, held, phones, scores } = app.session

		// The tag covers what is in focus (text and dots) and the score round too: a phone's long poll wakes when
		// focus moves, dots change or a round starts, closes or gets a mark. And every change of the screening queue:
		// a phone learns that its waiting note was approved or rejected.
		const tagOf = (room: Room): string => {
			const focus = roomFocus(room)
			const scoreRound = scores.current(room)
			const queue = readScreeningQueue(room.doc.getMap(SESSION_MAP))
			const tag = sessionTag(sessions.state(room)) + (queue.seq ? `.q${queue.seq}` : '')
			if (!focus && !scoreRound) return tag
			return `${tag}.${createHash('sha1')
				.update(JSON.stringify([focus, scoreRound]))
				.digest('base64url')
				.slice(0, 12)}`
		}

		const answer = async (request: FastifyRequest, room: Room, facilitator: boolean): Promise<SessionAnswer> => {
			const state = sessions.state(room)
			const focus = roomFocus(room)
			const body: SessionAnswer = { roomId: room.id, ...state, serverNow: Date.now(), tag: tagOf(room) }
			if (focus) body.focus = focus
			const scoreRound = scores.current(room)
			if (scoreRound) body.scoreRound = scoreRound
			const queue = readScreeningQueue(room.doc.getMap(SESSION_MAP))
			if (state.screening || queue.waiting > 0) body.awaitingReview = queue.waiting
			if (facilitator) {
				body.connected = connectedCounts(room, phones)
				body.heldNotes = await held.count(room)
				body.hiddenNotes = (await app.store.listHiddenNotes(room.id)).length
				body.joinCode = room.meta.joinCode
			}
			request.log.trace({ roomId: room.id }, 'session answered')
			return body
		}

		/** Whether the facilitator asks; with a participant token, which participant (a phone counts as connected). */
		const askerOf = (request: FastifyRequest, room: Room): { facilitator: boolean; participantId: string | null } => {
			if (isFacilitator(request, room.meta)) return { facilitator: true, participantId: null }
			const participant = participantOf(request, room.id)
			if (participant) return { facilitator: false, participantId: participant.participantId }
			if (bearerToken(request)) {
				throw httpError(403, 'forbidden', 'Neither the facilitator key nor a participant token of this room')
			}
			return { facilitator: false, participantId: null }
		}

		const api = typed(app)
		api.route({
			...contractRoute('getSession'),
			handler: async (request, reply) => {
				reply.header('cache-control', 'no-store')
				const { wait, tag } = request.query
				return withRoom(app.rooms, request.params.roomId, async (room) => {
					const { facilitator, participantId } = askerOf(request, room)
					if (participantId) phones.seen(room.id, participantId)
					if (wait && tag) {
						const gone = new AbortController()
						const onClose = () => gone.abort()
						reply.raw.once('close', onClose)
						try {
							await waitForSessionChange(room, () => tagOf(room) === tag, wait * 1000, gone.signal)
						} finally {
							reply.raw.off('close', onClose)
						}
						if (participantId) phones.seen(room.id, participantId)
					}
					return answer(request, room, facilitator)
				})
			},
		})

		api.route({
			...contractRoute('patchSession'),
			handler: async (request) => {
				const body = request.body ?? {}
				return withRoom(app.rooms, request.params.roomId, async (room) => {
					requireFacilitator(request, room.meta)
					if (Object.keys(body).length === 0) {
						throw httpError(
							400,
							'nothing_to_change',
							'Send phase, timerSeconds, timer, votesPerParticipant, structureLocked, screening, resetVotes or reveal'
						)
					}
					const { revealed } = await sessions.patch(room, body as SessionPatch)
					return { ...(await answer(request, room, true)), revealed }
				})
			},
		})
	}
)
