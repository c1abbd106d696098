#!/usr/bin/env node
/**
 * Builds the server bundle, `server/dist/server.mjs`, from `server/src/server.ts` with esbuild, so that the
 * server runs on plain Node (see server-launch.mjs) instead of through tsx's loader at run time.
 *
 * - The workspace packages the server uses (`@kompasbord/shared`, `@kompasbord/templates`: TypeScript) are
 *   bundled in, and so are TypeBox, Yjs, y-protocols and lib0 (`BUNDLED_PACKAGES`); every other npm dependency
 *   of the server (server/package.json `dependencies`) is loaded from `server/node_modules` at run time — a
 *   CommonJS package with `require`, an ES module package with `import` (see `isCommonJsPackage`). A bundled
 *   file importing a package the server does not depend on fails the build, since that import could not be
 *   resolved at run time.
 * - Lazily loaded modules (`import()`, the Word export) become chunks in `server/dist/chunks/`, loaded on first
 *   use as from the sources.
 * - `server/dist/copy-rooms.mjs`: the `copy-rooms` command (copy-rooms-cli.ts) bundled the same way, one file, for
 *   the image (no tsx there): `npm run copy-rooms` of the server package runs it.
 * - The commit thread's script (`update-writer.worker.mjs`, plain JavaScript, started by URL relative to the
 *   module) is copied next to the bundle.
 * - The template data files are inlined (packaged-templates.ts is replaced by their text at build time).
 * - A linked source map (`server.mjs.map`, without the sources' text) beside each file makes stack traces name
 *   the TypeScript files: the server is started by `server/dist/launch.mjs`, which loads the npm packages and
 *   installs `stack-source-maps.mjs` (server/src/stack-source-maps.ts, an entry of its own), which reads a map
 *   only when a stack trace first needs it (see `launcherSource`).
 *
 * The bundle is rebuilt only when its inputs changed (build-stamp.mjs: `server/`, `shared/`, `templates/`, the
 * lockfile, the base tsconfig and this script). Each file is written next to its place and renamed over it,
 * so a server starting meanwhile never reads half a file.
 *
 * Run directly (`node scripts/build-server.mjs [--force] [--no-install]`) it ensures the dependencies first,
 * unless `--no-install` says they are there (the Docker build installs only what the server and client need).
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { finishBuild, startBuild } from './build-stamp.mjs'
import { ensureDeps, repoRoot } from './ensure-deps.mjs'

/** Directory the server build writes to. */
export const serverDist = path.join(repoRoot, 'server', 'dist')
/** The server bundle. */
export const serverBundle = path.join(serverDist, 'server.mjs')
/**
 * What runs the server: loads the npm packages {@link serverBundle} loads, then installs the stack trace mapping
 * (server/src/stack-source-maps.ts) and imports the bundle (see {@link launcherSource}).
 */
export const serverLauncher = path.join(serverDist, 'launch.mjs')
/**
 * The `copy-rooms` command as one bundle (`node dist/copy-rooms.mjs --from … --to …`, `npm run copy-rooms` in the
 * image, where there is no tsx): the stores and their commit thread's script, the same npm imports as the server.
 */
export const copyRoomsBundle = path.join(serverDist, 'copy-rooms.mjs')

