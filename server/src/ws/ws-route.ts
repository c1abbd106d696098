import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { httpError } from '../http/errors'
import { verifyKey } from '../rooms/credentials'
import type { Role } from '../rooms/room'
import { CloseCode } from './protocol'
import { PeerConnection } from './peer-connection'

interface WsQuery {
	key?: string
	view?: string
	/** The participant id a board shares with the phone (held notes, votes); same shape as the API's. */
	pid?: string
}

/** A participant id as the notes and votes API accept it. */
const PARTICIPANT_ID = /^[A-Za-z0-9_-]{8,100}$/

declare module 'fastify' {
	interface FastifyRequest {
		kompasbordRole?: Role
	}
}

/**
 * `GET /ws/:roomId`: the y-websocket endpoint. Unknown rooms are refused before the upgrade (404); `?key=`
 * with the facilitator key gives facilitator rights (a wrong key is refused with 403), `?view=1` is read-only.
 */
export const wsRoutes: FastifyPluginAsync = async (app) => {
	const resolveRole = async (request: FastifyRequest<{ Params: { roomId: string }; Querystring: WsQuery }>) => {
		const room = await app.store.getRoom(request.params.roomId)
		if (!room) throw httpError(404, 'room_not_found', 'No room with this id')
		const { key, view } = request.query
		if (key !== undefined) {
			if (!verifyKey(key, room.facilitatorKeyHash)) throw httpError(403, 'bad_key', 'Wrong facilitator key')
			request.kompasbordRole = 'facilitator'
		} else {
			request.kompasbordRole = view === '1' || view === 'true' ? 'viewer' : 'participant'
		}
	}

	app.get<{ Params: { roomId: string }; Querystring: WsQuery }>(
		'/ws/:roomId',
		{ websocket: true, preValidation: resolveRole },
		(socket, request) => {
			const { roomId } = request.params
			const log = request.log.child({ roomId })
			// Listener first (inside the constructor), then the await: no early message is lost.
			const pid = request.query.pid
			const participantId = pid && PARTICIPANT_ID.test(pid) ? pid : null
			const peer = new PeerConnection(
				socket,
				request.kompasbordRole ?? 'viewer',
				log,
				app.config.pingIntervalMs,
				participantId
			)
			void (async () => {
				let room
				try {
					room = await app.rooms.acquire(roomId)
				} catch (error) {
					log.error({ err: error }, 'loading the room failed')
					peer.close(CloseCode.internalError, 'room failed to load')
					return
				}
				if (!room) {
					peer.close(CloseCode.roomNotFound, 'room not found')
					return
				}
				const loaded = room
				if (peer.isClosed) {
					app.rooms.release(loaded)
					return
				}
				peer.onClose = () => app.rooms.release(loaded)
				peer.attach(loaded)
			})()
		}
	)
}
