/**
 * Decides whether a build is needed, for the builds `npm start`, `npm test` and the benchmark make themselves
 * (the client, the server bundle). A build's inputs are whole folders and single files of the repository; their
 * paths, sizes and modification times are hashed into a fingerprint, kept after a successful build in a stamp
 * file in `node_modules/` (outside the build's output, so it is never served or shipped). An added, removed or
 * edited input file therefore triggers a rebuild; an unchanged tree does not.
 *
 * A build runs as `const ticket = startBuild(spec)` (null: up to date), the build itself, then
 * `finishBuild(spec, ticket)`, so that a build may be synchronous or not.
 *
 * @module
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { log, repoRoot } from './ensure-deps.mjs'

/** Folders never read as build inputs (dependencies and build outputs). */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.vite', '.turbo'])

/**
 * What a build reads and writes.
 * @typedef {object} BuildSpec
 * @property {string} name what is built, for progress lines (e.g. `client`)
 * @property {string[]} outputs files (absolute) the build must leave; one missing means "not built"
 * @property {string} stampFile where the fingerprint of the last successful build is kept (absolute)
 * @property {string[]} inputDirs folders (relative to the repository root) read as a whole
 * @property {string[]} inputFiles single files (relative to the repository root)
 */

/**
 * A build that was found needed and has started.
 * @typedef {{ fingerprint: string, startedAt: number }} BuildTicket
 */

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

/**
 * @param {BuildSpec} spec
 * @returns {string} the fingerprint of everything the build reads
 */
export function buildFingerprint(spec) {
	const hash = createHash('sha256')
	for (const dir of spec.inputDirs) hashTree(hash, path.join(repoRoot, dir))
	for (const file of spec.inputFiles) hashFile(hash, path.join(repoRoot, file))
	return hash.digest('hex')
}

/**
 * Says why the build is needed, or `null` when its outputs are current.
 * @param {BuildSpec} spec
 * @returns {string | null}
 */
export function buildReason(spec) {
	const missing = spec.outputs.find((file) => !existsSync(file))
	if (missing) return `${path.relative(repoRoot, missing)} is missing`
	if (!existsSync(spec.stampFile)) return 'no record of the last build'
	try {
		const stamp = JSON.parse(readFileSync(spec.stampFile, 'utf8'))
		if (stamp.fingerprint === buildFingerprint(spec)) return null
	} catch {
		return 'the build record is unreadable'
	}
	return `${spec.name} sources changed`
}

/**
 * Starts a build when one is needed (or always, with `force`): logs why and takes the inputs' fingerprint
 * before anything is built, so a file edited during the build makes the next run build again.
 * @param {BuildSpec} spec
 * @param {{ force?: boolean }} [options]
 * @returns {BuildTicket | null} null when the outputs are up to date (nothing to build)
 */
export function startBuild(spec, options = {}) {
	const reason = options.force ? 'forced' : buildReason(spec)
	if (!reason) {
		log(`${spec.name} build is up to date`)
		return null
	}
	const ticket = { fingerprint: buildFingerprint(spec), startedAt: Date.now() }
	log(`building the ${spec.name} (${reason})`)
	return ticket
}

/**
 * Checks that the build left its outputs and records it as the last successful build.
 * @param {BuildSpec} spec
 * @param {BuildTicket} ticket from {@link startBuild}
 * @throws when an output is missing
 */
export function finishBuild(spec, ticket) {
	const missing = spec.outputs.find((file) => !existsSync(file))
	if (missing) throw new Error(`${spec.name} build finished but ${path.relative(repoRoot, missing)} is missing`)
	writeFileSync(
		spec.stampFile,
		`${JSON.stringify({ fingerprint: ticket.fingerprint, builtAt: new Date().toISOString() }, null, '\t')}\n`
	)
	const seconds = (Date.now() - ticket.startedAt) / 1000
	log(`${spec.name} built in ${seconds < 10 ? seconds.toFixed(1) : seconds.toFixed(0)} s`)
}
