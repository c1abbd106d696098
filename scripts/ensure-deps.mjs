#!/usr/bin/env node
/**
 * Makes the workspace ready on a machine that has only Node and npm.
 *
 * - finds pnpm 12.21.0 (on PATH), or installs it with `npm i -g`, or — when that is not allowed —
 *   falls back to `npm exec --yes pnpm@12.21.0 --`;
 * - runs `pnpm install --frozen-lockfile` only when needed: `node_modules` missing, or the lockfile /
 *   workspace file changed since the last install (a stamp in `node_modules/` records what was installed),
 *   so a second run is instant.
 *
 * Used by `scripts/start.mjs`, `scripts/test.mjs` and `npm run bench`; run directly it just installs.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The pnpm version the lockfile was written with. */
export const PNPM_VERSION = '12.21.0'

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

const isWindows = process.platform === 'win32'
const STAMP_FILE = path.join(repoRoot, 'node_modules', '.kompasbord-deps.json')
const MODULES_FILE = path.join(repoRoot, 'node_modules', '.modules.yaml')
/** Bound on one `npm` call that fetches pnpm, so a broken npm setup fails instead of hanging. */
const NPM_TIMEOUT_MS = 5 * 60_000
/** Files whose content decides whether an install is needed. */
const INSTALL_INPUTS = ['pnpm-lock.yaml', 'pnpm-workspace.yaml']

/**
 * How to run pnpm: `command` followed by `args`, then pnpm's own arguments.
 * @typedef {{ command: string, args: string[], label: string }} PnpmRunner
 */

/**
 * Prints one progress line, prefixed so it stands out from tool output.
 * @param {string} message
 */
export function log(message) {
	console.log(`[kompasbord] ${message}`)
}

/**
 * Runs a command synchronously and captures its output.
 * @param {string} command
 * @param {string[]} args
 * @param {import('node:child_process').SpawnSyncOptions} [options]
 */
function capture(command, args, options = {}) {
	return spawnSync(command, args, {
		cwd: repoRoot,
		encoding: 'utf8',
		shell: isWindows,
		stdio: ['ignore', 'pipe', 'pipe'],
		...options,
	})
}

/**
 * Returns the version a pnpm runner reports, or `null` when it does not run.
 * @param {PnpmRunner} runner
 * @returns {string | null}
 */
function versionOf(runner) {
	const result = capture(runner.command, [...runner.args, '--version'], { timeout: NPM_TIMEOUT_MS })
	if (result.status !== 0 || typeof result.stdout !== 'string') return null
	const lines = result.stdout.trim().split(/\r?\n/)
	return lines[lines.length - 1]?.trim() ?? null
}

let cachedRunner = /** @type {PnpmRunner | null} */ (null)

/**
 * Finds (or installs) pnpm {@link PNPM_VERSION} and returns how to run it.
 * The result is cached for the life of the process.
 * @returns {PnpmRunner}
 */
export function findPnpm() {
	if (cachedRunner) return cachedRunner
	/** @type {PnpmRunner} */
	const onPath = { command: 'pnpm', args: [], label: 'pnpm' }
	const found = versionOf(onPath)
	if (found === PNPM_VERSION) return (cachedRunner = onPath)
	log(
		found
			? `pnpm on PATH is ${found}, need ${PNPM_VERSION}: installing it with npm`
			: `pnpm ${PNPM_VERSION} not found: installing it with npm`
	)
	const install = spawnSync('npm', ['install', '--global', `pnpm@${PNPM_VERSION}`], {
		cwd: repoRoot,
		encoding: 'utf8',
		shell: isWindows,
		stdio: ['ignore', 'pipe', 'pipe'],
		timeout: NPM_TIMEOUT_MS,
	})
	if (install.status === 0) {
		const prefix = capture('npm', ['prefix', '--global']).stdout?.trim()
		if (prefix) {
			const bin = isWindows ? path.join(prefix, 'pnpm.cmd') : path.join(prefix, 'bin', 'pnpm')
			/** @type {PnpmRunner} */
			const installed = { command: bin, args: [], label: bin }
			if (versionOf(installed) === PNPM_VERSION) {
				log(`installed pnpm ${PNPM_VERSION} at ${bin}`)
				return (cachedRunner = installed)
			}
		}
		log('pnpm was installed globally but could not be run; using npm exec instead')
	} else {
		const reason = (install.stderr || '').split(/\r?\n/).find((line) => /EACCES|EPERM|permission/i.test(line))
		log(`npm i -g pnpm@${PNPM_VERSION} failed${reason ? ` (${reason.trim()})` : ''}; using npm exec instead`)
	}
	/** @type {PnpmRunner} */
	const viaNpmExec = {
		command: 'npm',
		args: ['exec', '--yes', `pnpm@${PNPM_VERSION}`, '--'],
		label: `npm exec pnpm@${PNPM_VERSION}`,
	}
	const viaExecVersion = versionOf(viaNpmExec)
	if (viaExecVersion !== PNPM_VERSION) {
		throw new Error(
			`could not run pnpm ${PNPM_VERSION} (npm exec reported ${viaExecVersion ?? 'an error'}). ` +
				`Install it yourself with: npm install --global pnpm@${PNPM_VERSION}`
		)
	}
	return (cachedRunner = viaNpmExec)
}

