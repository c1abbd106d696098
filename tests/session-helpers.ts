/**
 * Helpers of the facilitator-toolkit integration tests (tests/session-*.test.ts, tests/permissions.test.ts):
 * one in-process server per test file, y-websocket clients that are cleaned up after each test, raw sockets
 * that record every byte the server sends, and small readers of the room's doc.
 */
import WebSocket from 'ws'
import { afterAll, afterEach, beforeAll } from 'vitest'
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import type * as Y from 'yjs'
import { RECORDS_MAP, SESSION_MAP, VOTES_MAP, noteShapeRecord } from '@kompasbord/shared'
import type { TLNoteShape, TLRecord } from '@tldraw/tlschema'
import { api, type ApiClient } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { connectYClient, credentialProtocols, type YClient, type YCredential } from './support/y-client'

/** Y clients opened with {@link openClient}; call {@link closeClients} in `afterEach`. */
const open: YClient[] = []
const sockets: WebSocket[] = []

/** The in-process server of the calling test file, once {@link useInProcessServer}'s `beforeAll` started it. */
let activeServer: InProcessServer | undefined

/**
 * The credential a test client of `roomId` connects with, from link-like parameters: `{ key }` (facilitator),
 * `{ view: '1' }` (the room's view token), `{ pid: name }` (the participant `name`, joined once), and `{}` a
 * new participant. Credentials given as such (`participantToken`, `viewToken`) are kept. The room's join code
 * and view token come from the test file's in-process server.
 */
export async function credentialFor(
	server: InProcessServer,
	roomId: string,
	params: YCredential = {}
): Promise<YCredential> {
	if (params.key || params.participantToken || params.viewToken) return params
	const room = await server.app.store.getRoom(roomId)
	if (!room) return {}
	if (params.view) return { viewToken: server.app.participantTokens.viewToken(roomId, room.facilitatorKeyHash) }
	return { participantToken: await participantToken(api(server.baseUrl), room, params.pid ?? freshId('board')) }
}

/**
 * Connects and syncs an official y-websocket client to a room: with the given credential, or (in a file that
 * uses {@link useInProcessServer}) the one {@link credentialFor} makes of link-like parameters.
 */
export async function openClient(wsUrl: string, roomId: string, params: YCredential = {}): Promise<YClient> {
	const credential = activeServer ? await credentialFor(activeServer, roomId, params) : params
	const client = connectYClient(wsUrl, roomId, credential)
	open.push(client)
	await client.waitForSync()
	return client
}

/** What a test needs of a room to join it. */
export interface JoinableRoom {
	roomId: string
	joinCode: string
}

/** Participant tokens per room and name (each name joins its room once, even when asked for at once). */
const participantTokens = new Map<string, Promise<string>>()

/**
 * The participant token of `name` in `room`: the first call joins the room (`POST /api/join/:joinCode`), later
 * calls answer the same token, so one name is one participant — on the phone routes and on a board alike.
 */
export async function participantToken(client: ApiClient, room: JoinableRoom, name = 'participant'): Promise<string> {
	const key = `${room.roomId}\u0000${name}`
	let token = participantTokens.get(key)
	if (!token) {
		token = client.joinRoom(room.joinCode).then((joined) => joined.participantToken)
		participantTokens.set(key, token)
	}
	return token
}

/** Connects a participant's board (a y-websocket client with `name`'s participant token) and syncs it. */
export async function openParticipant(ctx: TestServer, room: JoinableRoom, name?: string): Promise<YClient> {
	return openClient(ctx.server.wsUrl, room.roomId, {
		participantToken: await participantToken(ctx.client, room, name ?? freshId('board')),
	})
}

/** Disconnects every client and socket opened by these helpers. */
export function closeClients(): void {
	for (const client of open.splice(0)) client.destroy()
	for (const socket of sockets.splice(0)) socket.terminate()
}

/** The server of a test file and an API client for it; read them inside tests and hooks. */
export interface TestServer {
	/** The server running in the test process. */
	readonly server: InProcessServer
	/** A client of its public HTTP API. */
	readonly client: ApiClient
}

/**
 * Gives the calling test file one in-process server: registers `beforeAll` (start it, make an API client),
 * `afterEach` ({@link closeClients}) and `afterAll` (close it, removing its data directory). Call it once at
 * the top of the file; `server` and `client` throw when read before `beforeAll` has run.
 */
