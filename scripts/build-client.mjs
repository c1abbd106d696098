#!/usr/bin/env node
/**
 * Builds the client (`pnpm --filter @kompasbord/client run build` → `client/dist`) when its inputs changed
 * since the last build. The inputs are every file of `client/`, `shared/` and `templates/` (without
 * `node_modules` and `dist`) plus the lockfile and the base tsconfig; their paths, sizes and modification
 * times are hashed into a fingerprint kept in `node_modules/.kompasbord-client-build.json`. An added, removed or
 * edited file therefore triggers a rebuild; an unchanged tree does not.
 *
 * Run directly (`node scripts/build-client.mjs [--force]`) it ensures the dependencies first.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureDeps, log, repoRoot, runPnpm } from './ensure-deps.mjs'

/** Directory the client build writes to. */
export const clientDist = path.join(repoRoot, 'client', 'dist')
// Kept outside client/dist so it is never served to browsers.
const STAMP_FILE = path.join(repoRoot, 'node_modules', '.kompasbord-client-build.json')
const INPUT_DIRS = ['client', 'shared', 'templates']
const INPUT_FILES = ['pnpm-lock.yaml', 'tsconfig.base.json']
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.vite', '.turbo'])

/**
 * Adds `relative path, size, mtime` of every file under `dir` to the hash, in a stable order.
 * @param {import('node:crypto').Hash} hash
 * @param {string} dir absolute directory
 */
function hashTree(hash, dir) {
	let entries
	try {
		entries = readdirSync(dir, { withFileTypes: true })
	} catch {
		return
	}
	entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
	for (const entry of entries) {
		const full = path.join(dir, entry.name)
		if (entry.isDirectory()) {
			if (!SKIPPED_DIRS.has(entry.name)) hashTree(hash, full)
		} else if (entry.isFile() || entry.isSymbolicLink()) {
			hashFile(hash, full)
		}
	}
}

/**
 * @param {import('node:crypto').Hash} hash
 * @param {string} file absolute path
 */
function hashFile(hash, file) {
	try {
		const info = statSync(file)
		hash.update(`${path.relative(repoRoot, file)}\0${info.size}\0${info.mtimeMs}\n`)
	} catch {
		hash.update(`${path.relative(repoRoot, file)}\0missing\n`)
	}
}

/** @returns {string} the fingerprint of everything the client build reads */
export function clientFingerprint() {
	const hash = createHash('sha256')
	for (const dir of INPUT_DIRS) hashTree(hash, path.join(repoRoot, dir))
	for (const file of INPUT_FILES) hashFile(hash, path.join(repoRoot, file))
	return hash.digest('hex')
}

/**
 * Says why the client needs a build, or `null` when `client/dist` is current.
 * @returns {string | null}
 */
export function clientBuildReason() {
	if (!existsSync(path.join(clientDist, 'index.html'))) return 'client/dist is missing'
	if (!existsSync(STAMP_FILE)) return 'no record of the last build'
	try {
		const stamp = JSON.parse(readFileSync(STAMP_FILE, 'utf8'))
		if (stamp.fingerprint === clientFingerprint()) return null
	} catch {
		return 'the build record is unreadable'
	}
	return 'client sources changed'
}

/**
 * Builds the client when needed (or always, with `force`).
 * @param {import('./ensure-deps.mjs').PnpmRunner} pnpm how to run pnpm (from `ensureDeps()`)
 * @param {{ force?: boolean }} [options]
 * @returns {boolean} whether a build ran
 * @throws when the build fails
 */
export function ensureClientBuild(pnpm, options = {}) {
	const reason = options.force ? 'forced' : clientBuildReason()
	if (!reason) {
		log('client build is up to date')
		return false
	}
	// Fingerprint before building: a file edited during the build makes the next run build again.
	const fingerprint = clientFingerprint()
	log(`building the client (${reason})`)
	const started = Date.now()
	const status = runPnpm(pnpm, ['--filter', '@kompasbord/client', 'run', 'build'])
	if (status !== 0) throw new Error(`client build failed (exit ${status})`)
	if (!existsSync(path.join(clientDist, 'index.html'))) {
		throw new Error('client build finished but client/dist/index.html is missing')
	}
	writeFileSync(STAMP_FILE, `${JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, '\t')}\n`)
	log(`client built in ${((Date.now() - started) / 1000).toFixed(0)} s`)
	return true
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		ensureClientBuild(ensureDeps(), { force: process.argv.includes('--force') })
	} catch (error) {
		console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
		process.exit(1)
	}
}
