import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { serverLaunch } from '../../scripts/server-launch.mjs'
import { repoRoot, serverEntry } from './paths'
import { makeTempDir, removeTempDir } from './temp-dir'

/** The line the server prints once it listens; tests read the port from it. */
export const READY_LINE = /Kompasbord listening on port (\d+)/

/** Options of {@link startServerProcess}. */
export interface StartServerProcessOptions {
	/** Extra environment for the server (wins over the defaults `PORT=0 HOST=127.0.0.1 DATA_DIR=<temp>`). */
	env?: Record<string, string | undefined>
	/** Data directory to use; it is then left in place. Default: a fresh temp dir, removed by `stop()`. */
	dataDir?: string
	/** Script to run instead of `server/src/server.ts` (absolute or relative to the repo root). */
	entry?: string
	/**
	 * Run the built bundle as `npm start` does (scripts/server-launch.mjs: plain node on `server/dist/server.mjs`,
	 * `MALLOC_ARENA_MAX=2`) instead of the sources through tsx; build it first (`ensureServerBuild()`).
	 */
	bundle?: boolean
	/** Failure bound for the ready line, in ms (default 60 000). */
	startTimeoutMs?: number
	/** Echo the server's output to this process's stderr (default: env `KOMPASBORD_TEST_SERVER_LOG=1`). */
	echo?: boolean
}

/** Options of {@link ServerProcess.restart}. */
export interface RestartOptions {
	/** Environment changes for the new process (merged over the original options' `env`). */
	env?: Record<string, string | undefined>
	/** Listen on the same port as before (default true), so open clients and URLs stay valid. */
	samePort?: boolean
}

/** How a server process ended. */
export interface ServerExit {
	code: number | null
	signal: NodeJS.Signals | null
}

/** A running server process started by {@link startServerProcess}. */
export interface ServerProcess {
	/** Port the server listens on (may change after `restart({ samePort: false })`). */
	readonly port: number
	/** `http://127.0.0.1:<port>` */
	readonly baseUrl: string
	/** `ws://127.0.0.1:<port>/ws` — the y-websocket server URL; the room id is appended by the client. */
	readonly wsUrl: string
	/** The DATA_DIR of the server; kept across `restart()` and `kill9()`. */
	readonly dataDir: string
	/** The current child process. */
	readonly process: ChildProcess
	/** The last lines the server wrote to stdout and stderr. */
	output(): string
	/** SIGTERM, wait for exit (SIGKILL after 15 s), then remove the temp DATA_DIR if we made it. */
	stop(): Promise<ServerExit>
	/** SIGKILL and wait for the exit: a crash. The DATA_DIR stays for `restart()`. */
	kill9(): Promise<ServerExit>
	/** Stops the server if it runs (gracefully) and starts it again on the same DATA_DIR. */
	restart(options?: RestartOptions): Promise<void>
}

/** Preload that stops a server whose test process died (see orphan-guard.mjs). */
const orphanGuard = pathToFileURL(path.join(import.meta.dirname, 'orphan-guard.mjs')).href
const OUTPUT_LINES_KEPT = 300
const STOP_GRACE_MS = 15_000

/** Servers not stopped yet; killed when the test process exits. */
const liveProcesses = new Set<ChildProcess>()
process.once('exit', () => {
	for (const child of liveProcesses) child.kill('SIGKILL')
})

/** Environment of the test runner without vitest's own variables, so the server runs as under `npm start`. */
function baseEnv(): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {}
	for (const [key, value] of Object.entries(process.env)) {
		if (key.startsWith('VITEST') || key === 'NODE_ENV' || key === 'TEST') continue
		env[key] = value
	}
	return env
}

/** Resolves when the child has exited (at once if it already has). */
function exited(child: ChildProcess): Promise<ServerExit> {
	if (child.exitCode !== null || child.signalCode !== null) {
		return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
	}
	return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
}

interface Launched {
	child: ChildProcess
	port: number
}

/**
 * Starts `server/src/server.ts` as a real process (`node --import tsx`, one process, so `kill9()` really kills
 * the server; the bundle with `bundle`) with `PORT=0 HOST=127.0.0.1 DATA_DIR=<fresh temp dir>`, and resolves once
 * it printed `Kompasbord listening on port <port>`. Rejects with the server's output if it exits or stays silent.
 *
 * Call `stop()` in `afterAll`/`afterEach`; anything left is killed when the test process exits, and a server
 * whose test process was killed stops by itself (orphan-guard.mjs).
 */
