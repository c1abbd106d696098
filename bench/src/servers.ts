/**
 * Server adapters: start our server or the reference y-websocket server as a child process pinned to one
 * core, and talk to both through the same small interface.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { serverLaunch } from '../../scripts/server-launch.mjs'
import { benchCores } from './cores'
import { OUR_SERVER_ENTRY, REFERENCE_SERVER_ENTRY, REFERENCE_TIMED_ENTRY, REPO_DIR } from './paths'

/** Which server: Kompasbord's own, or @y/websocket-server 0.1.1 with LevelDB persistence. */
export type ServerKind = 'ours' | 'reference'

/** Both kinds, in the order a round runs them (A, then B). */
export const SERVER_KINDS: readonly ServerKind[] = ['ours', 'reference']

/** How to start a server. */
export interface StartOptions {
	/** Data directory to use (kept on stop); a fresh temporary one when absent. */
	dataDir?: string
	/** CPU list for `taskset -c` (default: the server's core, see cores.ts); null runs unpinned. */
	cpu?: string | null
	/** Start with the inspector on a random port, so the harness can force a full GC (memory scenario). */
	inspect?: boolean
	/** Write a V8 CPU profile of the server into this directory on exit. */
	cpuProfileDir?: string
	/** Reference only: run the instrumented copy that times its LevelDB writes (time-to-durable scenario). */
	timedPersistence?: boolean
	/** Extra node flags, e.g. `--trace-gc` when looking into pauses. */
	nodeFlags?: string[]
	/** Called with every line the server writes (stdout and stderr). */
	onOutput?: (line: string) => void
	/** Ours only: more environment (e.g. `DATABASE_URL`, `REDIS_URL` for the cluster scenario). */
	env?: Record<string, string>
	/**
	 * Ours only: start with an operator's metrics token, so the harness may read `/api/metrics` (S5, update-cost).
	 * Off otherwise: the token also turns on the Prometheus metrics (a histogram per change, an event-loop timer,
	 * about 1 MiB of heap), and the goals are for the default configuration.
	 */
	metrics?: boolean
	/**
	 * Ours only: another build's launcher (a copy of `server/dist` of an earlier commit, e.g. for before/after
	 * comparisons in bench/src/tools/update-cost.ts); default the working tree's build.
	 */
	launcher?: string
}

/** A running server. */
export interface RunningServer {
	kind: ServerKind
	pid: number
	port: number
	/** `serverUrl` for y-websocket's WebsocketProvider; the room id is its `roomname`. */
	wsUrl: string
	/** Base URL for HTTP requests. */
	httpUrl: string
	dataDir: string
	/** The inspector's WebSocket URL when started with `inspect`. */
	inspectorUrl: string | null
	/** Creates a room that clients may join; returns its id. */
	createRoom(): Promise<string>
	/**
	 * The websocket subprotocols a client of the room offers: for our server `kompasbord` and the participant
	 * token {@link RunningServer.createRoom} got for the room; none for the reference server.
	 */
	protocolsFor(roomId: string): string[]
	/** The server's own time-to-durable figures, when it exposes them; null otherwise. */
	durableStats(): Promise<DurableStats | null>
	/** Clears the server's time-to-durable samples (where it has them). */
	resetDurableStats(): Promise<void>
	/** Stops the process (SIGTERM, SIGKILL after a grace period) and waits for it to exit. */
	stop(): Promise<void>
	/** The last lines the process wrote, for error messages. */
	output(): string
}

/**
 * A server's own report of how long updates took from arrival to crash-safe (committed: survives a kill -9 of the
 * process) and to power-safe (fsync'd).
 */
export interface DurableStats {
	p50: number
	p99: number
	count: number
	/** Arrival to power-safe; null for a server that never fsyncs its updates (the reference). */
	powerSafe: { p50: number; p99: number; count: number } | null
	/** Our server's durability setting (`crash` or `power`), when it says. */
	durability?: string
	/** Where the figure comes from, for the report. */
	source: string
}

let tasksetAvailable: boolean | null = null

