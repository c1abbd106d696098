import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'
import { WebSocketServer } from 'ws'
import { verifyKey } from '../rooms/credentials'
import type { Role } from '../rooms/room'
import { AddressLimits, type AddressTicket } from './address-limits'
import { CloseCode } from './protocol'
import { OpenSockets } from './open-sockets'
import { PeerConnection, PeerSocket, type PeerHost } from './peer-connection'
import { PingSweep } from './ping-sweep'
import { UpgradeRefusal, WS_SUBPROTOCOL, parseWsTarget, refuseUpgrade, type WsTarget } from './upgrade-request'

declare module 'fastify' {
	interface FastifyInstance {
		/** The open connections of the y-websocket endpoint. */
		websocketConnections: OpenSockets<PeerSocket>
	}
}

/** After the 1012 close frames go out on shutdown, sockets that have not completed the close are cut. */
const SHUTDOWN_CLOSE_GRACE_MS = 1000

/**
 * `GET /ws/:roomId`: the y-websocket endpoint, taken from the HTTP server's `upgrade` event (not through a
 * Fastify route: a route's request and reply would stay alive with every socket). Unknown rooms are refused
 * before the upgrade (HTTP 404). The client offers the subprotocol `kompasbord` and its credential as a second
 * one (see upgrade-request.ts): `kompasbord-facilitator.<key>` (facilitator), `kompasbord-participant.<token>`
 * (participant; the token's participant id is the connection's), `kompasbord-view.<viewToken>` (read-only).
 * No credential: 401; a wrong one: 403. Messages over `maxMessageBytes` close the socket with 1009. On shutdown every client hears 1012 (service restart) and
 * reconnects to the next server.
 */
export const wsRoutes: FastifyPluginAsync = fp(
	async (app) => {
		const wss = new WebSocketServer({
			noServer: true,
			maxPayload: app.config.maxMessageBytes,
			WebSocket: PeerSocket,
			clientTracking: false,
			// The credential is a second subprotocol; the one the server answers with is always `kompasbord`.
			handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
		})
		const sockets = new OpenSockets<PeerSocket>()
		app.decorate('websocketConnections', sockets)
		const limits = new AddressLimits(app.config.wsMaxSocketsPerAddress, app.config.wsMaxRoomsPerAddress)
		const host: PeerHost = {
			log: app.log,
			maxBufferedBytes: app.config.wsMaxBufferedBytes,
			peerClosed(socket, room) {
				sockets.delete(socket)
				if (socket.addressTicket) limits.release(socket.addressTicket)
				socket.addressTicket = null
				if (room) app.rooms.release(room)
			},
		}
		const sweep = new PingSweep(sockets, app.config.pingIntervalMs, (socket) => {
			app.log.info({ roomId: socket.peer?.roomId }, 'websocket missed a pong; terminating it')
		})
		sweep.start()
		let closing = false

		const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
			// Node takes its error listener off before 'upgrade'; until ws has the socket, errors end it here.
			socket.on('error', destroySocket)
			if (closing) {
				refuseUpgrade(socket, new UpgradeRefusal(503, 'shutting_down', 'The server is shutting down'))
				return
			}
			const target = parseWsTarget(request.url ?? '/', request.headers['sec-websocket-protocol'])
			if (target instanceof UpgradeRefusal) {
				refuseUpgrade(socket, target)
				return
			}
			void admit(request, socket, head, target)
		}

		/** Checks the room and the key, then upgrades and joins the room. */
		const admit = async (request: IncomingMessage, socket: Duplex, head: Buffer, target: WsTarget): Promise<void> => {
			let role: Admission | UpgradeRefusal
			try {
				role = await resolveRole(app, target)
			} catch (error) {
				app.log.error({ err: error, roomId: target.roomId }, 'websocket upgrade failed')
				role = new UpgradeRefusal(500, 'internal', 'Internal server error')
			}
			if (role instanceof UpgradeRefusal) {
				refuseUpgrade(socket, role)
				return
			}
			const granted = role
			const address = request.socket.remoteAddress ?? 'unknown'
			const ticket = limits.admit(address, target.roomId)
			if (typeof ticket === 'string') {
				app.log.warn({ address, roomId: target.roomId, reason: ticket }, 'websocket refused: address limit')
				refuseUpgrade(socket, addressRefusal(ticket))
				return
			}
			socket.removeListener('error', destroySocket)
			let upgraded = false
			wss.handleUpgrade(request, socket, head, (ws) => {
				upgraded = true
				ws.addressTicket = ticket
				sockets.add(ws)
				void join(app, new PeerConnection(ws, granted.role, target.roomId, host, granted.participantId), target.roomId)
			})
			// ws completes a valid upgrade synchronously (no verifyClient); one it refused never opened.
			if (!upgraded) limits.release(ticket)
		}

		app.server.on('upgrade', onUpgrade)

		app.addHook('preClose', async () => {
			closing = true
			sweep.stop()
			wss.close()
			await sockets.closeAll(CloseCode.serviceRestart, 'server restarting', SHUTDOWN_CLOSE_GRACE_MS)
		})
		app.addHook('onClose', async () => {
			app.server.removeListener('upgrade', onUpgrade)
		})
	},
	{ name: 'kompasbord-websocket' }
)