export async function startServerProcess(options: StartServerProcessOptions = {}): Promise<ServerProcess> {
	const ownsDataDir = options.dataDir === undefined
	const dataDir = options.dataDir ?? (await makeTempDir('kompasbord-server-'))
	const entry = path.resolve(repoRoot, options.entry ?? serverEntry)
	const echo = options.echo ?? process.env.KOMPASBORD_TEST_SERVER_LOG === '1'
	const startTimeoutMs = options.startTimeoutMs ?? 60_000
	const lines: string[] = []
	let envOverrides = { ...options.env }
	let stopping = false

	const remember = (stream: 'out' | 'err', line: string) => {
		lines.push(stream === 'err' ? `[stderr] ${line}` : line)
		if (lines.length > OUTPUT_LINES_KEPT) lines.shift()
		if (echo) process.stderr.write(`[server:${path.basename(dataDir)}] ${line}\n`)
	}
	const output = () => lines.join('\n')

	const launch = (port: number): Promise<Launched> =>
		new Promise((resolve, reject) => {
			const env: NodeJS.ProcessEnv = {
				...baseEnv(),
				PORT: String(port),
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
			}
			for (const [key, value] of Object.entries(envOverrides)) {
				if (value === undefined) delete env[key]
				else env[key] = value
			}
			if (ownsDataDir) env.KOMPASBORD_TEST_OWNED_DATA_DIR = dataDir
			const command = options.bundle
				? serverLaunch({ env, nodeFlags: ['--import', orphanGuard] })
				: { command: process.execPath, args: ['--import', 'tsx', '--import', orphanGuard, entry], env }
			// The IPC channel only serves orphan-guard.mjs: the server stops when this test process dies.
			const child = spawn(command.command, command.args, {
				cwd: repoRoot,
				env: command.env,
				stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
			})
			child.channel?.unref()
			liveProcesses.add(child)
			let ready = false
			const fail = (reason: string) => {
				if (ready) return
				ready = true
				clearTimeout(timer)
				child.kill('SIGKILL')
				reject(new Error(`server did not start: ${reason}\n--- server output ---\n${output() || '(none)'}`))
			}
			const timer = setTimeout(() => fail(`no ready line within ${startTimeoutMs} ms`), startTimeoutMs)
			createInterface({ input: child.stderr! }).on('line', (line) => remember('err', line))
			createInterface({ input: child.stdout! }).on('line', (line) => {
				remember('out', line)
				const match = READY_LINE.exec(line)
				if (match && !ready) {
					ready = true
					clearTimeout(timer)
					resolve({ child, port: Number(match[1]) })
				}
			})
			child.once('error', (error) => fail(error.message))
			child.once('exit', (code, signal) => {
				liveProcesses.delete(child)
				if (!ready) {
					// Let readline deliver the last lines before reporting them.
					setImmediate(() => fail(`exited with ${signal ?? `code ${code}`} before listening`))
				} else if (!stopping) {
					process.stderr.write(
						`[tests/support] server (DATA_DIR ${dataDir}) exited unexpectedly with ${signal ?? `code ${code}`}\n` +
							`--- last server output ---\n${output()}\n`
					)
				}
			})
		})

	let current: Launched
	try {
		current = await launch(0)
	} catch (error) {
		if (ownsDataDir) await removeTempDir(dataDir)
		throw error
	}

	const terminate = async (signal: NodeJS.Signals): Promise<ServerExit> => {
		const child = current.child
		stopping = true
		const done = exited(child)
		if (child.exitCode === null && child.signalCode === null) {
			child.kill(signal)
			if (signal !== 'SIGKILL') {
				const escalate = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
				void done.then(() => clearTimeout(escalate))
			}
		}
		return done
	}

	const handle: ServerProcess = {
		get port() {
			return current.port
		},
		get baseUrl() {
			return `http://127.0.0.1:${current.port}`
		},
		get wsUrl() {
			return `ws://127.0.0.1:${current.port}/ws`
		},
		dataDir,
		get process() {
			return current.child
		},
		output,
		async stop() {
			const result = await terminate('SIGTERM')
			if (ownsDataDir) await removeTempDir(dataDir)
			return result
		},
		kill9() {
			return terminate('SIGKILL')
		},
		async restart(restartOptions = {}) {
			await terminate('SIGTERM')
			envOverrides = { ...envOverrides, ...restartOptions.env }
			const port = restartOptions.samePort === false ? 0 : current.port
			current = await launch(port)
			stopping = false
		},
	}
	return handle
}
