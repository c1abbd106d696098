import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

/**
 * How a test client connects: the facilitator key (`key`), a participant token (`participantToken`) or a view
 * token (`viewToken`), each sent as a subprotocol beside `kompasbord`; any other entry becomes a query parameter.
 * With none, the server refuses the connection (401).
 */
export type YCredential = {
	key?: string
	participantToken?: string
	viewToken?: string
	[query: string]: string | undefined
}

/** The subprotocols a client offers for a credential: `kompasbord` and `kompasbord-<kind>.<secret>`. */
export function credentialProtocols(credential: YCredential): string[] {
	const protocols = ['kompasbord']
	if (credential.key) protocols.push(`kompasbord-facilitator.${credential.key}`)
	if (credential.participantToken) protocols.push(`kompasbord-participant.${credential.participantToken}`)
	if (credential.viewToken) protocols.push(`kompasbord-view.${credential.viewToken}`)
	return protocols
}

/** Options of {@link connectYClient}. */
export interface YClientOptions {
	/** Use this doc instead of a fresh one. */
	doc?: Y.Doc
	/** Connect at once (default true). */
	connect?: boolean
	/** Longest reconnect backoff in ms (y-websocket's default 2500). */
	maxBackoffTime?: number
}

/** A y-websocket client connected to one room. */
export interface YClient {
	doc: Y.Doc
	provider: WebsocketProvider
	/** Resolves once the first (or next) sync with the server is complete. */
	waitForSync(timeoutMs?: number): Promise<void>
	/** Disconnects and frees the provider and the doc. */
	destroy(): void
}

/**
 * Connects an official y-websocket client (Node `ws` as the WebSocket, no BroadcastChannel) to
 * `<wsUrl>/<roomId>` with a fresh Y.Doc, offering the credential as a subprotocol (y-websocket's `protocols`).
 * @param wsUrl - the server's y-websocket base, e.g. `ws://127.0.0.1:41234/ws`
 * @param credential - e.g. `{ key: facilitatorKey }`, `{ participantToken }` or `{ viewToken }`
 */
export function connectYClient(
	wsUrl: string,
	roomId: string,
	credential: YCredential = {},
	options: YClientOptions = {}
): YClient {
	const doc = options.doc ?? new Y.Doc()
	const params: Record<string, string> = {}
	for (const [name, value] of Object.entries(credential)) {
		if (value !== undefined && name !== 'key' && name !== 'participantToken' && name !== 'viewToken')
			params[name] = value
	}
	const provider = new WebsocketProvider(wsUrl, roomId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params,
		protocols: credentialProtocols(credential),
		connect: options.connect ?? true,
		maxBackoffTime: options.maxBackoffTime,
	})
	return {
		doc,
		provider,
		waitForSync(timeoutMs = 15_000) {
			if (provider.synced) return Promise.resolve()
			return new Promise<void>((resolve, reject) => {
				const cleanup = () => {
					clearTimeout(timer)
					provider.off('sync', onSync)
					provider.off('closed', onClosed)
				}
				const onSync = (synced: boolean) => {
					if (!synced) return
					cleanup()
					resolve()
				}
				const onClosed = (close: { code: number; reason: string }) => {
					cleanup()
					reject(new Error(`server closed the connection to room ${roomId}: ${close.code} ${close.reason}`))
				}
				const timer = setTimeout(() => {
					cleanup()
					reject(new Error(`room ${roomId} did not sync within ${timeoutMs} ms`))
				}, timeoutMs)
				provider.on('sync', onSync)
				provider.on('closed', onClosed)
			})
		},
		destroy() {
			provider.destroy()
			if (!options.doc) doc.destroy()
		},
	}
}