/** The operator token our server is started with where the harness reads `/api/metrics` ({@link StartOptions.metrics}). */
const METRICS_TOKEN = `bench-${process.pid}-${Date.now().toString(36)}`
const METRICS_HEADERS = { authorization: `Bearer ${METRICS_TOKEN}` }

/** Our server's environment in a benchmark: per-address limits the harness never hits. */
const BENCH_LIMITS_ENV: Record<string, string> = {
	ROOMS_PER_ADDRESS: '1000000',
	NEW_PARTICIPANTS_PER_ADDRESS: '1000000',
	// Every simulated device connects from 127.0.0.1: S1's 50 × 30 point opens 1500 sockets, past the default 1000.
	WS_MAX_SOCKETS_PER_ADDRESS: '1000000',
	// S3 loads its warm-up rooms beside the 50 it measures, past the default of 50 rooms an address may hold open.
	WS_MAX_ROOMS_PER_ADDRESS: '1000000',
}

/** Options applied to every server the harness starts, e.g. CPU profiling for `--profile`. */
const defaults: { cpuProfileDir?: string; profileKinds: ServerKind[]; oursEnv: Record<string, string> } = {
	profileKinds: [],
	oursEnv: {},
}

/** Extra environment for every later start of our server (experiments, e.g. `DURABILITY=power`). */
export function setOursEnv(env: Record<string, string>): void {
	defaults.oursEnv = { ...env }
}

/** Makes every later start of the given kinds write a CPU profile into `dir`. */
export function profileServers(kinds: ServerKind[], dir: string): void {
	defaults.cpuProfileDir = dir
	defaults.profileKinds = kinds
}

/** Server processes still running, killed when the harness exits however it exits. */
const liveChildren = new Set<ChildProcess>()
/** Data directories the harness created, removed by {@link removeTempDirs}. */
const tempDirs = new Set<string>()

process.on('exit', () => {
	for (const child of liveChildren) child.kill('SIGKILL')
	for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
})

/** When each server process (by pid) started listening, in µs of the monotonic clock (`process.hrtime`). */
export const listeningSinceUs = new Map<number, number>()

/** Removes every temporary data directory created by {@link startServer} so far. */
export async function removeTempDirs(): Promise<void> {
	for (const dir of tempDirs) await rm(dir, { recursive: true, force: true })
	tempDirs.clear()
}

/** Whether `taskset` can be used to pin processes to cores. */
export function hasTaskset(): boolean {
	if (tasksetAvailable === null) {
		const probe = spawnSync('taskset', ['-c', '0', 'true'])
		tasksetAvailable = probe.status === 0
	}
	return tasksetAvailable
}

/** Whether our server exists in the working tree yet. */
export function ourServerExists(): boolean {
	return existsSync(OUR_SERVER_ENTRY)
}

/** A free TCP port on 127.0.0.1 (the reference server prints the port it was given, not the one it got). */
export async function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const srv = createServer()
		srv.once('error', reject)
		srv.listen(0, '127.0.0.1', () => {
			const address = srv.address()
			const port = typeof address === 'object' && address !== null ? address.port : 0
			srv.close(() => resolvePort(port))
		})
	})
}

const STARTUP_TIMEOUT_MS = 90_000
const STOP_GRACE_MS = 5_000
const PROFILED_STOP_GRACE_MS = 30_000

/**
 * The participant token of every room our servers created, by room id. Kept across server processes: the memory
 * and cold-load scenarios create rooms in one process and connect to them in the next one on the same data
 * directory (the token secret lives there, so the token stays valid).
 */
const participantTokens = new Map<string, string>()

/**
 * Starts a server of the given kind and resolves once it listens. Ours runs as shipped: the bundle, launched as
 * `npm start` launches it (scripts/server-launch.mjs); build it first (`ensureServerBuild()`).
 */