const SERVER_DIR = path.join(repoRoot, 'server')
const ENTRY = path.join(SERVER_DIR, 'src', 'server.ts')
/** What the launcher installs before it loads the bundle: stack traces mapped to our sources (stack-source-maps.ts). */
const STACK_MAPS_ENTRY = path.join(SERVER_DIR, 'src', 'stack-source-maps.ts')
const COPY_ROOMS_ENTRY = path.join(SERVER_DIR, 'src', 'copy-rooms-cli.ts')
/** Worker threads' scripts, started by `new URL('./<name>', import.meta.url)`, so they sit beside the bundle. */
const WORKER_SOURCES = ['update-writer.worker.mjs', 'wal-checkpointer.worker.mjs'].map((name) =>
	path.join(SERVER_DIR, 'src', 'store', name)
)
/**
 * npm packages bundled in like our own code instead of loaded from `server/node_modules`: pure JavaScript that
 * no other package the server loads imports at run time (so the bundle's copy is the only one — Yjs refuses a
 * second), and that cost more as packages than as bundled code. Each ESM file Node loads is a module of its own
 * with its source kept as written (TypeBox alone is some 300 files; yjs's source is a two-byte string because of
 * a few non-Latin-1 characters); bundled, they are the used parts in our one-byte, whitespace-free chunks
 * (docs/benchmarks.md finding 17: with the CommonJS packages required and the maps read on demand, 1 MiB less
 * heap at idle; finding 8's doubled S5 tail with them bundled did not come back in alternated rounds).
 */
const BUNDLED_PACKAGES = new Set(['@sinclair/typebox', 'yjs', 'y-protocols', 'lib0'])
/** esbuild namespace of the modules that `require` a CommonJS package for the bundle (see isCommonJsPackage). */
const REQUIRED_NAMESPACE = 'kompasbord-required'
/**
 * Opens every output file: the `require` the bundle loads CommonJS packages with (esbuild's `__require` calls
 * it).
 */
const BANNER =
	'import{createRequire as __createRequire}from"node:module";const require=__createRequire(import.meta.url);'
const CHUNKS_DIR = path.join(serverDist, 'chunks')
const TEMPLATES_DIR = path.join(repoRoot, 'templates')
/** The module whose files the bundle inlines (see templates/packaged-templates.ts). */
const PACKAGED_TEMPLATES = /[\\/]templates[\\/]packaged-templates\.ts$/
/**
 * Chunks of earlier builds are removed once they are this old: a server started from an earlier build loads its
 * chunks on first use (the first Word export), possibly after a rebuild.
 */
const STALE_CHUNK_MS = 24 * 60 * 60_000

/** @type {import('./build-stamp.mjs').BuildSpec} */
const SERVER_BUILD = {
	name: 'server',
	outputs: [
		serverBundle,
		copyRoomsBundle,
		serverLauncher,
		path.join(serverDist, 'stack-source-maps.mjs'),
		...WORKER_SOURCES.map((source) => path.join(serverDist, path.basename(source))),
	],
	stampFile: path.join(repoRoot, 'node_modules', '.kompasbord-server-build.json'),
	inputDirs: ['server', 'shared', 'templates'],
	inputFiles: ['pnpm-lock.yaml', 'tsconfig.base.json', 'scripts/build-server.mjs'],
}

/**
 * The server's dependencies from its package.json: npm packages stay imports, workspace packages are bundled.
 * @returns {{ npm: Set<string>, workspace: Set<string> }}
 */
function serverDependencies() {
	const manifest = JSON.parse(readFileSync(path.join(SERVER_DIR, 'package.json'), 'utf8'))
	const npm = new Set()
	const workspace = new Set()
	for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
		if (String(version).startsWith('workspace:')) workspace.add(name)
		else npm.add(name)
	}
	return { npm, workspace }
}

/**
 * `@scope/name/sub/path` → `@scope/name`, `name/sub` → `name`.
 * @param {string} specifier
 */
