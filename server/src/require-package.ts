import { createRequire } from 'node:module'

/**
 * Loads an npm package (its CommonJS build) synchronously on first use, for packages an idle server does without
 * (rooms/tldraw-schema.ts, http/lazy-schema-compilers.ts). Source maps are paused while it loads, as the launcher
 * does for the packages it preloads (scripts/build-server.mjs): with them on, Node reads and keeps the maps of
 * every module the package loads, and stack traces need only ours.
 * @param specifier the package, resolved from `from`
 * @param from the file (URL or path) it is resolved from, e.g. a module's `import.meta.url`
 */
export function requirePackage<T>(specifier: string, from: string): T {
	return withoutSourceMaps(() => createRequire(from)(specifier) as T)
}

/**
 * Runs `load` with source maps paused: for code of a package that requires more of its modules as it goes
 * (`@fastify/ajv-compiler` loads `ajv-formats` when its first validator is built).
 */
export function withoutSourceMaps<T>(load: () => T): T {
	const mapsWereEnabled = process.sourceMapsEnabled
	if (mapsWereEnabled) process.setSourceMapsEnabled(false)
	try {
		return load()
	} finally {
		if (mapsWereEnabled) process.setSourceMapsEnabled(true)
	}
}
