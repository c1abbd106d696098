import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import fastifyWebsocket, { type WebsocketPluginOptions } from '@fastify/websocket'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { WebSocket } from 'ws'
import { errorBody } from '../http/errors'
import { verifyKey } from '../rooms/credentials'
import type { Role } from '../rooms/room'
import { AddressLimits, type AddressTicket } from './address-limits'
import { CloseCode } from './protocol'
import { OpenSockets } from './open-sockets'
import { PeerConnection, PeerSocket, type PeerHost } from './peer-connection'
import { PingSweep } from './ping-sweep'
import { UpgradeRefusal, WS_SUBPROTOCOL, credentialFrom } from './upgrade-request'

declare module 'fastify' {
	interface FastifyInstance {
		/** The open connections of the y-websocket endpoint. */
		websocketConnections: OpenSockets<PeerSocket>
	}
	interface FastifyRequest {
		/** What the y-websocket route's admission granted an upgrade request (ws-route.ts); null on any other. */
		wsAdmission: WsAdmission | null
	}
}

/** The `ws` server options of @fastify/websocket. */
type WsServerOptions = NonNullable<WebsocketPluginOptions['options']>

/** The y-websocket route (docs/API.md). */
export const WS_ROUTE = '/ws/:roomId'

/** After the 1012 close frames go out on shutdown, sockets that have not completed the close are cut. */
const SHUTDOWN_CLOSE_GRACE_MS = 1000

/**
 * What the admission hook hands the websocket handler: all the connection keeps of its upgrade request (the
 * request, its reply and their logger are let go once the socket is open).
 */
interface WsAdmission {
	role: Role
	/** For a participant, the id its token names. */
	participantId: string | null
	roomId: string
	/** What the address limits counted; the socket's once it opens. */
	ticket: AddressTicket
	/** Gives the ticket back if the TCP connection closes before the upgrade (ws refused it, the client left). */
	releaseUnopened: () => void
	/** The response @fastify/websocket made for the upgrade request, holding the socket until it is detached. */
	response: ServerResponse
}

/**
 * `GET /ws/:roomId`: the y-websocket endpoint, a Fastify route through `@fastify/websocket`. Every refusal
 * happens before the upgrade, in the route's `preValidation` hook, as an HTTP error with the contract's JSON
 * body: an unknown room 404, no credential 401, a wrong one 403, an address over its caps 429 (the server's
 * shutdown 503, app.ts). The client offers the subprotocol `kompasbord` and its credential as a second one (see
 * upgrade-request.ts): `kompasbord-facilitator.<key>` (facilitator), `kompasbord-participant.<token>`
 * (participant; the token's participant id is the connection's), `kompasbord-view.<viewToken>` (read-only).
 * Messages over `maxMessageBytes` close the socket with 1009. On shutdown every client hears 1012 (service
 * restart) and reconnects to the next server.
 *
 * An idle connection costs little more than its socket: nothing of the upgrade request stays reachable from it
 * (see `openSocket`), one timer pings every socket ({@link PingSweep}), the socket listeners are functions
 * shared by all connections, and the open sockets are kept in one set ({@link OpenSockets}).
 */
