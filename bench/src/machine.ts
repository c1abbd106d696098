/** What the benchmark ran on, for the report. */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { REPO_DIR } from './paths'
import type { BenchCores } from './cores'

/** The machine and software a run used. */
export interface MachineInfo {
	/** `nproc`: CPUs available to this process before pinning. */
	nproc: number
	cpuModel: string
	memoryGiB: number
	kernel: string
	node: string
	yjs: string
	referenceServer: string
	/** Commit the working tree was at (teammates may have uncommitted work in it). */
	commit: string
	/** Load average (1 min) when the run started: other work on the machine. */
	loadAverage: number
	/** The cores the server and the load generator are pinned to; null: not pinned (no `taskset`). */
	pinned: BenchCores | null
	/** Niceness the harness (and so both servers) ran at. */
	niceness: number
}

function cpuModel(): string {
	try {
		const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
		if (match) return match[1].trim()
	} catch {
		// not Linux
	}
	return os.cpus()[0]?.model ?? 'unknown'
}

function nproc(): number {
	try {
		return Number(execFileSync('nproc', { encoding: 'utf8' }).trim())
	} catch {
		return os.availableParallelism()
	}
}

function commit(): string {
	try {
		const hash = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO_DIR, encoding: 'utf8' }).trim()
		return hash
	} catch {
		return 'unknown'
	}
}

function packageVersion(name: string): string {
	try {
		const url = import.meta.resolve(`${name}/package.json`)
		return (JSON.parse(readFileSync(new URL(url), 'utf8')) as { version: string }).version
	} catch {
		return 'unknown'
	}
}

/** Collects the machine facts. `nproc` is read before the harness pins itself, when given. */
export function machineInfo(pinned: BenchCores | null, nprocBeforePinning?: number): MachineInfo {
	return {
		nproc: nprocBeforePinning ?? nproc(),
		cpuModel: cpuModel(),
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		kernel: `${os.type()} ${os.release()}`,
		node: process.version,
		yjs: packageVersion('yjs'),
		referenceServer: `@y/websocket-server ${packageVersion('@y/websocket-server')} + y-leveldb ${packageVersion('y-leveldb')}`,
		commit: commit(),
		loadAverage: os.loadavg()[0],
		pinned,
		niceness: os.getPriority(),
	}
}
