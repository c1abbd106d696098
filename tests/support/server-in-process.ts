import type { AddressInfo } from 'node:net'
import { makeTempDir, removeTempDir } from './temp-dir'

type BuildApp = typeof import('../../server/src/app')['buildApp']

/** The Fastify instance `buildApp` returns. */
export type KompasbordApp = Awaited<ReturnType<BuildApp>>

/** Options of {@link startServerInProcess}. */
export interface StartServerInProcessOptions {
	/** Environment handed to `loadConfig` (over `PORT=0 HOST=127.0.0.1 DATA_DIR=<temp> LOG_LEVEL=warn`). */
	env?: Record<string, string | undefined>
	/** Data directory to use; it is then left in place. Default: a fresh temp dir, removed by `close()`. */
	dataDir?: string
}

/** A server running inside the test process. */
export interface InProcessServer {
	app: KompasbordApp
	port: number
	/** `http://127.0.0.1:<port>` */
	baseUrl: string
	/** `ws://127.0.0.1:<port>/ws` — the y-websocket server URL; the room id is appended by the client. */
	wsUrl: string
	dataDir: string
	/** Closes the app (connections, store) and removes the temp DATA_DIR if we made it. */
	close(): Promise<void>
}

/**
 * Builds the app with `buildApp(loadConfig(env))` and listens on an OS-chosen port at 127.0.0.1, so a test can
 * reach into `app` (store, rooms, metrics) while talking to it over HTTP/WebSocket.
 */
export async function startServerInProcess(options: StartServerInProcessOptions = {}): Promise<InProcessServer> {
	const ownsDataDir = options.dataDir === undefined
	const dataDir = options.dataDir ?? (await makeTempDir('kompasbord-app-'))
	const { loadConfig } = await import('../../server/src/config')
	const { buildApp } = await import('../../server/src/app')
	let app: KompasbordApp | undefined
	try {
		const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...options.env })
		app = await buildApp(config)
		await app.listen({ port: 0, host: '127.0.0.1' })
	} catch (error) {
		await app?.close()
		if (ownsDataDir) await removeTempDir(dataDir)
		throw error
	}
	const { port } = app.server.address() as AddressInfo
	const built = app
	return {
		app: built,
		port,
		baseUrl: `http://127.0.0.1:${port}`,
		wsUrl: `ws://127.0.0.1:${port}/ws`,
		dataDir,
		async close() {
			await built.close()
			if (ownsDataDir) await removeTempDir(dataDir)
		},
	}
}