export const wsRoutes: FastifyPluginAsync = fp(
	async (app) => {
		await app.register(fastifyWebsocket, {
			options: {
				maxPayload: app.config.maxMessageBytes,
				// No compression (ws's default, said here because PeerConnection.send writes whole frames to the socket).
				perMessageDeflate: false,
				// ws's class with the connection's fields (@fastify/websocket's types expect ws's statics on it).
				WebSocket: PeerSocket as unknown as WsServerOptions['WebSocket'],
				// Our own set (OpenSockets): ws's tracking gives every socket a 'close' closure.
				clientTracking: false,
				// The credential is a second subprotocol; the one the server answers with is always `kompasbord`.
				handleProtocols: (protocols) => (protocols.has(WS_SUBPROTOCOL) ? WS_SUBPROTOCOL : false),
			},
			// Shutdown is ours (below): 1012 to every socket, cut after a grace.
			preClose: (done) => done(),
		})
		const sockets = new OpenSockets<PeerSocket>()
		app.decorate('websocketConnections', sockets)
		app.decorateRequest('wsAdmission', null)
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

		// @fastify/websocket routes an upgrade request to whatever route its URL matches and upgrades it there;
		// only the y-websocket route may.
		app.addHook('onRequest', async (request, reply) => {
			if (request.ws && request.routeOptions.url !== WS_ROUTE) {
				const path = request.url.split('?')[0]
				return refuse(reply, new UpgradeRefusal(404, 'not_found', `No websocket endpoint at ${path}`))
			}
		})

		/** Checks the room, the credential and the address caps; refuses before the upgrade, or admits. */
		const admit = async (request: FastifyRequest<{ Params: { roomId: string } }>, reply: FastifyReply) => {
			if (!request.ws) return
			const roomParam = request.params.roomId
			if (!roomParam) return refuse(reply, new UpgradeRefusal(404, 'not_found', 'No websocket endpoint at /ws/'))
			let granted: Admission | UpgradeRefusal
			try {
				granted = await resolveRole(app, roomParam, request.headers['sec-websocket-protocol'])
			} catch (error) {
				request.log.error({ err: error, roomId: roomParam }, 'websocket upgrade failed')
				granted = new UpgradeRefusal(500, 'internal', 'Internal server error')
			}
			if (granted instanceof UpgradeRefusal) return refuse(reply, granted)
			// A client that left while its credential was checked: ws will not upgrade it, and no ticket is taken.
			if (request.raw.socket.destroyed) return
			const roomId = granted.roomId
			const address = request.socket.remoteAddress ?? 'unknown'
			const ticket = limits.admit(address, roomId)
			if (typeof ticket === 'string') {
				request.log.warn({ address, roomId, reason: ticket }, 'websocket refused: address limit')
				return refuse(reply, addressRefusal(ticket))
			}
			const releaseUnopened = () => limits.release(ticket)
			request.raw.socket.once('close', releaseUnopened)
			request.wsAdmission = { ...granted, ticket, releaseUnopened, response: reply.raw }
		}

		/** The upgraded socket: keeps what the admission granted, lets the request go, joins the room. */
		const openSocket = (ws: WebSocket, request: FastifyRequest): void => {
			const admission = request.wsAdmission
			request.wsAdmission = null
			const socket = ws as PeerSocket
			// @fastify/websocket's 'error' listener is a closure over the request and reply: PeerConnection has
			// its own, shared by every socket.
			socket.removeAllListeners('error')
			if (!admission) {
				socket.terminate()
				return
			}
			// Opened: the ticket is the socket's now (given back by PeerHost.peerClosed).
			request.raw.socket.removeListener('close', admission.releaseUnopened)
			// @fastify/websocket made a response for the upgrade request and attached it to the TCP socket, which
			// would keep it (and with it the request) for the connection's life.
			const tcp = admission.response.socket
			if (tcp) admission.response.detachSocket(tcp)
			dropSpentIdleTimer(request.raw.socket)
			socket.addressTicket = admission.ticket
			sockets.add(socket)
			const peer = new PeerConnection(socket, admission.role, admission.roomId, host, admission.participantId)
			void join(app, peer, admission.roomId)
		}

		app.route<{ Params: { roomId: string } }>({
			method: 'GET',
			url: WS_ROUTE,
			exposeHeadRoute: false,
			// Not in the OpenAPI document (it describes the HTTP API); docs/API.md describes the endpoint.
			schema: { hide: true },
			preValidation: admit,
			// A GET without an upgrade: nothing here, as before the route existed.
			handler: async (request, reply) => {
				return reply.code(404).send(errorBody('not_found', `No route GET ${request.url.split('?')[0]}`))
			},
			wsHandler: openSocket,
		})

		app.addHook('preClose', async () => {
			sweep.stop()
			// ws refuses (503) an upgrade that was admitted before the shutdown began and completes after it.
			app.websocketServer.close()
			await sockets.closeAll(CloseCode.serviceRestart, 'server restarting', SHUTDOWN_CLOSE_GRACE_MS)
		})
	},
	{ name: 'kompasbord-websocket', decorators: { fastify: ['config', 'rooms', 'store', 'participantTokens'] } }
)

/** Answers an upgrade request with the refusal's status and JSON error; @fastify/websocket then ends the socket. */
function refuse(reply: FastifyReply, refusal: UpgradeRefusal): FastifyReply {
	return reply.code(refusal.statusCode).send(errorBody(refusal.code, refusal.message))
}

/**
 * The HTTP server gave the TCP socket an idle timer (`connectionTimeout`); ws stops it (`setTimeout(0)`), but
 * Node keeps the stopped timer object on the socket for its life: 120 bytes per connection. It is let go here
 * when it is stopped (a socket whose timer runs is left alone).
 */
function dropSpentIdleTimer(socket: Socket): void {
	const timer = Object.getOwnPropertySymbols(socket).find((symbol) => symbol.description === 'timeout')
	const holder = socket as unknown as Record<symbol, { _destroyed?: boolean } | null | undefined>
	if (timer && holder[timer]?._destroyed === true) holder[timer] = null
}

/** The 429 answer to an upgrade over an address limit. */
function addressRefusal(reason: 'too_many_sockets' | 'too_many_rooms'): UpgradeRefusal {
	return reason === 'too_many_rooms'
		? new UpgradeRefusal(429, 'too_many_rooms', 'Too many boards open from this address')
		: new UpgradeRefusal(429, 'too_many_connections', 'Too many connections from this address')
}

/** What a checked credential grants: the role, and for a participant the id its token names. */
interface Admission {
	role: Role
	participantId: string | null
	/**
	 * The room's id as the store holds it: the connection keeps this one, not the route parameter (a slice of the
	 * request's URL that would keep the whole URL string alive).
	 */
	roomId: string
}

/** The role the credential among the offered subprotocols grants in the room, or why the upgrade is refused. */
async function resolveRole(
	app: FastifyInstance,
	roomId: string,
	protocols: string | string[] | undefined
): Promise<Admission | UpgradeRefusal> {
	const room = await app.store.getRoom(roomId)
	if (!room) return new UpgradeRefusal(404, 'room_not_found', 'No room with this id')
	const credential = credentialFrom(protocols)
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
			return { role: 'facilitator', participantId: null, roomId: room.roomId }
		case 'participant': {
			const identity = app.participantTokens.verify(room.roomId, credential.secret)
			if (!identity)
				return new UpgradeRefusal(403, 'bad_participant_token', 'This is not a participant token of this room')
			return { role: 'participant', participantId: identity.participantId, roomId: room.roomId }
		}
		case 'view':
			if (!app.participantTokens.verifyViewToken(room.roomId, room.facilitatorKeyHash, credential.secret)) {
				return new UpgradeRefusal(403, 'bad_view_token', 'Wrong view token')
			}
			return { role: 'viewer', participantId: null, roomId: room.roomId }
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
