/**
 * What one fanned-out update costs the server in CPU time: starts our server (the bundle, as `pnpm bench` runs
 * it) and the reference, each pinned to the server core like the benchmark pins them, connects S1's rooms and
 * clients, drives a fixed number of note changes at a fixed rate and reads the server process's CPU time
 * (the scheduler's run time of all its threads, /proc/<pid>/task/<tid>/schedstat) before and after. CPU time per update does not depend on
 * how busy the machine is the way latency does, so a change to the broadcast path shows here on a shared
 * machine. Rounds interleave the servers (ours, reference, ours, reference, …).
 *
 *   node --import tsx bench/src/tools/update-cost.ts [--points 10x30@300,50x5@250] [--updates 3000]
 *     [--rounds 3] [--servers ours,reference] [--ours-env KEY=VALUE,…] [--full 5]
 *
 * A server given as `ours:KEY=VALUE;KEY=VALUE` is ours with that environment, so settings can be compared in
 * the same rounds (e.g. `--servers ours,ours:DURABILITY=power,reference`); `base` (also `base:KEY=VALUE`)
 * is our server from another build, `--base-dist DIR` (a copy of `server/dist` built at an earlier commit), for
 * before/after in the same rounds.
 *
 * Re-runs itself pinned to the generator's core (`taskset`), as the benchmark does. Prints per point and server
 * the CPU µs per update of each round and their median, and the p50/p99 latency of the same window and the
 * server's own arrival → committed p50/p99 (`/api/metrics`; for reference only: those are load-sensitive).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../../../scripts/build-server.mjs'
import { benchCores, benchCoresEnv } from '../cores'
import { sleep } from '../client'
import { driveLoad } from '../fanout'
import { setUpFanout } from '../scenarios/fanout'
import { hasTaskset, setOursEnv, startServer } from '../servers'
import { median } from '../stats'
import { runTool } from './run-tool'
import { parseServerSpec } from './server-spec'

const { values } = parseArgs({
	options: {
		points: { type: 'string', default: '10x30@300,50x5@250' },
		updates: { type: 'string', default: '3000' },
		rounds: { type: 'string', default: '3' },
		servers: { type: 'string', default: 'ours,reference' },
		'ours-env': { type: 'string', default: '' },
		/** Full (Yjs-applying) clients per room: 5 as S1 has them; 1 as S2 and S5 have them (the rest are sinks). */
		full: { type: 'string', default: '5' },
		'base-dist': { type: 'string' },
		/** Node flags for our server (and base), e.g. `--trace-gc`; with a `--trace` flag (here or in a variant's NODE_FLAGS) the server's output is printed after each window. */
		'node-flags': { type: 'string', default: '' },
	},
})

/** Full (Yjs-applying) clients per room (`--full`). */
const FULL_CLIENTS_PER_ROOM = Number(values.full)

interface Point {
	rooms: number
	clients: number
	rate: number
}

function parsePoints(spec: string): Point[] {
	return spec.split(',').map((item) => {
		const match = /^(\d+)x(\d+)@(\d+)$/.exec(item.trim())
		if (!match) throw new Error(`point ${item}: expected ROOMSxCLIENTS@RATE`)
		return { rooms: Number(match[1]), clients: Number(match[2]), rate: Number(match[3]) }
	})
}

/** A thread's /proc/<pid>/task/<tid>/schedstat: time run and time runnable but waiting for a CPU so far, in ms. */
function threadSchedMs(pid: number, tid: string | number): { run: number; wait: number } {
	const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')
	return { run: Number(run) / 1e6, wait: Number(wait) / 1e6 }
}

/**
 * CPU time the process has used so far, in ms, in all and on its main thread (the event loop's, whose share
 * decides the latency on a busy core): the scheduler's run time of each of its threads, which unlike utime + stime
 * in /proc/<pid>/stat is not sampled at the clock tick (a server that wakes for 100 µs per message is mostly
 * missed or over-counted by tick sampling). The server's threads live as long as it does, so none is lost
 * between two readings. `mainWait`: the time the main thread was ready to run but waited for the core (another
 * thread of the process, or another process, had it).
 */
function cpuMs(pid: number): { all: number; main: number; mainWait: number } {
	let all = 0
	for (const tid of readdirSync(`/proc/${pid}/task`)) {
		try {
			all += threadSchedMs(pid, tid).run
		} catch {
			// The thread ended between the listing and the read.
		}
	}
	const main = threadSchedMs(pid, pid)
	return { all, main: main.run, mainWait: main.wait }
}

/**
 * Write system calls (write, writev, pwrite: socket sends and SQLite's WAL writes) of all the process's threads
 * so far, from /proc/<pid>/io: a count, so it does not move with the machine's load.
 */
function writeCalls(pid: number): number {
	const match = /^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))
	return match ? Number(match[1]) : Number.NaN
}

interface Measurement {
	writesPerUpdate: number
	cpuUsPerUpdate: number
	/** The main thread's part of {@link Measurement.cpuUsPerUpdate}. */
	mainCpuUsPerUpdate: number
	/** Time the main thread waited for the core while ready to run, per update (µs). */
	mainWaitUsPerUpdate: number
	p50: number
	p99: number
	/** The server's own arrival → committed (crash-safe) p50/p99 of the window (ours: /api/metrics), ms. */
	commitP50: number
	commitP99: number
}