export function useInProcessServer(): TestServer {
	let server: InProcessServer | undefined
	let client: ApiClient | undefined
	beforeAll(async () => {
		server = await startServerInProcess()
		client = api(server.baseUrl)
		activeServer = server
	})
	afterEach(() => closeClients())
	afterAll(async () => {
		await server?.close()
	})
	const started = <T>(value: T | undefined): T => {
		if (value === undefined) throw new Error('useInProcessServer: the server is read before beforeAll started it')
		return value
	}
	return {
		get server() {
			return started(server)
		},
		get client() {
			return started(client)
		},
	}
}

/** A raw websocket in a room that records every byte the server sends it (it never sends anything itself but sync step 1). */
export interface Eavesdropper {
	received: Buffer[]
	/** Everything received so far, as one latin1 string (for `includes` checks of UTF-8 text). */
	bytes(): Buffer
}

/** Link-like parameters from a query string (`?key=…`, `?view=1`, `?pid=…`), for {@link credentialFor}. */
export function paramsOfQuery(query: string): YCredential {
	return Object.fromEntries(new URLSearchParams(query.replace(/^\?/, '')))
}

/** Opens an {@link Eavesdropper} with a participant's (or another) credential, or link-like parameters. */
export async function eavesdrop(
	wsUrl: string,
	roomId: string,
	access: YCredential | string = {}
): Promise<Eavesdropper> {
	const params = typeof access === 'string' ? paramsOfQuery(access) : access
	const credential = activeServer ? await credentialFor(activeServer, roomId, params) : params
	const socket = new WebSocket(`${wsUrl}/${roomId}`, credentialProtocols(credential))
	sockets.push(socket)
	const received: Buffer[] = []
	socket.on('message', (data: Buffer) => received.push(Buffer.from(data)))
	await new Promise<void>((resolve, reject) => {
		socket.once('open', () => resolve())
		socket.once('error', reject)
	})
	// Ask for the state, as any client does; the answer is recorded too.
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, 0)
	syncProtocol.writeSyncStep1(encoder, new (await import('yjs')).Doc())
	socket.send(encoding.toUint8Array(encoder))
	return { received, bytes: () => Buffer.concat(received) }
}

/** A sticky note record as a laptop participant's tldraw would write it. */
export function canvasNote(id: string, text: string, parentId: string, x = 40, y = 120): TLNoteShape {
	return noteShapeRecord({ id, parentId, index: 'a9', x, y, text, scale: 0.5, meta: { kind: 'note' } })
}

/** The records map of a client's doc. */
export function recordsOf(doc: Y.Doc): Y.Map<TLRecord> {
	return doc.getMap<TLRecord>(RECORDS_MAP)
}

/** The sticky notes in a client's doc. */
export function notesOf(doc: Y.Doc): TLNoteShape[] {
	return [...recordsOf(doc).values()].filter((r): r is TLNoteShape => r.typeName === 'shape' && r.type === 'note')
}

/** The session map of a client's doc. */
export function sessionOf(doc: Y.Doc): Y.Map<unknown> {
	return doc.getMap(SESSION_MAP)
}

/** The votes map of a client's doc. */
export function votesOf(doc: Y.Doc): Y.Map<number> {
	return doc.getMap<number>(VOTES_MAP)
}

let counter = 0
/** A fresh url-safe id (participant ids, client note ids). */
export function freshId(prefix: string): string {
	counter++
	return `${prefix}-${counter.toString().padStart(4, '0')}-${Math.random().toString(36).slice(2, 10)}`
}

/** Resolves with the next value of `get()` for which `test` holds, checked on every update of `doc`. */
export function nextDocState<T>(doc: Y.Doc, get: () => T, test: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
	const now = get()
	if (test(now)) return Promise.resolve(now)
	return new Promise<T>((resolve, reject) => {
		const timer = setTimeout(() => {
			doc.off('update', onUpdate)
			reject(new Error('doc did not reach the expected state in time'))
		}, timeoutMs)
		const onUpdate = () => {
			const value = get()
			if (!test(value)) return
			clearTimeout(timer)
			doc.off('update', onUpdate)
			resolve(value)
		}
		doc.on('update', onUpdate)
	})
}
