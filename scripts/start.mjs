#!/usr/bin/env node
/**
 * `npm start`: installs dependencies when needed, builds the client and the server bundle when their sources
 * changed, then runs the server (server-launch.mjs: plain Node on `server/dist/server.mjs`) in the foreground.
 * The server prints its LAN URLs itself. Configuration is by environment (`PORT`, `HOST`, `DATA_DIR`,
 * `TLDRAW_LICENSE_KEY`), passed through as is.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { ensureClientBuild } from './build-client.mjs'
import { ensureServerBuild } from './build-server.mjs'
import { ensureDeps, log, repoRoot } from './ensure-deps.mjs'
import { serverLaunch } from './server-launch.mjs'

/** Signals passed on to the server so it can shut down cleanly. */
const FORWARDED_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])

/**
 * How long after passing a signal on the server may take to exit before it is killed: its own shutdown ends
 * within 5 s, and its watchdog kills it 3 s later (server/src/shutdown.ts); this is the backstop behind both.
 */
const SERVER_EXIT_GRACE_MS = 10_000

/**
 * How often we check that our parent is still there (ms). `npm start` runs us through `sh -c`, and on SIGTERM
 * npm signals that shell, which dies without passing the signal on: we are orphaned, with the server still
 * running. Once our parent is gone, we stop the server as if we had been sent SIGTERM.
 */
const PARENT_CHECK_MS = 500

async function main() {
	const pnpm = ensureDeps()
	ensureClientBuild(pnpm)
	await ensureServerBuild()
	log('starting the server')
	const launch = serverLaunch()
	// One process, no shell: signals reach the server itself.
	const child = spawn(launch.command, launch.args, { cwd: repoRoot, stdio: 'inherit', env: launch.env })
	/** @type {NodeJS.Timeout | null} */
	let backstop = null
	/** @param {NodeJS.Signals} signal */
	const stopServer = (signal) => {
		if (child.exitCode !== null || child.signalCode !== null) return
		child.kill(signal)
		backstop ??= setTimeout(() => {
			console.error(`[kompasbord] the server did not exit ${SERVER_EXIT_GRACE_MS / 1000} s after ${signal}; killing it`)
			child.kill('SIGKILL')
		}, SERVER_EXIT_GRACE_MS)
	}
	for (const signal of FORWARDED_SIGNALS) process.on(signal, () => stopServer(signal))
	const parent = process.ppid
	const parentCheck = setInterval(() => {
		if (process.ppid === parent) return
		clearInterval(parentCheck)
		log('the process that started us is gone; stopping the server')
		stopServer('SIGTERM')
	}, PARENT_CHECK_MS)
	parentCheck.unref()
	child.on('error', (error) => {
		console.error(`[kompasbord] could not start the server: ${error.message}`)
		process.exit(1)
	})
	child.on('exit', (code, signal) => {
		if (backstop) clearTimeout(backstop)
		clearInterval(parentCheck)
		if (signal) {
			// Re-raise so our parent sees the same cause of death; our own handlers are gone by then.
			for (const forwarded of FORWARDED_SIGNALS) process.removeAllListeners(forwarded)
			process.kill(process.pid, signal)
			return
		}
		process.exit(code ?? 1)
	})
}

try {
	await main()
} catch (error) {
	console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
	process.exit(1)
}
