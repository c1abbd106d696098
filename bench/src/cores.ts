/**
 * Which core the server gets and which the load generator: the server gets the core that takes the disk's
 * interrupts, so that a server's own disk work (the completion of its fdatasyncs) is handled on its own core and
 * does not interrupt the load generator while it takes in the deliveries it times. On a virtual machine the
 * interrupts of the disk often go to one fixed core that the guest cannot move (`/proc/irq/N/smp_affinity` is
 * refused), so the probe finds that core rather than moving them.
 */
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { probeFsync } from './probe'

/** The two cores and why the server got its one. */
export interface BenchCores {
	server: number
	generator: number
	/** For the report: how the server's core was chosen. */
	reason: string
}

/** Set by the harness for the copy of itself it re-runs pinned, so that the probe runs once. */
const SERVER_CORE_ENV = 'KB_BENCH_SERVER_CORE'
const REASON_ENV = 'KB_BENCH_CORE_REASON'

/** fdatasyncs the probe makes: enough interrupts to tell the disk's lines from the timer's and the network's. */
const PROBE_SYNCS = 200

let chosen: BenchCores | null = null

/** The cores of this run (probed once, or as the parent harness chose them). */
export function benchCores(): BenchCores {
	if (chosen === null) {
		const fromParent = process.env[SERVER_CORE_ENV]
		chosen =
			fromParent === '0' || fromParent === '1'
				? coresWithServerOn(Number(fromParent), process.env[REASON_ENV] ?? '')
				: probeCores(tmpdir())
	}
	return chosen
}

/** Environment for a re-run of the harness: the same cores, without probing again. */
export function benchCoresEnv(): Record<string, string> {
	const cores = benchCores()
	return { [SERVER_CORE_ENV]: String(cores.server), [REASON_ENV]: cores.reason }
}

function coresWithServerOn(server: number, reason: string): BenchCores {
	return { server, generator: server === 0 ? 1 : 0, reason }
}

/** Interrupt counts per line of /proc/interrupts (by its name: `36`, `LOC`…), one per CPU; lines without them left out. */
export function readInterrupts(text: string): Map<string, number[]> {
	const lines = text.split('\n')
	const cpus = (lines[0] ?? '')
		.trim()
		.split(/\s+/)
		.filter((c) => /^CPU\d+$/.test(c)).length
	const counts = new Map<string, number[]>()
	for (const line of lines.slice(1)) {
		const match = /^\s*([^:\s]+):\s+(.*)$/.exec(line)
		if (!match) continue
		const fields = match[2].trim().split(/\s+/)
		const perCpu = fields.slice(0, cpus).map(Number)
		if (perCpu.length < 2 || perCpu.some((n) => !Number.isFinite(n))) continue
		counts.set(match[1], perCpu)
	}
	return counts
}

/**
 * Of the devices' interrupt lines (numbered; not the local timer's or the cores' messages to each other) that rose
 * by at least `minimum` between two readings, the rise on CPU 0 and on CPU 1: the lines the disk's completions
 * come in on, when the readings bracket a run of fdatasyncs.
 */
export function interruptRise(
	before: Map<string, number[]>,
	after: Map<string, number[]>,
	minimum: number
): [number, number] {
	const rise: [number, number] = [0, 0]
	for (const [line, counts] of after) {
		const earlier = before.get(line)
		if (!earlier || !/^\d+$/.test(line)) continue
		const on0 = counts[0] - earlier[0]
		const on1 = counts[1] - earlier[1]
		if (on0 + on1 < minimum) continue
		rise[0] += on0
		rise[1] += on1
	}
	return rise
}

/**
 * The core that took at least 80 % of the interrupts that rose during a run of fdatasyncs in `dir` (the disk probe
 * of the measurement windows, {@link probeFsync}) gets the server; without a clear one (or without
 * /proc/interrupts), CPU 0.
 */
function probeCores(dir: string): BenchCores {
	let before: Map<string, number[]>
	try {
		before = readInterrupts(readFileSync('/proc/interrupts', 'utf8'))
	} catch {
		return coresWithServerOn(0, 'no /proc/interrupts to find the disk’s core')
	}
	probeFsync(dir, PROBE_SYNCS)
	const after = readInterrupts(readFileSync('/proc/interrupts', 'utf8'))
	// Half the syncs at least: one completion each (the flush may add one).
	const rise = interruptRise(before, after, PROBE_SYNCS / 2)
	const total = rise[0] + rise[1]
	const core = rise[1] > rise[0] ? 1 : 0
	if (total >= PROBE_SYNCS / 2 && rise[core] >= 0.8 * total) {
		return coresWithServerOn(
			core,
			`CPU ${core} takes the disk’s interrupts (${rise[core]} of ${total} during ${PROBE_SYNCS} fdatasyncs)`
		)
	}
	return coresWithServerOn(
		0,
		total === 0
			? 'no interrupt line rose with the disk probe'
			: `the disk’s interrupts are spread (${rise[0]} / ${rise[1]})`
	)
}