export async function startServer(kind: ServerKind, options: StartOptions = {}): Promise<RunningServer> {
	let dataDir = options.dataDir
	if (dataDir === undefined) {
		dataDir = await mkdtemp(join(tmpdir(), `kb-bench-${kind}-`))
		tempDirs.add(dataDir)
	}
	const nodeFlags: string[] = [...(options.nodeFlags ?? [])]
	if (options.inspect) nodeFlags.push('--inspect=127.0.0.1:0')
	const profileDir =
		options.cpuProfileDir ?? (defaults.profileKinds.includes(kind) ? defaults.cpuProfileDir : undefined)
	if (profileDir) nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${profileDir}`)
	let command = process.execPath
	let args: string[]
	let env: NodeJS.ProcessEnv
	let port = 0
	if (kind === 'ours') {
		if (!ourServerExists()) throw new Error(`our server is not there yet (${OUR_SERVER_ENTRY})`)
		const launch = serverLaunch({
			env: {
				...process.env,
				...BENCH_LIMITS_ENV,
				...(options.metrics ? { METRICS_TOKEN } : {}),
				...defaults.oursEnv,
				...options.env,
				PORT: '0',
				HOST: '127.0.0.1',
				DATA_DIR: dataDir,
			},
			nodeFlags,
		})
		command = launch.command
		args = options.launcher ? [...launch.args.slice(0, -1), options.launcher] : launch.args
		env = launch.env
	} else {
		port = await freePort()
		const entry = options.timedPersistence ? REFERENCE_TIMED_ENTRY : REFERENCE_SERVER_ENTRY
		args = [...nodeFlags, entry]
		env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', YPERSISTENCE: join(dataDir, 'leveldb') }
	}
	delete env.NODE_OPTIONS
	const cpu = options.cpu === undefined ? String(benchCores().server) : options.cpu
	const child =
		cpu !== null && hasTaskset()
			? spawn('taskset', ['-c', cpu, command, ...args], { cwd: REPO_DIR, env, stdio: 'pipe' })
			: spawn(command, args, { cwd: REPO_DIR, env, stdio: 'pipe' })
	liveChildren.add(child)
	child.once('exit', () => liveChildren.delete(child))
	const lines: string[] = []
	const remember = (line: string): void => {
		options.onOutput?.(line)
		lines.push(line)
		if (lines.length > 40) lines.shift()
	}
	let inspectorUrl: string | null = null
	const listening = new Promise<number>((resolveListening, reject) => {
		const timer = setTimeout(
			() => reject(new Error(`${kind} server did not start in time:\n${lines.join('\n')}`)),
			STARTUP_TIMEOUT_MS
		)
		const out = createInterface({ input: child.stdout! })
		out.on('line', (line) => {
			remember(line)
			const ours = /^Kompasbord listening on port (\d+)/.exec(line)
			const ref = /^running at '.*' on port (\d+)/.exec(line)
			if (ours || ref) {
				clearTimeout(timer)
				resolveListening(ours ? Number(ours[1]) : port)
			}
		})
		const err = createInterface({ input: child.stderr! })
		err.on('line', (line) => {
			remember(line)
			const inspector = /Debugger listening on (ws:\/\/\S+)/.exec(line)
			if (inspector) inspectorUrl = inspector[1]
		})
		child.once('exit', (code, signal) => {
			clearTimeout(timer)
			reject(new Error(`${kind} server exited during startup (${code ?? signal}):\n${lines.join('\n')}`))
		})
	})
	port = await listening
	listeningSinceUs.set(child.pid!, Number(process.hrtime.bigint() / 1000n))
	if (options.inspect) await waitFor(() => inspectorUrl !== null, 5_000, 'inspector URL')
	const httpUrl = `http://127.0.0.1:${port}`
	const exited = new Promise<void>((resolveExit) => {
		if (child.exitCode !== null || child.signalCode !== null) resolveExit()
		else child.once('exit', () => resolveExit())
	})
	let roomCounter = 0
	return {
		kind,
		pid: child.pid!,
		port,
		wsUrl: kind === 'ours' ? `ws://127.0.0.1:${port}/ws` : `ws://127.0.0.1:${port}`,
		httpUrl,
		dataDir,
		inspectorUrl,
		async createRoom() {
			if (kind === 'reference') return `bench-room-${process.pid}-${Date.now().toString(36)}-${roomCounter++}`
			const res = await fetch(`${httpUrl}/api/rooms`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ templateId: 'blanco' }),
			})
			if (res.status !== 201) throw new Error(`POST /api/rooms answered ${res.status}: ${await res.text()}`)
			const body = (await res.json()) as { roomId: string; joinCode: string }
			// Every bench client of the room is the same participant (the server issues participant tokens).
			const joined = await fetch(`${httpUrl}/api/join/${body.joinCode}`, { method: 'POST' })
			if (joined.status !== 201) throw new Error(`POST /api/join answered ${joined.status}: ${await joined.text()}`)
			participantTokens.set(body.roomId, ((await joined.json()) as { participantToken: string }).participantToken)
			return body.roomId
		},
		protocolsFor(roomId) {
			const token = participantTokens.get(roomId)
			return kind === 'ours' && token ? ['kompasbord', `kompasbord-participant.${token}`] : []
		},
		async durableStats() {
			return kind === 'ours' ? ourDurableStats(httpUrl) : referenceDurableStats(httpUrl)
		},
		async resetDurableStats() {
			try {
				if (kind === 'ours') await fetch(`${httpUrl}/api/metrics`, { method: 'DELETE', headers: METRICS_HEADERS })
				else await fetch(`${httpUrl}/__bench/durable?reset=1`)
			} catch {
				// no such endpoint: nothing to reset
			}
		},
		async stop() {
			// A profiled server writes its profile on exit: give an overloaded one time to get there.
			await stopChild(child, exited, profileDir ? PROFILED_STOP_GRACE_MS : STOP_GRACE_MS)
		},
		output() {
			return lines.join('\n')
		},
	}
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return
	child.kill('SIGTERM')
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
	await exited
	clearTimeout(timer)
}

