/**
 * Benchmark clients: the official y-websocket WebsocketProvider over `ws`, exactly as a board client syncs,
 * one Y.Doc per client.
 */
import { RECORDS_MAP } from '@kompasbord/shared'
import * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import type { RunningServer } from './servers'

// Every provider adds a process 'exit' listener; thousands of clients are expected here.
process.setMaxListeners(0)

/**
 * How a client treats document updates it receives once synced.
 * - `full`: applies them to its Y.Doc, like a board (the provider's own handler).
 * - `sink`: hands the raw update to {@link BenchClient.onSinkUpdate} without applying it. Everything else —
 *   connection, initial sync, awareness, its own edits — is the official provider's. One core cannot apply
 *   every fan-out update of 1500 clients (about 30 µs each), so larger rooms mix a few full clients with sinks.
 */
export type ClientMode = 'full' | 'sink'

/** One connected client. */
export interface BenchClient {
	roomId: string
	mode: ClientMode
	doc: Y.Doc
	records: Y.Map<unknown>
	provider: WebsocketProvider
	/** Resolves once the provider reports the first sync with the server. */
	whenSynced: Promise<void>
	/** Sink clients: called with every document update received after the initial sync. */
	onSinkUpdate: ((update: Uint8Array) => void) | null
	/** Disconnects and frees the doc. */
	destroy(): void
}

/** Connects one client to a room; the connection starts at once. */
export function connectClient(server: RunningServer, roomId: string, mode: ClientMode = 'full'): BenchClient {
	const doc = new Y.Doc()
	const provider = new WebsocketProvider(server.wsUrl, roomId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		protocols: server.protocolsFor(roomId),
	})
	const client: BenchClient = {
		roomId,
		mode,
		doc,
		records: doc.getMap(RECORDS_MAP),
		provider,
		whenSynced: Promise.resolve(),
		onSinkUpdate: null,
		destroy() {
			provider.destroy()
			doc.destroy()
		},
	}
	if (mode === 'sink') {
		const applyHandler = provider.messageHandlers[messageSync]
		provider.messageHandlers[messageSync] = (encoder, decoder, p, emitSynced, messageType) => {
			if (p.synced) {
				const start = decoder.pos
				if (decoding.readVarUint(decoder) === syncProtocol.messageYjsUpdate) {
					const update = decoding.readVarUint8Array(decoder)
					client.onSinkUpdate?.(update)
					return
				}
				decoder.pos = start
			}
			applyHandler(encoder, decoder, p, emitSynced, messageType)
		}
	}
	const whenSynced = new Promise<void>((resolveSynced, reject) => {
		if (provider.synced) return resolveSynced()
		const onSync = (synced: boolean): void => {
			if (!synced) return
			provider.off('sync', onSync)
			provider.off('closed', onClosed)
			resolveSynced()
		}
		const onClosed = (event: { code: number; reason: string }): void => {
			provider.off('sync', onSync)
			reject(new Error(`server closed the connection to room ${roomId}: ${event.code} ${event.reason}`))
		}
		provider.on('sync', onSync)
		provider.on('closed', onClosed)
	})
	whenSynced.catch(() => {})
	client.whenSynced = whenSynced
	return client
}

/** Options of {@link connectClients}. */
export interface ConnectOptions {
	/** Full clients per room (the rest are sinks, see {@link ClientMode}); default: all full. */
	fullPerRoom?: number
	/** Connections opened at a time. */
	batch?: number
	timeoutMs?: number
}

/**
 * Connects `perRoom` clients to each room, `batch` connections at a time, and waits until all are synced.
 * Returned in client-major order: the first client of every room, then the second of every room, and so on.
 * Given several servers (a cluster), client c of room r connects to server (r + c) mod n: each room has
 * clients on every server, and the full clients are spread over them too.
 */
export async function connectClients(
	servers: RunningServer | readonly RunningServer[],
	roomIds: readonly string[],
	perRoom: number,
	{ fullPerRoom = perRoom, batch = 50, timeoutMs = 60_000 }: ConnectOptions = {}
): Promise<BenchClient[]> {
	const all = 'pid' in servers ? [servers as RunningServer] : (servers as readonly RunningServer[])
	const server = all[0]
	const clients: BenchClient[] = []
	const order: Array<{ roomId: string; mode: ClientMode; server: RunningServer }> = []
	for (let c = 0; c < perRoom; c++) {
		roomIds.forEach((roomId, r) =>
			order.push({ roomId, mode: c < fullPerRoom ? 'full' : 'sink', server: all[(r + c) % all.length] })
		)
	}
	try {
		for (let i = 0; i < order.length; i += batch) {
			const group = order.slice(i, i + batch).map(({ roomId, mode, server: to }) => connectClient(to, roomId, mode))
			clients.push(...group)
			await withTimeout(
				Promise.all(group.map((client) => client.whenSynced)),
				timeoutMs,
				`${group.length} clients to sync with ${server.kind}`
			)
		}
	} catch (err) {
		destroyAll(clients)
		throw err
	}
	return clients
}

/** Destroys every client in the list. */
export function destroyAll(clients: readonly BenchClient[]): void {
	for (const client of clients) client.destroy()
}

/** Rejects when `promise` has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
	})
	try {
		return await Promise.race([promise, timeout])
	} finally {
		clearTimeout(timer)
	}
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms))
}