/** The 429 answer to an upgrade over an address limit. */
function addressRefusal(reason: AddressTicket | 'too_many_sockets' | 'too_many_rooms'): UpgradeRefusal {
	return reason === 'too_many_rooms'
		? new UpgradeRefusal(429, 'too_many_rooms', 'Too many boards open from this address')
		: new UpgradeRefusal(429, 'too_many_connections', 'Too many connections from this address')
}

function destroySocket(this: Duplex): void {
	this.destroy()
}

/** What a checked credential grants: the role, and for a participant the id its token names. */
interface Admission {
	role: Role
	participantId: string | null
}

/** The role the target's credential grants, or why the upgrade is refused. */
async function resolveRole(app: FastifyInstance, target: WsTarget): Promise<Admission | UpgradeRefusal> {
	const room = await app.store.getRoom(target.roomId)
	if (!room) return new UpgradeRefusal(404, 'room_not_found', 'No room with this id')
	const credential = target.credential
	if (!credential) {
		return new UpgradeRefusal(
			401,
			'credential_required',
			'Offer the subprotocol "kompasbord" and a credential: kompasbord-participant.<token>, kompasbord-view.<token> or kompasbord-facilitator.<key>'
		)
	}
	switch (credential.kind) {
		case 'facilitator':
			if (!verifyKey(credential.secret, room.facilitatorKeyHash))
				return new UpgradeRefusal(403, 'bad_key', 'Wrong facilitator key')
			return { role: 'facilitator', participantId: null }
		case 'participant': {
			const identity = app.participantTokens.verify(room.roomId, credential.secret)
			if (!identity)
				return new UpgradeRefusal(403, 'bad_participant_token', 'This is not a participant token of this room')
			return { role: 'participant', participantId: identity.participantId }
		}
		case 'view':
			if (!app.participantTokens.verifyViewToken(room.roomId, room.facilitatorKeyHash, credential.secret)) {
				return new UpgradeRefusal(403, 'bad_view_token', 'Wrong view token')
			}
			return { role: 'viewer', participantId: null }
	}
}

/** Loads (or retains) the room and attaches the peer; closes the socket if the room is gone or fails to load. */
async function join(app: FastifyInstance, peer: PeerConnection, roomId: string): Promise<void> {
	let room: Awaited<ReturnType<typeof app.rooms.acquire>>
	try {
		room = await app.rooms.acquire(roomId)
	} catch (error) {
		app.log.error({ err: error, roomId }, 'loading the room failed')
		peer.close(CloseCode.internalError, 'room failed to load')
		return
	}
	if (!room) {
		peer.close(CloseCode.roomNotFound, 'room not found')
		return
	}
	if (peer.isClosed) {
		app.rooms.release(room)
		return
	}
	try {
		peer.attach(room)
	} catch (error) {
		// The peer is in the room by now: closing the socket removes it and releases the room.
		app.log.error({ err: error, roomId }, 'joining the room failed')
		peer.close(CloseCode.internalError, 'joining the room failed')
	}
}
