#!/usr/bin/env node
/**
 * Builds the client (`pnpm --filter @kompasbord/client run build` → `client/dist`) when its inputs changed
 * since the last build. The inputs are every file of `client/`, `shared/` and `templates/` (without
 * `node_modules` and `dist`) plus the lockfile and the base tsconfig; build-stamp.mjs fingerprints them and
 * keeps the last build's fingerprint in `node_modules/.kompasbord-client-build.json`. After the Vite build every
 * text asset gets a brotli and a gzip copy beside it (scripts/compress-assets.mjs).
 *
 * Run directly (`node scripts/build-client.mjs [--force]`) it ensures the dependencies first.
 *
 * @module
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildFingerprint, buildReason, finishBuild, startBuild } from './build-stamp.mjs'
import { compressAssets } from './compress-assets.mjs'
import { ensureDeps, repoRoot, runPnpm } from './ensure-deps.mjs'

/** Directory the client build writes to. */
export const clientDist = path.join(repoRoot, 'client', 'dist')

/** @type {import('./build-stamp.mjs').BuildSpec} */
const CLIENT_BUILD = {
	name: 'client',
	outputs: [path.join(clientDist, 'index.html')],
	// Kept outside client/dist so it is never served to browsers.
	stampFile: path.join(repoRoot, 'node_modules', '.kompasbord-client-build.json'),
	inputDirs: ['client', 'shared', 'templates'],
	inputFiles: ['pnpm-lock.yaml', 'tsconfig.base.json', 'scripts/compress-assets.mjs'],
}

/** @returns {string} the fingerprint of everything the client build reads */
export function clientFingerprint() {
	return buildFingerprint(CLIENT_BUILD)
}

/**
 * Says why the client needs a build, or `null` when `client/dist` is current.
 * @returns {string | null}
 */
export function clientBuildReason() {
	return buildReason(CLIENT_BUILD)
}

/**
 * Builds the client when needed (or always, with `force`).
 * @param {import('./ensure-deps.mjs').PnpmRunner} pnpm how to run pnpm (from `ensureDeps()`)
 * @param {{ force?: boolean }} [options]
 * @returns {boolean} whether a build ran
 * @throws when the build fails
 */
export function ensureClientBuild(pnpm, options = {}) {
	const ticket = startBuild(CLIENT_BUILD, options)
	if (!ticket) return false
	const status = runPnpm(pnpm, ['--filter', '@kompasbord/client', 'run', 'build'])
	if (status !== 0) throw new Error(`client build failed (exit ${status})`)
	// Brotli and gzip copies beside the assets, served as they are (see scripts/compress-assets.mjs).
	compressAssets(clientDist)
	finishBuild(CLIENT_BUILD, ticket)
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