async function measure(spec: string, point: Point, updates: number): Promise<Measurement> {
	const { kind, env, launcher } = parseServerSpec(spec, values['base-dist'])
	// `ours:NODE_FLAGS=--flag` gives that variant node flags of its own.
	const flags = env.NODE_FLAGS ?? (kind === 'ours' ? values['node-flags'] : '')
	delete env.NODE_FLAGS
	const nodeFlags = flags ? flags.split(' ') : undefined
	const server = await startServer(kind, { env, launcher, nodeFlags, metrics: true })
	try {
		const setup = await setUpFanout(server, point.rooms, point.clients, Math.min(point.clients, FULL_CLIENTS_PER_ROOM))
		try {
			// Warm up (JIT, first allocations), then let the server settle.
			await driveLoad(setup.tracker, point.rate, 1000)
			await setup.tracker.drain(10_000)
			await sleep(300)
			const before = cpuMs(server.pid)
			const writesBefore = writeCalls(server.pid)
			await server.resetDurableStats()
			setup.tracker.openWindow()
			await driveLoad(setup.tracker, point.rate, (updates * 1000) / point.rate)
			setup.tracker.closeWindow()
			if (!(await setup.tracker.drain(30_000))) throw new Error(`${kind}: not every update was delivered`)
			const after = cpuMs(server.pid)
			const writes = writeCalls(server.pid) - writesBefore
			const durable = await server.durableStats()
			if (flags?.includes('--trace')) console.log(server.output())
			const { latency, sends } = setup.tracker.result()
			const summary = latency.summary()
			return {
				cpuUsPerUpdate: ((after.all - before.all) * 1000) / sends,
				mainCpuUsPerUpdate: ((after.main - before.main) * 1000) / sends,
				mainWaitUsPerUpdate: ((after.mainWait - before.mainWait) * 1000) / sends,
				writesPerUpdate: writes / sends,
				p50: summary.p50,
				p99: summary.p99,
				commitP50: durable?.p50 ?? Number.NaN,
				commitP99: durable?.p99 ?? Number.NaN,
			}
		} finally {
			setup.dispose()
		}
	} finally {
		await server.stop()
	}
}

async function main(): Promise<void> {
	const points = parsePoints(values.points)
	const updates = Number(values.updates)
	const rounds = Number(values.rounds)
	const kinds = values.servers.split(',')
	if (values['ours-env']) {
		setOursEnv(Object.fromEntries(values['ours-env'].split(',').map((kv) => kv.split('=') as [string, string])))
	}
	if (kinds.some((k) => k.startsWith('ours'))) await ensureServerBuild()
	console.log(
		`load average ${loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}`
	)
	for (const point of points) {
		const results = new Map<string, Measurement[]>(kinds.map((k) => [k, []]))
		for (let round = 0; round < rounds; round++) {
			for (const kind of kinds) {
				const m = await measure(kind, point, updates)
				results.get(kind)?.push(m)
				console.log(
					`${point.rooms}x${point.clients}@${point.rate} round ${round + 1} ${kind}: ` +
						`${m.cpuUsPerUpdate.toFixed(0)} µs CPU/update (main thread ${m.mainCpuUsPerUpdate.toFixed(0)}, waited ${m.mainWaitUsPerUpdate.toFixed(0)}), ${m.writesPerUpdate.toFixed(1)} writes/update, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms, ` +
						`commit p50 ${m.commitP50.toFixed(3)} ms, p99 ${m.commitP99.toFixed(3)} ms ` +
						`(load ${loadavg()[0].toFixed(2)})`
				)
			}
		}
		for (const kind of kinds) {
			const ms = results.get(kind) ?? []
			console.log(
				`${point.rooms}x${point.clients}@${point.rate} ${kind}: median ` +
					`${median(ms.map((m) => m.cpuUsPerUpdate)).toFixed(0)} µs CPU/update ` +
					`[${ms.map((m) => m.cpuUsPerUpdate.toFixed(0)).join(', ')}], main thread ` +
					`${median(ms.map((m) => m.mainCpuUsPerUpdate)).toFixed(0)} µs ` +
					`[${ms.map((m) => m.mainCpuUsPerUpdate.toFixed(0)).join(', ')}], ` +
					`${median(ms.map((m) => m.writesPerUpdate)).toFixed(1)} writes/update, p99 median ` +
					`${median(ms.map((m) => m.p99)).toFixed(2)} ms, commit p99 median ` +
					`${median(ms.map((m) => m.commitP99)).toFixed(3)} ms [${ms.map((m) => m.commitP99.toFixed(2)).join(', ')}]`
			)
		}
	}
}

if (process.env.KB_BENCH_PINNED !== '1' && hasTaskset()) {
	// Pinned to the generator's core, as the benchmark pins itself; the servers are pinned to the other.
	const child = spawn(
		'taskset',
		['-c', String(benchCores().generator), process.execPath, ...process.execArgv, ...process.argv.slice(1)],
		{
			stdio: 'inherit',
			env: { ...process.env, ...benchCoresEnv(), KB_BENCH_PINNED: '1' },
		}
	)
	child.on('exit', (code) => process.exit(code ?? 1))
} else {
	runTool(main)
}
