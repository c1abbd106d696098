import net from 'node:net'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

/** Something the attack left open, to be cut when the test ends. */
export interface Leftover {
	destroy(): void
}

/** A y-websocket sync step 1 with an empty state vector: asks for the whole room. */
export function syncStep1Message(): Uint8Array {
	const e = encoding.createEncoder()
	encoding.writeVarUint(e, 0)
	encoding.writeVarUint(e, 0)
	encoding.writeVarUint8Array(e, new Uint8Array([0]))
	return encoding.toUint8Array(e)
}

/** A y-websocket update message carrying `update`. */
export function updateMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder()
	encoding.writeVarUint(e, 0)
	encoding.writeVarUint(e, 2)
	encoding.writeVarUint8Array(e, update)
	return encoding.toUint8Array(e)
}

/** The subprotocols of a participant's websocket: `kompasbord` and the participant token. */
export function participantProtocols(participantToken: string): string[] {
	return ['kompasbord', `kompasbord-participant.${participantToken}`]
}

/** A participant token of a room, as anyone with the join code gets one (`POST /api/join/:joinCode`). */
export async function joinAsParticipant(baseUrl: string, joinCode: string): Promise<string> {
	const answer = await fetch(`${baseUrl}/api/join/${joinCode}`, { method: 'POST' })
	if (answer.status !== 201) throw new Error(`POST /api/join answered ${answer.status}`)
	return ((await answer.json()) as { participantToken: string }).participantToken
}

/** Opens a websocket whose client never reads: its TCP socket is paused as soon as it is open. */
export function openNonReadingSocket(url: string, protocols: string[]): Promise<WebSocket> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(url, protocols)
		ws.on('error', () => {})
		ws.once('unexpected-response', () => reject(new Error(`upgrade refused: ${url}`)))
		ws.once('open', () => {
			;(ws as unknown as { _socket: net.Socket })._socket.pause()
			resolve(ws)
		})
	})
}

/**
 * What a hostile participant can throw at a server in a few lines, all at once, left open: websockets that
 * never read and ask for the room again and again, an update with a missing dependency, half-sent upgrade
 * requests, request bodies that trickle in, pending long polls, and a flood of requests (whose log lines fill a
 * log pipe nobody reads; `floodRequests` of them). Resolves once everything is under way; the returned leftovers are cut by the caller.
 */
export async function runAttackMix(
	baseUrl: string,
	rooms: { roomId: string; joinCode: string }[],
	floodRequests = 1500
): Promise<Leftover[]> {
	const { host, port } = new URL(baseUrl)
	const wsBase = `ws://${host}/ws`
	const leftovers: Leftover[] = []
	const step1 = syncStep1Message()
	const roomIds = rooms.map((room) => room.roomId)
	// A participant of every room: the attacker has the join code from the projector.
	const tokens = new Map<string, string>()
	for (const room of rooms) tokens.set(room.roomId, await joinAsParticipant(baseUrl, room.joinCode))
	const protocolsOf = (roomId: string) => participantProtocols(tokens.get(roomId)!)
	for (let i = 0; i < 12; i++) {
		const roomId = roomIds[i % roomIds.length]
		const ws = await openNonReadingSocket(`${wsBase}/${roomId}`, protocolsOf(roomId))
		leftovers.push({ destroy: () => ws.terminate() })
		for (let k = 0; k < 200; k++) ws.send(step1)
	}
	for (const roomId of roomIds) {
		const doc = new Y.Doc()
		const map = doc.getMap('x')
		map.set('a', 1)
		const before = Y.encodeStateVector(doc)
		map.set('b', 'z'.repeat(200_000))
		// Only the second change: its dependency on the first is missing on the server.
		const gap = Y.encodeStateAsUpdate(doc, before)
		const ws = new WebSocket(`${wsBase}/${roomId}`, protocolsOf(roomId))
		ws.on('error', () => {})
		await new Promise((resolve) => ws.once('open', resolve))
		ws.send(updateMessage(gap))
		leftovers.push({ destroy: () => ws.terminate() })
	}
	for (let i = 0; i < 10; i++) {
		const socket = net.connect(Number(port), host.replace(/:\d+$/, ''))
		socket.on('error', () => {})
		socket.write(`GET /ws/${roomIds[0]} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n`)
		leftovers.push(socket)
	}
	for (let i = 0; i < 10; i++) {
		const socket = net.connect(Number(port), host.replace(/:\d+$/, ''))
		socket.on('error', () => {})
		socket.write(
			'POST /api/rooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{'
		)
		const trickle = setInterval(() => socket.write(' '), 200)
		trickle.unref()
		leftovers.push({
			destroy() {
				clearInterval(trickle)
				socket.destroy()
			},
		})
	}
	const polls = new AbortController()
	leftovers.push({ destroy: () => polls.abort() })
	for (const roomId of roomIds) {
		const state = (await (await fetch(`${baseUrl}/api/rooms/${roomId}/session`)).json()) as { tag: string }
		for (let i = 0; i < 4; i++) {
			void fetch(`${baseUrl}/api/rooms/${roomId}/session?wait=25&tag=${encodeURIComponent(state.tag)}`, {
				signal: polls.signal,
			}).catch(() => {})
		}
	}
	for (let i = 0; i < floodRequests; i += 10) {
		await Promise.all(Array.from({ length: Math.min(10, floodRequests - i) }, () => fetch(`${baseUrl}/api/health`)))
	}
	return leftovers
}
