import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

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
 * `<wsUrl>/<roomId>?<params>` with a fresh Y.Doc.
 * @param wsUrl - the server's y-websocket base, e.g. `ws://127.0.0.1:41234/ws`
 * @param params - query parameters, e.g. `{ key: facilitatorKey }` or `{ view: '1' }`
 */
export function connectYClient(
	wsUrl: string,
	roomId: string,
	params: Record<string, string> = {},
	options: YClientOptions = {}
): YClient {
	const doc = options.doc ?? new Y.Doc()
	const provider = new WebsocketProvider(wsUrl, roomId, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params,
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