function packageName(specifier) {
	const parts = specifier.split('/')
	return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

/**
 * Keeps the server's npm dependencies as imports (but {@link BUNDLED_PACKAGES}) and bundles the workspace packages;
 * any other package is an error.
 * @param {{ npm: Set<string>, workspace: Set<string> }} dependencies
 * @returns {import('esbuild').Plugin}
 */
function dependencyImports(dependencies) {
	const builtins = new Set(builtinModules)
	return {
		name: 'kompasbord-dependencies',
		setup(build) {
			build.onResolve({ filter: /^[^./]/ }, (args) => {
				if (args.path.startsWith('node:') || builtins.has(args.path)) return undefined
				const name = packageName(args.path)
				if (dependencies.workspace.has(name)) return undefined
				if (dependencies.npm.has(name)) {
					if (BUNDLED_PACKAGES.has(name)) return undefined
					if (args.kind === 'import-statement' && isCommonJsPackage(name))
						return { path: args.path, namespace: REQUIRED_NAMESPACE }
					return { path: args.path, external: true }
				}
				return {
					errors: [
						{
							text:
								`${path.relative(repoRoot, args.importer)} imports "${args.path}", which is not a dependency of ` +
								'@kompasbord/server: add it to server/package.json, or the bundle cannot load it at run time',
						},
					],
				}
			})
			// A CommonJS package imported statically: `require`d (the `require` of BANNER), see isCommonJsPackage.
			build.onLoad({ filter: /.*/, namespace: REQUIRED_NAMESPACE }, (args) => ({
				contents: `module.exports = require(${JSON.stringify(args.path)})`,
				loader: 'js',
				resolveDir: SERVER_DIR,
			}))
		},
	}
}

/**
 * Packages with an ES module entry that is only a wrapper importing their CommonJS files (one instance either
 * way), loaded with `require` like a CommonJS package: ws (`wrapper.mjs`), which otherwise costs an idle server
 * 2–3 MiB of RSS in the ESM loader's lexing of its files (docs/benchmarks.md finding 17).
 */
const COMMONJS_WRAPPED_PACKAGES = new Set(['ws'])

/** Package name → whether it is CommonJS, as {@link isCommonJsPackage} found. */
const commonJsPackages = new Map()

/**
 * Whether an npm package of the server is CommonJS (its `package.json` does not say `"type": "module"`, has no
 * ES module build of its own beside the CommonJS one, and `require` resolves it to a `.js` or `.cjs` file). A
 * package with both builds is imported: other packages import its ES module build, and the two would be two
 * instances (Yjs refuses a second). The bundle loads a CommonJS package with `require` instead of
 * `import`: Node's ESM loader would run its CommonJS lexer over the package's source to find its exports and
 * wrap it in a module record — start-up work whose parser and compiler memory glibc then keeps, and heap an idle
 * server holds (docs/benchmarks.md finding 17). Both load the same `module.exports`, and packages that `require`
 * each other share that instance either way.
 * @param {string} name
 */
function isCommonJsPackage(name) {
	let commonJs = commonJsPackages.get(name)
	if (commonJs === undefined) {
		commonJs = readsAsCommonJs(name)
		commonJsPackages.set(name, commonJs)
	}
	return commonJs
}

/** See {@link isCommonJsPackage}: what the package's files say, read once per package. */
function readsAsCommonJs(name) {
	let entry
	try {
		entry = createRequire(path.join(SERVER_DIR, 'package.json')).resolve(name)
	} catch {
		// No entry for `require` (e.g. only subpaths exported, as y-protocols): imported.
		return false
	}
	if (!/\.c?js$/.test(entry)) return false
	let nearest = null
	for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
		let manifest
		try {
			manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') continue
			throw error
		}
		nearest ??= manifest
		if (manifest.name !== name) continue
		// The nearest package.json decides how Node reads a .js file; the package's own whether it has both builds.
		if (entry.endsWith('.js') && nearest.type === 'module') return false
		const dual = manifest.module || hasImportCondition(manifest.exports)
		return !dual || COMMONJS_WRAPPED_PACKAGES.has(name)
	}
	return false
}

/**
 * Whether a `package.json` `exports` field names an ES module build (an `import` or `module` condition anywhere).
 * @param {unknown} exports
 * @returns {boolean}
 */
function hasImportCondition(exports) {
	if (!exports || typeof exports !== 'object') return false
	return Object.entries(exports).some(
		([key, value]) => key === 'import' || key === 'module' || hasImportCondition(value)
	)
}