/** Our server's durable-commit histogram, when it exposes `GET /api/metrics` → `{durableMs:{p50,p99,count}}`. */
async function ourDurableStats(httpUrl: string): Promise<DurableStats | null> {
	try {
		const res = await fetch(`${httpUrl}/api/metrics`, { headers: METRICS_HEADERS })
		if (!res.ok) return null
		type Summary = { p50: number | null; p99: number | null; count: number }
		const body = (await res.json()) as { durableMs?: Summary; powerSafeMs?: Summary; durability?: string }
		const d = body.durableMs
		if (!d || typeof d.p99 !== 'number' || typeof d.p50 !== 'number') return null
		const s = body.powerSafeMs
		// A server before the power-safe figure (durableMs only) fsync'd every commit: power-safe is the commit.
		const powerSafe =
			s && typeof s.p50 === 'number' && typeof s.p99 === 'number'
				? { p50: s.p50, p99: s.p99, count: s.count }
				: { p50: d.p50, p99: d.p99, count: d.count }
		return {
			p50: d.p50,
			p99: d.p99,
			count: d.count,
			powerSafe,
			durability: body.durability,
			source: 'server: GET /api/metrics durableMs, powerSafeMs',
		}
	} catch {
		return null
	}
}

/** The instrumented reference's figures (see reference-timed.mjs); null for the plain reference server. */
async function referenceDurableStats(httpUrl: string): Promise<DurableStats | null> {
	try {
		const res = await fetch(`${httpUrl}/__bench/durable`)
		if (!res.ok) return null
		const body = (await res.json()) as { p50: number; p99: number; count: number }
		if (typeof body.p99 !== 'number') return null
		// LevelDB writes with `sync: false`: the put is in the OS page cache (a kill -9 loses nothing), and nothing
		// ever fsyncs it; the OS writes it back within about 30 s.
		return { ...body, powerSafe: null, source: 'reference instrumented: update event → LevelDB put resolved' }
	} catch {
		return null
	}
}

/** Polls `condition` every 10 ms until it holds, or throws after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = performance.now() + timeoutMs
	while (!condition()) {
		if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
		await new Promise((r) => setTimeout(r, 10))
	}
}
