import { readFileSync, realpathSync } from 'node:fs'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import JSZip from 'jszip'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP, zoneFrameId } from '@kompasbord/shared'
import { resolveZones } from '@kompasbord/templates'
import { ensureServerBuild, serverBundle, serverDist, serverLauncher } from '../scripts/build-server.mjs'
import { repoRoot } from '../scripts/ensure-deps.mjs'
import { SERVER_NODE_FLAGS, serverLaunch } from '../scripts/server-launch.mjs'
import { api, type ApiClient, type CreatedRoom } from './support/api'
import { startServerProcess, type ServerProcess } from './support/server-process'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

const execFileAsync = promisify(execFile)

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * The server as shipped: the esbuild bundle (scripts/build-server.mjs) started as `npm start` starts it
 * (scripts/server-launch.mjs), through the public HTTP and websocket contract, including what the bundle has
 * to get right: the inlined templates, the commit thread's script beside the bundle, the lazily loaded
 * exporters.
 */
describe('server bundle', () => {
	let server: ServerProcess
	let http: ApiClient
	let room: CreatedRoom
	let y: YClient | undefined

	beforeAll(async () => {
		await ensureServerBuild()
		server = await startServerProcess({ bundle: true })
		http = api(server.baseUrl)
	})
	afterAll(async () => {
		y?.destroy()
		await server?.stop()
	})

	it('keeps the Word exporter (and docx) out of the start-up: it is a chunk loaded on first use', async () => {
		const bundle = readFileSync(serverBundle, 'utf8')
		expect(bundle).not.toMatch(/from\s*["']docx["']/)
		const chunk = /import\(["']\.\/(chunks\/render-docx-[\w-]+\.mjs)["']\)/.exec(bundle)
		expect(chunk, 'a lazy import of the render-docx chunk').not.toBeNull()
		expect(await readdir(path.join(serverDist, 'chunks'))).toContain(path.basename(chunk![1]))
	})

	it('loads prom-client only when METRICS_TOKEN is set: it is in a chunk, not among the packages loaded at start', () => {
		const bundle = readFileSync(serverBundle, 'utf8')
		expect(bundle).not.toMatch(/from\s*["']prom-client["']/)
		expect(readFileSync(serverLauncher, 'utf8')).not.toContain('prom-client')
		expect(readFileSync(serverLauncher, 'utf8')).toContain('"fastify"')
	})

	it('loads CommonJS packages with require and ES module ones with import; Yjs, y-protocols and lib0 are bundled', () => {
		const launcher = readFileSync(serverLauncher, 'utf8')
		for (const commonJs of ['fastify', 'pino', 'better-sqlite3', '@fastify/websocket', 'ws'])
			expect(launcher).toContain(`require(${JSON.stringify(commonJs)})`)
		expect(launcher).toContain('await import("nanoid")')
		const bundle = readFileSync(serverBundle, 'utf8')
		expect(bundle).toContain('__require("fastify")')
		expect(bundle).not.toMatch(/from\s*["']fastify["']/)
		for (const bundled of ['yjs', 'y-protocols', 'lib0']) {
			expect(launcher).not.toContain(`"${bundled}`)
			expect(bundle).not.toMatch(new RegExp(`from\\s*["']${bundled}[/"']`))
		}
	})

	it('runs on plain node with MALLOC_ARENA_MAX=2 unless the operator set it, and with its V8 flags', () => {
		const launch = serverLaunch({ env: { PORT: '0' } })
		expect(launch.command).toBe(process.execPath)
		expect(launch.args).toEqual([
			'--no-memory-reducer',
			'--single-threaded-gc',
			'--no-allocation-site-pretenuring',
			serverLauncher,
		])
		// The image runs the same flags.
		const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'))
		expect(JSON.parse(cmd![1])).toEqual(['node', ...SERVER_NODE_FLAGS, 'dist/launch.mjs'])
		expect(launch.env).toEqual({ PORT: '0', MALLOC_ARENA_MAX: '2' })
		expect(serverLaunch({ env: { MALLOC_ARENA_MAX: '4' } }).env.MALLOC_ARENA_MAX).toBe('4')
		if (process.platform === 'linux') {
			const environ = readFileSync(`/proc/${server.process.pid}/environ`, 'utf8').split('\0')
			expect(environ).toContain('MALLOC_ARENA_MAX=2')
			const cmdline = readFileSync(`/proc/${server.process.pid}/cmdline`, 'utf8').split('\0')
			expect(cmdline).toEqual(
				expect.arrayContaining(['--no-memory-reducer', '--single-threaded-gc', '--no-allocation-site-pretenuring'])
			)
		}
	})

	it("maps stack traces of the bundle when they are read, parses no package's maps; loads tldraw's schema on first use", async () => {
		expect(readFileSync(serverBundle, 'latin1')).toMatch(/^[\x00-\x7f]*$/) // one byte per character in V8
		// tlschema: loaded by rooms/tldraw-schema.ts (its ES module build, through require), ships maps.
		const serverRequire = createRequire(path.join(serverDist, '..', 'package.json'))
		const tlschema = realpathSync(serverRequire.resolve('@tldraw/tlschema')).replace(
			/dist-cjs\/index\.js$/,
			'dist-esm/index.mjs'
		)
		expect(readFileSync(tlschema, 'utf8')).toContain('//# sourceMappingURL=')
		expect(readFileSync(serverLauncher, 'utf8')).not.toContain('@tldraw/tlschema')
		// The chunk the bundle imports `httpError` from (server/src/http/errors.ts): a function of ours to throw from.
		const errorsChunk = [
			...readFileSync(serverBundle, 'utf8').matchAll(/import\{([^}]*)\}from"\.\/(chunks\/[\w-]+\.mjs)"/g),
		].find((match) => match[1].split(',').includes('httpError'))?.[2]
		expect(errorsChunk, 'the chunk that exports httpError').toBeDefined()
		const dataDir = await mkdtemp(path.join(tmpdir(), 'kb-bundle-maps-'))
		// In the server's process once it listens, and again after it created a room (which stamps tldraw's schema
		// into the doc): whether tlschema is loaded, whether Node parsed any source map (the bundle's, or one of the
		// loaded npm modules that name one: e.g. fastify's `ret`, then tlschema's packages) — none should — and the
		// stack trace of an error made in our code, which should name our TypeScript file.
		const probe = [
			"import { readFileSync } from 'node:fs'",
			"import { createRequire, findSourceMap } from 'node:module'",
			"import { pathToFileURL } from 'node:url'",
			`const cached = () => Object.keys(createRequire(${JSON.stringify(serverBundle)}).cache)`,
			"const naming = () => cached().filter((file) => /node_modules/.test(file) && readFileSync(file, 'utf8').includes('//# sourceMappingURL='))",
			'const state = () => ({',
			`\tbundle: !!findSourceMap(pathToFileURL(${JSON.stringify(serverBundle)}).href),`,
			'\tnamingMaps: naming().length > 0,',
			'\tparsedMaps: naming().filter((file) => findSourceMap(pathToFileURL(file).href)),',
			`\ttlschema: cached().includes(${JSON.stringify(tlschema)}),`,
			'})',
			'const timer = setInterval(async () => {',
			'\tif (!globalThis.__port) return',
			'\tclearInterval(timer)',
			'\tconst atStart = state()',
			"\tconst created = await fetch('http://127.0.0.1:' + globalThis.__port + '/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ templateId: 'blanco' }) })",
			`\tconst { httpError } = await import(pathToFileURL(${JSON.stringify(path.join(serverDist, errorsChunk ?? ''))}).href)`,
			"\tconst stack = httpError(400, 'bad_request', 'probe').stack",
			'\tconst maps = { atStart, created: created.status, afterRoom: state(), stack }',
			'\tprocess.stdout.write(`MAPS ${JSON.stringify(maps)}\\n`, () => process.exit(0))',
			'}, 20)',
			"process.stdout.on('data', () => {})",
			'const write = process.stdout.write.bind(process.stdout)',
			'process.stdout.write = (chunk, ...rest) => {',
			'\tconst port = /Kompasbord listening on port (\\d+)/.exec(String(chunk))',
			'\tif (port) globalThis.__port = port[1]',
			'\treturn write(chunk, ...rest)',
			'}',
		].join('\n')
		const launch = serverLaunch({ env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir } })
		try {
			const { stdout } = await execFileAsync(
				launch.command,
				[`--import=data:text/javascript,${encodeURIComponent(probe)}`, ...launch.args],
				{ env: launch.env, timeout: 60_000 }
			)
			const maps = JSON.parse(/^MAPS (.*)$/m.exec(stdout)![1])
			expect(maps).toEqual({
				atStart: { bundle: false, namingMaps: true, parsedMaps: [], tlschema: false },
				created: 201,
				afterRoom: { bundle: false, namingMaps: true, parsedMaps: [], tlschema: true },
				stack: expect.any(String),
			})
			const errorsSource = pathToFileURL(path.join(repoRoot, 'server', 'src', 'http', 'errors.ts')).href
			const lines = readFileSync(path.join(repoRoot, 'server', 'src', 'http', 'errors.ts'), 'utf8').split('\n')
			const line = lines.findIndex((text) => text.includes('return new HttpError(')) + 1
			expect(maps.stack.split('\n').slice(0, 2)).toEqual([
				'HttpError: probe',
				expect.stringMatching(new RegExp(`^    at httpError \\(${escapeRegExp(errorsSource)}:${line}:\\d+\\)$`)),
			])
		} finally {
			await rm(dataDir, { recursive: true, force: true })
		}
	})

	it('creates a room from a template and syncs its records to a y-websocket client', async () => {
		room = await http.createRoom('veranderverhaal', { title: 'Bundel' })
		y = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
		await y.waitForSync()
		const records = y.doc.getMap(RECORDS_MAP)
		const zones = resolveZones('veranderverhaal')!
		expect(zones.length).toBeGreaterThan(0)
		for (const zone of zones) expect(records.has(zoneFrameId(zone.id)), zone.id).toBe(true)
	})

	it('places a phone note (committed by the commit thread) and exports it as Markdown and Word', async () => {
		const text = 'Gebundeld en verscheept'
		const phone = await http.joinRoom(room.joinCode)
		const posted = await http.postNote(
			room.roomId,
			{ zoneId: 'doel', text, clientNoteId: 'note-bundle-0001' },
			phone.participantToken
		)
		expect(posted.status).toBe('placed')
		await waitFor(() => y!.doc.getMap(RECORDS_MAP).has(posted.noteId), { message: 'the note in the client doc' })

		const markdown = await (await http.exportRoom(room.roomId, room.facilitatorKey, 'md')).text()
		expect(markdown).toContain(text)

		const word = await http.exportRoom(room.roomId, room.facilitatorKey, 'docx')
		expect(word.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.wordprocessingml.document'
		)
		const zip = await JSZip.loadAsync(await word.arrayBuffer())
		expect(await zip.file('word/document.xml')!.async('string')).toContain(text)
	})

	it('stops cleanly on SIGTERM', async () => {
		y?.destroy()
		y = undefined
		expect(await server.stop()).toEqual({ code: 0, signal: null })
	})
})