/**
 * Replaces templates/packaged-templates.ts with a module that returns the text of every JSON file of the
 * templates folder as it is now.
 * @param {{ inlined: boolean }} seen set once the module was replaced
 * @returns {import('esbuild').Plugin}
 */
function inlineTemplateFiles(seen) {
	return {
		name: 'kompasbord-template-files',
		setup(build) {
			build.onLoad({ filter: PACKAGED_TEMPLATES }, () => {
				const files = readdirSync(TEMPLATES_DIR)
					.filter((name) => name.endsWith('.json'))
					.sort()
					.map((name) => ({ name, text: readFileSync(path.join(TEMPLATES_DIR, name), 'utf8') }))
				seen.inlined = true
				return {
					contents: `export function packagedTemplateFiles() {\n\treturn ${JSON.stringify(files)}\n}\n`,
					loader: 'js',
				}
			})
		},
	}
}

/** @returns {Promise<typeof import('esbuild')>} esbuild, a development dependency of the server */
async function loadEsbuild() {
	const resolved = createRequire(path.join(SERVER_DIR, 'package.json')).resolve('esbuild')
	return import(pathToFileURL(resolved).href)
}

/**
 * Writes `contents` to `file` through a temporary file renamed over it.
 * @param {string} file
 * @param {string | Uint8Array} contents
 */
function writeAtomically(file, contents) {
	mkdirSync(path.dirname(file), { recursive: true })
	const temporary = `${file}.${process.pid}.tmp`
	writeFileSync(temporary, contents)
	renameSync(temporary, file)
}

/**
 * Removes the chunks of earlier builds that are older than {@link STALE_CHUNK_MS}.
 * @param {Set<string>} current the chunks just written (absolute paths)
 */
function removeStaleChunks(current) {
	let names
	try {
		names = readdirSync(CHUNKS_DIR)
	} catch {
		return
	}
	const now = Date.now()
	for (const name of names) {
		const file = path.join(CHUNKS_DIR, name)
		if (current.has(file)) continue
		try {
			if (now - statSync(file).mtimeMs > STALE_CHUNK_MS) rmSync(file, { force: true })
		} catch {
			// already gone
		}
	}
}

/**
 * The launcher's text: loads the npm packages the bundle loads at start, in the order the bundle loads them
 * (`require` for the CommonJS ones, as the bundle does, `import` for the others), installs the stack trace
 * mapping (stack-source-maps.mjs) and imports the bundle. Node's own source maps stay off: with
 * `--enable-source-maps` Node read and kept the maps of every package loaded (4 MiB of heap, 5.5 MiB of RSS at
 * idle), and with `process.setSourceMapsEnabled` after the packages it still kept those of the bundle and its
 * chunks (0.8 MiB), for stack traces an idle server never prints; stack-source-maps.ts reads a file's map when a
 * stack trace first names that file.
 * @param {import('esbuild').Metafile} metafile the server build's
 * @returns {string}
 */
function launcherSource(metafile) {
	/** @type {Map<string, 'require' | 'import'>} */
	const packages = new Map()
	const visited = new Set()
	// The bundle and the chunks it imports statically (chunks shared with lazy ones), depth first in import order.
	const visit = (file) => {
		if (visited.has(file)) return
		visited.add(file)
		const output = metafile.outputs[file]
		if (!output) throw new Error(`the server build did not report ${file}`)
		for (const entry of output.imports) {
			if (entry.kind !== 'import-statement' && entry.kind !== 'require-call') continue
			if (!entry.external) {
				if (entry.kind === 'import-statement') visit(entry.path)
			} else if (!entry.path.startsWith('node:') && !builtinModules.includes(entry.path)) {
				packages.set(entry.path, entry.kind === 'require-call' ? 'require' : 'import')
			}
		}
	}
	visit(path.relative(repoRoot, serverBundle).split(path.sep).join('/'))
	return [
		'// Generated by scripts/build-server.mjs: the npm packages first, then the stack trace mapping, then the bundle.',
		"import { createRequire } from 'node:module'",
		"import { fileURLToPath } from 'node:url'",
		"import { installStackSourceMaps } from './stack-source-maps.mjs'",
		'const require = createRequire(import.meta.url)',
		...[...packages].map(([specifier, how]) =>
			how === 'require' ? `require(${JSON.stringify(specifier)})` : `await import(${JSON.stringify(specifier)})`
		),
		"installStackSourceMaps(fileURLToPath(new URL('.', import.meta.url)))",
		"await import('./server.mjs')",
		'',
	].join('\n')
}