/**
 * Runs pnpm with the given arguments, output going to this process's stdout/stderr.
 * @param {PnpmRunner} runner
 * @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv }} [options]
 * @returns {number} the exit status (1 when it died from a signal)
 */
export function runPnpm(runner, args, options = {}) {
	const result = spawnSync(runner.command, [...runner.args, ...args], {
		cwd: options.cwd ?? repoRoot,
		env: options.env ?? process.env,
		shell: isWindows,
		stdio: ['ignore', 'inherit', 'inherit'],
	})
	if (result.error) throw result.error
	return result.status ?? 1
}

/**
 * Runs a pnpm command that changes node_modules. When `flock` is available it holds `<tmpdir>/pnpm.lock`
 * meanwhile (the lock engineers sharing a working tree use for `pnpm add`), so two installs never interleave.
 * @param {PnpmRunner} runner
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 * @returns {number} the exit status
 */
function withInstallLock(runner, args, env) {
	if (isWindows || capture('flock', ['--version']).status !== 0) return runPnpm(runner, args, { env })
	const lockFile = path.join(os.tmpdir(), 'pnpm.lock')
	return runPnpm({ command: 'flock', args: [lockFile, runner.command, ...runner.args], label: runner.label }, args, {
		env,
	})
}

/** @returns {string} a hash of everything that decides the installed tree. */
function installFingerprint() {
	const hash = createHash('sha256')
	for (const file of INSTALL_INPUTS) {
		const full = path.join(repoRoot, file)
		hash.update(`${file}\0`)
		if (existsSync(full)) hash.update(readFileSync(full))
		hash.update('\0')
	}
	return hash.digest('hex')
}

/**
 * Says why an install is needed, or `null` when node_modules is up to date.
 * @returns {string | null}
 */
export function installReason() {
	if (!existsSync(MODULES_FILE)) return 'node_modules is missing'
	if (!existsSync(STAMP_FILE)) return 'no record of a previous install'
	let stamp
	try {
		stamp = JSON.parse(readFileSync(STAMP_FILE, 'utf8'))
	} catch {
		return 'the install record is unreadable'
	}
	if (stamp.fingerprint !== installFingerprint()) return 'pnpm-lock.yaml changed'
	const lockTime = statSync(path.join(repoRoot, 'pnpm-lock.yaml')).mtimeMs
	if (lockTime > statSync(STAMP_FILE).mtimeMs) return 'pnpm-lock.yaml is newer than node_modules'
	if (stamp.nodeAbi !== process.versions.modules)
		return `Node changed (ABI ${stamp.nodeAbi} → ${process.versions.modules})`
	return null
}

/**
 * Makes sure pnpm is there and the workspace's dependencies are installed.
 * @param {{ force?: boolean }} [options] `force` installs even when the stamp says it is not needed
 * @returns {PnpmRunner} how to run pnpm, for further commands
 */
export function ensureDeps(options = {}) {
	const reason = options.force ? 'forced' : installReason()
	const runner = findPnpm()
	if (!reason) return runner
	log(
		`installing dependencies (${reason}) with ${runner.label}${reason === 'node_modules is missing' ? ' — the first time takes a few minutes' : ''}`
	)
	const env = { ...process.env }
	// node-gyp cannot download Node's headers without internet; Debian's nodejs-dev ships them in /usr.
	if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr'
	const started = Date.now()
	const status = withInstallLock(runner, ['install', '--frozen-lockfile'], env)
	if (status !== 0) throw new Error(`pnpm install --frozen-lockfile failed (exit ${status})`)
	if (reason.startsWith('Node changed')) {
		log('rebuilding native modules for this Node version')
		const rebuilt = withInstallLock(runner, ['rebuild'], env)
		if (rebuilt !== 0) throw new Error(`pnpm rebuild failed (exit ${rebuilt})`)
	}
	writeFileSync(
		STAMP_FILE,
		`${JSON.stringify({ fingerprint: installFingerprint(), nodeAbi: process.versions.modules, pnpm: PNPM_VERSION, installedAt: new Date().toISOString() }, null, '\t')}\n`
	)
	log(`dependencies installed in ${((Date.now() - started) / 1000).toFixed(0)} s`)
	return runner
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		const runner = ensureDeps({ force: process.argv.includes('--force') })
		log(`dependencies ready (pnpm: ${runner.label})`)
	} catch (error) {
		console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
		process.exit(1)
	}
}
