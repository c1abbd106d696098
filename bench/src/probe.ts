/**
 * Looking at a server process from outside: resident memory and CPU time from /proc, and a full garbage
 * collection through the V8 inspector (the same method for both servers, no change to either).
 */
import { closeSync, fdatasyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'

/** Resident set size of a process in bytes (VmRSS from /proc/<pid>/status). */
export function readRss(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8')
	const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
	if (!match) throw new Error(`no VmRSS for pid ${pid}`)
	return Number(match[1]) * 1024
}

/** Clock ticks per second for /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const CLOCK_TICKS = 100

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function readCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
	// Fields after the command name, which is in parentheses and may contain spaces.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
	const utime = Number(fields[11])
	const stime = Number(fields[12])
	return ((utime + stime) * 1000) / CLOCK_TICKS
}

/** Measures a process's CPU use over an interval: call `stop()` for the share of one core (0…1+). */
export function cpuMeter(pid: number): { stop(): number } {
	const cpu0 = readCpuMs(pid)
	const t0 = performance.now()
	return {
		stop() {
			const elapsed = performance.now() - t0
			return elapsed > 0 ? (readCpuMs(pid) - cpu0) / elapsed : NaN
		},
	}
}

/** A connection to a process's V8 inspector. */
export class InspectorSession {
	private nextId = 1
	private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
	private readonly listeners = new Map<string, Set<(params: unknown) => void>>()

	private constructor(private readonly socket: WebSocket) {
		socket.on('message', (data) => {
			const message = JSON.parse(String(data)) as {
				id?: number
				method?: string
				params?: unknown
				result?: unknown
				error?: { message: string }
			}
			if (message.id === undefined) {
				if (message.method) for (const listener of this.listeners.get(message.method) ?? []) listener(message.params)
				return
			}
			const waiter = this.pending.get(message.id)
			if (!waiter) return
			this.pending.delete(message.id)
			if (message.error) waiter.reject(new Error(message.error.message))
			else waiter.resolve(message.result)
		})
	}

	/** Opens a session on an inspector WebSocket URL (`ws://127.0.0.1:<port>/<uuid>`). */
	static async open(url: string): Promise<InspectorSession> {
		const socket = new WebSocket(url)
		await new Promise<void>((resolveOpen, reject) => {
			socket.once('open', () => resolveOpen())
			socket.once('error', reject)
		})
		return new InspectorSession(socket)
	}

	/** Sends one inspector protocol command and waits for its result. */
	call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
		const id = this.nextId++
		return new Promise((resolveCall, reject) => {
			this.pending.set(id, { resolve: resolveCall, reject })
			this.socket.send(JSON.stringify({ id, method, params }))
		})
	}

	/** Calls `listener` with the params of every event `method`; returns a function that stops it. */
	onEvent(method: string, listener: (params: unknown) => void): () => void {
		const set = this.listeners.get(method) ?? new Set()
		set.add(listener)
		this.listeners.set(method, set)
		return () => set.delete(listener)
	}

	/** Forces a full garbage collection in the process. */
	async collectGarbage(): Promise<void> {
		await this.call('HeapProfiler.collectGarbage')
	}

	/** The process's own `process.memoryUsage()`. */
	async memoryUsage(): Promise<NodeJS.MemoryUsage> {
		const result = (await this.call('Runtime.evaluate', {
			expression: 'JSON.stringify(process.memoryUsage())',
			returnByValue: true,
		})) as { result: { value: string } }
		return JSON.parse(result.result.value) as NodeJS.MemoryUsage
	}

	/** Closes the session (the process keeps running). */
	close(): void {
		this.socket.close()
	}
}

/** Busy time (user, nice, system, steal) of each CPU so far, in milliseconds, from /proc/stat. */
export function readCoreBusyMs(): number[] {
	const stat = readFileSync('/proc/stat', 'utf8')
	const cores: number[] = []
	for (const line of stat.split('\n')) {
		const match = /^cpu(\d+)\s+(.*)$/.exec(line)
		if (!match) continue
		const f = match[2].split(/\s+/).map(Number)
		// user nice system idle iowait irq softirq steal. Interrupts are left out: on loopback, the softirq
		// work of the benchmark's own traffic lands there, not on the processes.
		const busy = f[0] + f[1] + f[2] + (f[7] ?? 0)
		cores[Number(match[1])] = (busy * 1000) / CLOCK_TICKS
	}
	return cores
}

/**
 * Measures how busy the machine was during an interval beyond the benchmark's own processes (the generator and
 * the server, or the servers of a cluster, all on the server core): `stop()`
 * returns the share of a core that other processes used on the server's and on the generator's core.
 */
export function noiseMeter(
	serverPid: number | readonly number[],
	serverCore: number,
	generatorCore: number
): { stop(): { serverCore: number; generatorCore: number } } {
	const pids = typeof serverPid === 'number' ? [serverPid] : serverPid
	const serverCpuMs = () => pids.reduce((sum, pid) => sum + readCpuMs(pid), 0)
	const cores0 = readCoreBusyMs()
	const server0 = serverCpuMs()
	const generator0 = readCpuMs(process.pid)
	const t0 = performance.now()
	return {
		stop() {
			const elapsed = performance.now() - t0
			const cores1 = readCoreBusyMs()
			const server = serverCpuMs() - server0
			const generator = readCpuMs(process.pid) - generator0
			const other = (core: number, own: number): number =>
				Math.max(0, ((cores1[core] ?? 0) - (cores0[core] ?? 0) - own) / elapsed)
			return { serverCore: other(serverCore, server), generatorCore: other(generatorCore, generator) }
		},
	}
}

/** fdatasync latency of the disk, in milliseconds. */
export interface FsyncProbe {
	p50: number
	p99: number
	max: number
}

/**
 * Measures how long the disk takes to make a 4 KiB write durable (`fdatasync`), `count` times in a row, in a
 * temporary file under `dir`. Run between measurement windows (it blocks this process for `count` syncs), it
 * shows what a server that syncs every commit is up against at that moment; the machine's other work moves it.
 */
export function probeFsync(dir: string, count = 100): FsyncProbe {
	const file = join(dir, `.kb-fsync-probe-${process.pid}`)
	const fd = openSync(file, 'w')
	const block = Buffer.alloc(4096, 1)
	const times: number[] = []
	try {
		for (let i = 0; i < count; i++) {
			writeSync(fd, block)
			const t0 = performance.now()
			fdatasyncSync(fd)
			times.push(performance.now() - t0)
		}
	} finally {
		closeSync(fd)
		rmSync(file, { force: true })
	}
	times.sort((a, b) => a - b)
	const at = (q: number): number => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]
	return { p50: at(0.5), p99: at(0.99), max: times[times.length - 1] }
}