/**
 * Bundles the server into {@link serverDist} (always; see {@link ensureServerBuild} for "only when needed").
 * @returns {Promise<void>}
 * @throws when esbuild reports errors
 */
export async function buildServer() {
	const esbuild = await loadEsbuild()
	const seen = { inlined: false }
	const dependencies = serverDependencies()
	/** What the server bundle and the copy-rooms command are built with alike. */
	const common = {
		absWorkingDir: repoRoot,
		bundle: true,
		platform: /** @type {const} */ ('node'),
		format: /** @type {const} */ ('esm'),
		target: 'node20',
		sourcemap: /** @type {const} */ ('linked'),
		sourcesContent: false,
		legalComments: /** @type {const} */ ('none'),
		// ASCII only (other characters as escapes): V8 keeps a script's source as one byte per character only
		// when every character is Latin-1; a single `—` in a comment made the whole bundle a two-byte string.
		charset: /** @type {const} */ ('ascii'),
		banner: { js: BANNER },
		logLevel: /** @type {const} */ ('warning'),
		write: false,
	}
	const result = await esbuild.build({
		...common,
		entryPoints: { server: ENTRY, 'stack-source-maps': STACK_MAPS_ENTRY },
		outdir: serverDist,
		outExtension: { '.js': '.mjs' },
		chunkNames: 'chunks/[name]-[hash]',
		splitting: true,
		// Without comments and indentation: the source text is part of the heap (stack traces are mapped anyway).
		minifyWhitespace: true,
		metafile: true,
		plugins: [dependencyImports(dependencies), inlineTemplateFiles(seen)],
	})
	if (!seen.inlined)
		throw new Error('the template files were not inlined: templates/packaged-templates.ts is no longer bundled')
	// copy-rooms: one file without chunks of its own (it shares none with the server's, so a rebuild of either
	// never leaves the other pointing at a removed chunk).
	const copyRooms = await esbuild.build({
		...common,
		entryPoints: [COPY_ROOMS_ENTRY],
		outfile: copyRoomsBundle,
		plugins: [dependencyImports(dependencies), inlineTemplateFiles({ inlined: false })],
	})
	const written = new Set()
	for (const output of [...result.outputFiles, ...copyRooms.outputFiles]) {
		writeAtomically(output.path, output.contents)
		written.add(output.path)
	}
	for (const source of WORKER_SOURCES)
		writeAtomically(path.join(serverDist, path.basename(source)), readFileSync(source))
	writeAtomically(serverLauncher, launcherSource(result.metafile))
	removeStaleChunks(written)
}

/**
 * Builds the server bundle when its inputs changed since the last build (or always, with `force`).
 * @param {{ force?: boolean }} [options]
 * @returns {Promise<boolean>} whether a build ran
 * @throws when the build fails
 */
export async function ensureServerBuild(options = {}) {
	const ticket = startBuild(SERVER_BUILD, options)
	if (!ticket) return false
	await buildServer()
	finishBuild(SERVER_BUILD, ticket)
	return true
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	try {
		if (!process.argv.includes('--no-install')) ensureDeps()
		await ensureServerBuild({ force: process.argv.includes('--force') })
	} catch (error) {
		console.error(`[kompasbord] ${error instanceof Error ? error.message : String(error)}`)
		process.exit(1)
	}
}
