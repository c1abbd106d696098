import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * Loads an npm package (its CommonJS build) synchronously on first use, for packages an idle server does without
 * (http/lazy-schema-compilers.ts). Node's source maps, where they are on (`--enable-source-maps`, or tsx running the
 * sources), are paused while it loads: with them on, Node reads and keeps the maps of every module the package
 * loads, and stack traces need only ours. The bundle runs with them off (stack-source-maps.ts maps our frames).
 * @param specifier the package, resolved from `from`
 * @param from the file (URL or path) it is resolved from, e.g. a module's `import.meta.url`
 */
export function requirePackage<T>(specifier: string, from: string): T {
	return withoutSourceMaps(() => createRequire(from)(specifier) as T)
}

/**
 * Loads the ES module build of an npm package synchronously (Node's `require` of an ES module, which has no
 * top-level await), with source maps paused as {@link requirePackage} does — for a package whose functions run
 * on a hot path (rooms/tldraw-schema.ts). An esbuild-made CommonJS build exports each function through a
 * getter on a module object of hundreds of properties, which V8 keeps in dictionary mode, so every call across
 * its modules is a slow property lookup and a getter call; tldraw's record validators spend most of their time
 * there. The ES module build's imports are bindings and its packages' imports resolve to their ES module builds
 * too. The file is the package's `exports["."].import` (or `module`).
 * @param specifier the package, resolved from `from`
 * @param from the file (URL or path) it is resolved from, e.g. a module's `import.meta.url`
 */
export function requireEsmBuild<T>(specifier: string, from: string): T {
	const require = createRequire(from)
	const { root, manifest } = packageOf(specifier, require.resolve(specifier))
	const entry = manifest.exports?.['.']?.import ?? manifest.module
	if (typeof entry !== 'string') throw new Error(`${specifier} has no ES module build`)
	return withoutSourceMaps(() => require(path.join(root, entry)) as T)
}

/** What {@link requireEsmBuild} reads of a package's `package.json`. */
interface PackageManifest {
	name?: unknown
	exports?: { '.'?: { import?: unknown } }
	module?: unknown
}

/** The directory and `package.json` of the package `name` that holds `file` (as `require.resolve` gave it). */
function packageOf(name: string, file: string): { root: string; manifest: PackageManifest } {
	for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		try {
			const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageManifest
			if (manifest.name === name) return { root: dir, manifest }
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
		}
	}
	throw new Error(`no package.json of ${name} above ${file}`)
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
