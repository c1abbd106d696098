#!/usr/bin/env node
/**
 * Finds the Chromium the end-to-end tests drive through playwright-core, installing Debian's `chromium`
 * package with apt-get when it is missing and we run as root. Never downloads a browser any other way.
 *
 * Lookup order: env `CHROMIUM_PATH`, `/usr/bin/chromium`, then `chromium` / `chromium-browser` on PATH.
 * Run directly, it prints the path (and exits non-zero with instructions when there is none).
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Where Debian's `chromium` package puts the browser. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * @param {string} file
 * @returns {boolean} whether `file` exists and is executable
 */
function isExecutable(file) {
	try {
		accessSync(file, constants.X_OK)
		return true
	} catch {
		return false
	}
}

/**
 * @param {string} name
 * @returns {string | null} the first executable called `name` on PATH
 */
function onPath(name) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir) continue
		const candidate = path.join(dir, name)
		if (isExecutable(candidate)) return candidate
	}
	return null
}

/**
 * Looks for a Chromium executable without installing anything.
 * @returns {string | null} its absolute path, or `null`
 */
export function findChromium() {
	const fromEnv = process.env.CHROMIUM_PATH
	if (fromEnv) return isExecutable(fromEnv) ? fromEnv : null
	if (isExecutable(DEFAULT_CHROMIUM_PATH)) return DEFAULT_CHROMIUM_PATH
	return onPath('chromium') ?? onPath('chromium-browser')
}

/**
 * Runs a command with its output shown, throwing when it fails.
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
	const result = spawnSync(command, args, {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
	})
	if (result.error) throw result.error
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`)
}

/**
 * Returns the Chromium path, installing Debian's `chromium` with apt-get when missing and running as root.
 * @returns {string} the absolute path of the Chromium executable
 * @throws when Chromium is missing and cannot be installed here (the message says how to install it)
 */
export function ensureChromium() {
	const found = findChromium()
	if (found) return found
	if (process.env.CHROMIUM_PATH) {
		throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} is not an executable file`)
	}
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
	if (!isRoot || !onPath('apt-get')) {
		throw new Error(
			'Chromium is needed for the end-to-end tests but was not found.\n' +
				'  Install it with:  sudo apt-get update && sudo apt-get install -y chromium\n' +
				'  or point CHROMIUM_PATH at an existing Chromium/Chrome executable.'
		)
	}
	console.log('[kompasbord] Chromium not found: installing it with apt-get (Debian package "chromium")')
	run('apt-get', ['update'])
	run('apt-get', ['install', '-y', 'chromium'])
	const installed = findChromium()
	if (!installed) throw new Error('apt-get installed chromium, but no chromium executable was found afterwards')
	console.log(`[kompasbord] Chromium installed at ${installed}`)
	return installed
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		console.log(ensureChromium())
	} catch (error) {
		console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
		process.exit(1)
	}
}
