#!/usr/bin/env node
/**
 * `npm start`: installs dependencies when needed, builds the client when its sources changed, then runs the
 * server (`server/src/server.ts` through tsx) in the foreground. The server prints its LAN URLs itself.
 * Configuration is by environment (`PORT`, `HOST`, `DATA_DIR`, `TLDRAW_LICENSE_KEY`), passed through as is.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { ensureClientBuild } from './build-client.mjs'
import { ensureDeps, log, repoRoot } from './ensure-deps.mjs'

/** Signals passed on to the server so it can shut down cleanly. */
const FORWARDED_SIGNALS = /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])

/** @returns {string} the tsx executable of the workspace */
function tsxBinary() {
	const bin = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx')
	if (!existsSync(bin)) throw new Error(`${bin} is missing: run "pnpm install"`)
	return bin
}

function main() {
	const pnpm = ensureDeps()
	ensureClientBuild(pnpm)
	log('starting the server')
	const child = spawn(tsxBinary(), [path.join('server', 'src', 'server.ts')], {
		cwd: repoRoot,
		stdio: 'inherit',
		env: process.env,
		shell: process.platform === 'win32',
	})
	for (const signal of FORWARDED_SIGNALS) {
		process.on(signal, () => {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal)
		})
	}
	child.on('error', (error) => {
		console.error(`[kompasbord] could not start the server: ${error.message}`)
		process.exit(1)
	})
	child.on('exit', (code, signal) => {
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
	main()
} catch (error) {
	console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
	process.exit(1)
}
