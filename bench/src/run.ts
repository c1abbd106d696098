/**
 * `pnpm bench [-- --quick]`: runs our server and the reference y-websocket server one after the other under
 * the same load (A/B/A/B), prints the results table and writes docs/benchmarks.md (full runs).
 *
 * S6 (needs PostgreSQL and Redis as the cluster tests do; skipped with a note otherwise) runs S2's sweep on SQLite,
 * on PostgreSQL and on two servers with PostgreSQL + Redis.
 *
 * Options: `--quick` (smoke run, under two minutes), `--only=S1,S4`, `--rounds=N`, `--servers=ours,reference`,
 * `--doc` / `--no-doc` (write docs/benchmarks.md; default: full runs with both servers only), `--profile`
 * (CPU-profile our server; summaries go to bench/results/profiles/), `--points=50x30,10x5` (S1 points to run),
 * `--ours-env=KEY=VALUE` (extra environment for our server, for experiments; never written to the doc),
 * `--nice=N` (run harness and servers at niceness N, e.g. -5 on a busy shared machine; noted in the report).
 * S1, S2 and S5 are run again when their rounds disagree by more than 2× (stable-rounds.ts).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ensureServerBuild } from '../../scripts/build-server.mjs'
import { clusterServicesUnavailable } from '../../tests/cluster/cluster-services'
import { benchCores, benchCoresEnv } from './cores'
import { FULL, QUICK, type BenchConfig } from './config'
import { machineInfo } from './machine'
import { REPORT_FILE, RESULTS_DIR } from './paths'
import { renderResults, textTable, writeResultsBlock, type Conditions, type Row } from './report'
import { coldLoadOnce, prepareColdRooms, type ColdLoadTiming, type PreparedColdRooms } from './scenarios/cold-load'
import { runDurable, type DurableRun } from './scenarios/durable'
import { runFanout } from './scenarios/fanout'
import { runMemory, type MemoryRun } from './scenarios/memory'
import { runSaturation, type SaturationRun } from './scenarios/saturation'
import {
	hasTaskset,
	listeningSinceUs,
	ourServerExists,
	profileServers,
	removeTempDirs,
	setOursEnv,
	SERVER_KINDS,
	startServer,
	type RunningServer,
	type ServerKind,
} from './servers'
import { STORAGE_SETUPS, startSetup } from './storage'
import {
	checkRounds,
	describeRounds,
	MAX_ROUND_SPREAD,
	runUntilStable,
	type DiscardedSet,
	type StableRounds,
} from './stable-rounds'
import { mean, median, Samples } from './stats'
import { formatProfileSummary, summarizeProfile } from './tools/profile-summary'
import type { WindowFigures } from './window'

/** Scenario ids, in run order. */
const SCENARIOS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6'] as const
type ScenarioId = (typeof SCENARIOS)[number]

interface Options {
	quick: boolean
	only: ScenarioId[]
	rounds: number | null
	servers: ServerKind[] | null
	doc: boolean | null
	profile: boolean
	/** S1 points to run, e.g. `['50x30']`; null: all of the configuration. */
	points: string[] | null
	/** Extra environment for our server (`--ours-env=KEY=VALUE`, repeatable). */
	oursEnv: Record<string, string>
	/** Niceness for the harness and both servers (`--nice=-5`; negative needs root), null: unchanged. */
	nice: number | null
}

function parseOptions(argv: string[]): Options {
	const options: Options = {
		quick: false,
		only: [...SCENARIOS],
		rounds: null,
		servers: null,
		doc: null,
		profile: false,
		points: null,
		oursEnv: {},
		nice: null,
	}
	for (const arg of argv) {
		const eq = arg.indexOf('=')
		const name = eq < 0 ? arg : arg.slice(0, eq)
		const value = eq < 0 ? undefined : arg.slice(eq + 1)
		if (arg === '--') continue
		else if (name === '--quick') options.quick = true
		else if (name === '--only' && value) {
			options.only = value.split(',').map((s) => s.trim().toUpperCase()) as ScenarioId[]
			const bad = options.only.filter((s) => !SCENARIOS.includes(s))
			if (bad.length) throw new Error(`unknown scenario ${bad.join(', ')}; known: ${SCENARIOS.join(', ')}`)
		} else if (name === '--rounds' && value) options.rounds = Math.max(1, Number(value))
		else if (name === '--servers' && value) options.servers = value.split(',') as ServerKind[]
		else if (name === '--doc') options.doc = true
		else if (name === '--no-doc') options.doc = false
		else if (name === '--profile') options.profile = true
		else if (name === '--nice' && value && /^-?\d+$/.test(value)) options.nice = Number(value)
		else if (name === '--ours-env' && value && value.includes('=')) {
			const i = value.indexOf('=')
			options.oursEnv[value.slice(0, i)] = value.slice(i + 1)
		} else if (name === '--points' && value) options.points = value.split(',').map((p) => p.trim().replace('×', 'x'))
		else throw new Error(`unknown option ${arg}`)
	}
	return options
}

/**
 * Re-runs this script pinned to the generator's core (and at the asked niceness, which the servers it starts
 * inherit), unless it already is, or taskset is missing.
 */
async function pinSelf(nice: number | null): Promise<boolean> {
	if (process.env.KB_BENCH_PINNED === '1') return true
	if (!hasTaskset()) return false
	const pinned = [
		'taskset',
		'-c',
		String(benchCores().generator),
		process.execPath,
		...process.execArgv,
		...process.argv.slice(1),
	]
	const command = nice === null ? pinned : ['nice', '-n', String(nice), ...pinned]
	const child = spawn(command[0], command.slice(1), {
		stdio: 'inherit',
		env: { ...process.env, ...benchCoresEnv(), KB_BENCH_PINNED: '1', KB_BENCH_NPROC: String(nprocNow()) },
	})
	const forward = (signal: NodeJS.Signals): void => {
		child.kill(signal)
	}
	process.on('SIGINT', forward)
	process.on('SIGTERM', forward)
	const code = await new Promise<number>((resolveExit) => child.on('exit', (c) => resolveExit(c ?? 1)))
	process.exit(code)
}

function nprocNow(): number {
	return Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 0)
}

function log(message: string): void {
	process.stderr.write(`${message}\n`)
}

/** Runs `fn` for each server kind, `rounds` times, in A/B order: ours, reference, ours, reference… */
async function abab<T>(
	label: string,
	kinds: readonly ServerKind[],
	rounds: number,
	fn: (kind: ServerKind) => Promise<T>,
	describe: (result: T) => string
): Promise<Record<ServerKind, T[]>> {
	const results: Record<ServerKind, T[]> = { ours: [], reference: [] }
	for (let round = 1; round <= rounds; round++) {
		for (const kind of kinds) {
			const t0 = performance.now()
			const result = await fn(kind)
			results[kind].push(result)
			log(
				`  ${label} · ${kind} ${round}/${rounds}: ${describe(result)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`
			)
		}
	}
	return results
}

/**
 * {@link abab}, run again while a server's rounds of one of `figures` disagree by more than {@link MAX_ROUND_SPREAD}×
 * (stable-rounds.ts); the discarded sets and the reported set's rounds go to the notes.
 */
async function ababStable<T>(
	c: Collector,
	label: string,
	kinds: readonly ServerKind[],
	rounds: number,
	fn: (kind: ServerKind) => Promise<T>,
	describe: (result: T) => string,
	figures: Record<string, (result: T) => number>,
	format: (value: number) => string
): Promise<StableRounds<T>> {
	const set = await runUntilStable(
		() => abab(label, kinds, rounds, fn, describe),
		figures,
		(discarded) => c.discard(label, discarded, format)
	)
	c.rounds(label, set, figures, format)
	return set
}

/** Runs `measure` against a server of `kind` started for it, and stops the server after. */
async function onFreshServer<T>(kind: ServerKind, measure: (server: RunningServer) => Promise<T>): Promise<T> {
	const server = await startServer(kind)
	try {
		return await measure(server)
	} finally {
		await server.stop()
	}
}

const ms = (v: number): string => (Number.isNaN(v) ? '—' : `${v.toFixed(v < 10 ? 2 : 1)} ms`)
const perSecond = (v: number): string => `${Math.round(v)} upd/s`
/** The note of a row whose rounds moved by more than {@link MAX_ROUND_SPREAD}× in every attempt. */
const UNSTABLE = `rounds moved > ${MAX_ROUND_SPREAD}× in every attempt: not a finding`
/** A load generator whose event loop is busier than this measures its own queueing, not the server's latency. */
const GENERATOR_BOUND_ELU = 0.95
const GENERATOR_BOUND = `the load generator was ≥ ${GENERATOR_BOUND_ELU * 100} % busy: its own queueing, not a finding`
const pct = (v: number): string => `${(v * 100).toFixed(v >= 0.99995 && v <= 1 ? 0 : 2)} %`

/** Collected output of a run. */
class Collector {
	readonly rows: Row[] = []
	readonly conditions: Conditions[] = []
	readonly notes: string[] = []
	readonly raw: Record<string, unknown> = {}

	/** A set of rounds that moved by more than {@link MAX_ROUND_SPREAD}× and was run again. */
	discard(label: string, set: DiscardedSet, format: (value: number) => string): void {
		const { kind, figure, spread } = set.worst
		const message =
			`${label}: rounds moved ${Number.isFinite(spread) ? `${spread.toFixed(1)}×` : 'from 0'} (${kind} ${figure}), ` +
			`run again, not reported — ${describeRounds(set, format)}`
		log(`  ${message}`)
		this.notes.push(message)
	}

	/** The per-round figures of the reported set, for the notes (the table pools or averages them). */
	rounds<T>(
		label: string,
		set: StableRounds<T>,
		figures: Record<string, (result: T) => number>,
		format: (value: number) => string
	): void {
		if (Object.values(set.results).every((r) => r.length < 2)) return
		const named = { figures: checkRounds(set.results, figures).figures }
		const verdict = set.stable
			? `within ${MAX_ROUND_SPREAD}×`
			: `still moved more than ${MAX_ROUND_SPREAD}× after ${set.discarded.length} reruns: not a finding`
		this.notes.push(`${label} per round (${verdict}) — ${describeRounds(named, format)}.`)
	}

	windows(scenario: string, kind: string, windows: WindowFigures[]): void {
		if (windows.length === 0) return
		this.conditions.push({
			scenario,
			kind,
			generatorElu: Math.max(...windows.map((w) => w.generatorElu)),
			serverCpu: Math.max(...windows.map((w) => w.serverCpu)),
			noiseServerCore: Math.max(...windows.map((w) => w.noise.serverCore)),
			noiseGeneratorCore: Math.max(...windows.map((w) => w.noise.generatorCore)),
			fsyncP99: Math.max(...windows.map((w) => w.fsync.p99)),
		})
	}
}

function windowJson(w: WindowFigures): Record<string, unknown> {
	return {
		latency: w.samples.summary(),
		firstReceiver: w.firstSamples.summary(),
		expected: w.expected,
		delivered: w.delivered,
		sends: w.sends,
		generatorElu: w.generatorElu,
		generatorCpu: w.generatorCpu,
		serverCpu: w.serverCpu,
		noise: w.noise,
		fsync: w.fsync,
	}
}

function pick(
	results: Record<ServerKind, number[]>,
	kind: ServerKind,
	combine: (v: number[]) => number
): number | null {
	return results[kind].length ? combine(results[kind]) : null
}

async function scenarioFanout(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number): Promise<void> {
	const raw: unknown[] = []
	for (const point of config.fanout) {
		const label = `S1 ${point.rooms}×${point.clientsPerRoom}`
		const rate = point.rooms * point.clientsPerRoom
		let set: StableRounds<WindowFigures>
		try {
			set = await ababStable(
				c,
				label,
				kinds,
				rounds,
				(kind) => onFreshServer(kind, (server) => runFanout(server, { ...point, ratePerSecond: rate })),
				(w) => {
					const s = w.samples.summary()
					return `p50 ${ms(s.p50)} p99 ${ms(s.p99)} delivered ${pct(w.delivered / w.expected)}, generator ${pct(w.generatorElu)}`
				},
				{ p99: (w) => w.samples.summary().p99 },
				ms
			)
		} catch (error) {
			// One point failing (e.g. a server start timing out on a busy machine) leaves the others standing.
			const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
			log(`  ${label} failed: ${message}`)
			c.notes.push(`${label} did not complete: ${message}`)
			continue
		}
		const runs = set.results
		const pooled = (kind: ServerKind): { p50: number; p99: number; delivery: number } | null => {
			if (runs[kind].length === 0) return null
			const all = new Samples()
			for (const w of runs[kind]) all.addAll(w.samples)
			const s = all.summary()
			const expected = runs[kind].reduce((a, w) => a + w.expected, 0)
			const delivered = runs[kind].reduce((a, w) => a + w.delivered, 0)
			return { p50: s.p50, p99: s.p99, delivery: expected > 0 ? delivered / expected : NaN }
		}
		const ours = pooled('ours')
		const ref = pooled('reference')
		const scenario = `S1 fan-out ${point.rooms}×${point.clientsPerRoom}`
		const generatorBound = [...runs.ours, ...runs.reference].some((w) => w.generatorElu >= GENERATOR_BOUND_ELU)
		const finding = set.stable && !generatorBound
		c.rows.push(
			{
				scenario,
				metric: 'p50 latency',
				unit: 'ms',
				ours: ours?.p50 ?? null,
				reference: ref?.p50 ?? null,
				goal: '',
				met: null,
			},
			{
				scenario,
				metric: 'p99 latency',
				unit: 'ms',
				ours: ours?.p99 ?? null,
				reference: ref?.p99 ?? null,
				goal: '≤ reference',
				met: ours && ref && finding ? ours.p99 <= ref.p99 : null,
				note: !set.stable ? UNSTABLE : generatorBound ? GENERATOR_BOUND : undefined,
			},
			{
				scenario,
				metric: 'delivery',
				unit: '%',
				ours: ours?.delivery ?? null,
				reference: ref?.delivery ?? null,
				goal: '100 %',
				met: ours ? ours.delivery === 1 : null,
			}
		)
		for (const kind of kinds) c.windows(scenario, kind, runs[kind])
		raw.push({ point, ratePerSecond: rate, ours: runs.ours.map(windowJson), reference: runs.reference.map(windowJson) })
	}
	c.raw.fanout = raw
}

function describeStep(kind: ServerKind, run: SaturationRun): string {
	const failing = run.steps.find((s) => !s.passed)
	if (!failing) return `${kind}: every rate passed up to ${run.maxRate} upd/s (the limit is higher)`
	const f = failing.figures
	const s = f.samples.summary()
	return (
		`${kind}: first failing step ${failing.rate} upd/s — p99 ${ms(s.p99)}, delivered ${pct(f.delivered / Math.max(1, f.expected))}, ` +
		`server CPU ${pct(f.serverCpu)}, generator event loop ${pct(f.generatorElu)}, disk fdatasync p99 before it ${ms(f.fsync.p99)}`
	)
}

async function scenarioSaturation(
	c: Collector,
	config: BenchConfig,
	kinds: ServerKind[],
	rounds: number
): Promise<void> {
	const p = config.saturation
	const label = `S2 ${p.rooms}×${p.clientsPerRoom}`
	const set = await ababStable(
		c,
		label,
		kinds,
		rounds,
		(kind) => onFreshServer(kind, (server) => runSaturation(server, p)),
		(run) =>
			`max ${run.maxRate} upd/s${run.allPassed ? ' (all passed)' : ''}; ${describeStep('ours', run).replace(/^ours: /, '')}`,
		{ 'highest rate': (run) => run.maxRate },
		perSecond
	)
	const runs = set.results
	const rates: Record<ServerKind, number[]> = {
		ours: runs.ours.map((r) => r.maxRate),
		reference: runs.reference.map((r) => r.maxRate),
	}
	const ours = pick(rates, 'ours', mean)
	const ref = pick(rates, 'reference', mean)
	const capped = [...runs.ours, ...runs.reference].some((r) => r.allPassed)
	c.rows.push({
		scenario: `S2 saturation ${p.rooms}×${p.clientsPerRoom}`,
		metric: `highest rate with p99 < ${p.p99LimitMs} ms, nothing lost`,
		unit: 'upd/s',
		ours,
		reference: ref,
		goal: '≥ 1.0× reference',
		met: ours !== null && ref !== null && set.stable ? ours >= ref : null,
		note:
			[capped ? `capped at ${p.rates[p.rates.length - 1]}` : '', set.stable ? '' : UNSTABLE]
				.filter(Boolean)
				.join(', ') || undefined,
	})
	for (const kind of kinds) {
		c.windows(
			`S2 saturation`,
			kind,
			runs[kind].flatMap((r) => r.steps.map((s) => s.figures))
		)
		c.notes.push(`S2 per run — ${runs[kind].map((r) => describeStep(kind, r)).join('; ')}.`)
	}
	c.raw.saturation = Object.fromEntries(
		kinds.map((kind) => [
			kind,
			runs[kind].map((r) => ({
				maxRate: r.maxRate,
				allPassed: r.allPassed,
				steps: r.steps.map((s) => ({ rate: s.rate, passed: s.passed, ...windowJson(s.figures) })),
			})),
		])
	)
}

async function scenarioMemory(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number): Promise<void> {
	const p = config.memory
	const runs = await abab(
		'S3 memory',
		kinds,
		rounds,
		(kind) => runMemory(kind, p),
		(r) =>
			`baseline ${(r.baselineRss / 2 ** 20).toFixed(1)} MiB, warm-up +${(r.warmupRss / 2 ** 20).toFixed(1)} MiB, per connection ${(r.perIdleConnection / 1024).toFixed(1)} KiB, ` +
			`per empty room ${(r.perEmptyRoom / 1024).toFixed(1)} KiB, per ${p.notesPerRoom}-note room ${(r.perNoteRoom / 1024).toFixed(1)} KiB`
	)
	const fig = (get: (r: MemoryRun) => number): Record<ServerKind, number[]> => ({
		ours: runs.ours.map(get),
		reference: runs.reference.map(get),
	})
	const row = (metric: string, get: (r: MemoryRun) => number, unit: 'KiB' | 'MiB', goal = '≤ reference'): Row => {
		const values = fig(get)
		const ours = pick(values, 'ours', mean)
		const ref = pick(values, 'reference', mean)
		return {
			scenario: 'S3 memory (RSS after full GC)',
			metric,
			unit,
			ours,
			reference: ref,
			goal,
			met: goal && ours !== null && ref !== null ? ours <= ref : null,
		}
	}
	c.rows.push(
		row('per idle connection', (r) => r.perIdleConnection, 'KiB'),
		row('per loaded empty room (with its client)', (r) => r.perEmptyRoom, 'KiB'),
		row(`per loaded ${p.notesPerRoom}-note room (with its client)`, (r) => r.perNoteRoom, 'KiB'),
		row('idle server, nothing loaded', (r) => r.baselineRss, 'MiB', ''),
		row(
			`first ${p.warmupRooms} rooms with ${p.idlePerRoom + 1} connections each (once, before the growth above)`,
			(r) => r.warmupRss,
			'MiB',
			''
		)
	)
	c.raw.memory = { params: p, ours: runs.ours, reference: runs.reference }
}

async function scenarioColdLoad(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number): Promise<void> {
	const p = config.coldLoad
	const prepared: Partial<Record<ServerKind, PreparedColdRooms>> = {}
	for (const kind of kinds) {
		const t0 = performance.now()
		prepared[kind] = await prepareColdRooms(kind, p)
		log(`  S4 prepare · ${kind}: ${((performance.now() - t0) / 1000).toFixed(1)} s`)
	}
	const loads: Array<Record<ServerKind, ColdLoadTiming[]>> = []
	for (const [i, spec] of p.rooms.entries()) {
		loads.push(
			await abab(
				`S4 ${spec.label}`,
				kinds,
				rounds,
				(kind) => coldLoadOnce(prepared[kind]!, i),
				(t) => `loaded in ${ms(t.loadMs)} (synced after ${ms(t.syncedMs)})`
			)
		)
	}
	const loadMs = (i: number): Record<ServerKind, number[]> => ({
		ours: loads[i].ours.map((t) => t.loadMs),
		reference: loads[i].reference.map((t) => t.loadMs),
	})
	for (const [i, spec] of p.rooms.entries()) {
		const ours = pick(loadMs(i), 'ours', median)
		const ref = pick(loadMs(i), 'reference', median)
		const compactIndex = p.rooms.findIndex((r) => r.moves === 0 && r.notes === spec.notes)
		let goal = ''
		let met: boolean | null = null
		if (spec.moves === 0 && spec.notes === 1000) {
			goal = '< 100 ms'
			met = ours !== null ? ours < 100 : null
		} else if (spec.moves > 0 && compactIndex >= 0) {
			const compact = pick(loadMs(compactIndex), 'ours', median)
			goal = `≤ 1.2× ours compact (${compact === null ? '—' : ms(1.2 * compact)})`
			met = ours !== null && compact !== null ? ours <= 1.2 * compact : null
		}
		c.rows.push({
			scenario: 'S4 cold load',
			metric: `${spec.label}: connect → all notes`,
			unit: 'ms',
			ours,
			reference: ref,
			goal,
			met,
		})
		if (spec.moves > 0 && compactIndex >= 0) {
			const hist = (kind: ServerKind): number | null => {
				const h = pick(loadMs(i), kind, median)
				const k = pick(loadMs(compactIndex), kind, median)
				return h !== null && k !== null && k > 0 ? h / k : null
			}
			c.rows.push({
				scenario: 'S4 cold load',
				metric: `history-heavy ÷ compact (${spec.notes} notes)`,
				unit: '×',
				ours: hist('ours'),
				reference: hist('reference'),
				goal: '≤ 1.2×',
				met: hist('ours') === null ? null : hist('ours')! <= 1.2,
			})
		}
	}
	const early = loads.flatMap((l, i) =>
		l.reference.filter((t) => t.syncedMs < t.loadMs - 1).map(() => p.rooms[i].label)
	)
	if (early.length > 0) {
		c.notes.push(
			`S4: the reference server reported "synced" before the notes arrived (${[...new Set(early)].join(', ')}): it answers the first sync from the empty in-memory doc while LevelDB is still loading, then sends the stored state as an update. The figures above wait for the notes.`
		)
	}
	c.raw.coldLoad = {
		params: p,
		prepareMs: Object.fromEntries(kinds.map((k) => [k, prepared[k]!.prepareMs])),
		loads: p.rooms.map((spec, i) => ({ spec, ours: loads[i].ours, reference: loads[i].reference })),
	}
}

/** A server's S5 figures on one line of the progress log. */
function durableLine(server: DurableRun['server']): string {
	if (!server) return 'no server figures'
	const power = server.powerSafe
		? `p50 ${ms(server.powerSafe.p50)} p99 ${ms(server.powerSafe.p99)} (${server.powerSafe.count})`
		: 'never (no fsync)'
	return `crash-safe p50 ${ms(server.p50)} p99 ${ms(server.p99)} (${server.count}), power-safe ${power}`
}

async function scenarioDurable(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number): Promise<void> {
	const p = config.durable
	const label = `S5 ${p.rooms}×${p.clientsPerRoom} at ${p.ratePerSecond} upd/s`
	// Crash-safe p99 is the figure with a goal; the receivers' p99 is S1's tail at this load.
	const figures = {
		'crash-safe p99': (r: DurableRun) => r.server?.p99 ?? Number.NaN,
		'first receiver p99': (r: DurableRun) => r.firstReceiver.p99,
	}
	const set = await ababStable(
		c,
		label,
		kinds,
		rounds,
		(kind) => runDurable(kind, p),
		(r) => `${durableLine(r.server)}; send → first receiver p99 ${ms(r.firstReceiver.p99)}`,
		figures,
		ms
	)
	const runs = set.results
	const serverFig = (kind: ServerKind, q: 'p50' | 'p99'): number | null => {
		const values = runs[kind].map((r) => r.server?.[q]).filter((v): v is number => typeof v === 'number')
		return values.length ? median(values) : null
	}
	const firstFig = (kind: ServerKind, q: 'p50' | 'p99'): number | null =>
		runs[kind].length ? median(runs[kind].map((r) => r.firstReceiver[q])) : null
	const powerFig = (kind: ServerKind, q: 'p50' | 'p99'): number | null => {
		const values = runs[kind].map((r) => r.server?.powerSafe?.[q]).filter((v): v is number => typeof v === 'number')
		return values.length ? median(values) : null
	}
	const oursFromServer = serverFig('ours', 'p99') !== null
	const scenario = `S5 time to durable (${p.ratePerSecond} upd/s)`
	const oursNote = oursFromServer || runs.ours.length === 0 ? undefined : 'ours: upper bound, send → first receiver'
	for (const q of ['p50', 'p99'] as const) {
		const ours = oursFromServer ? serverFig('ours', q) : firstFig('ours', q)
		c.rows.push({
			scenario,
			metric: `arrival → crash-safe (committed), ${q}`,
			unit: 'ms',
			ours,
			reference: serverFig('reference', q),
			goal: q === 'p99' ? '< 10 ms' : '',
			met: q === 'p99' && ours !== null && set.stable ? ours < 10 : null,
			note: [oursNote, set.stable ? '' : UNSTABLE].filter(Boolean).join(', ') || undefined,
		})
	}
	// The reference never fsyncs (LevelDB `sync: false`): its updates are power-safe only once the OS writes them back.
	const referencePowerNote = kinds.includes('reference') ? 'reference: never fsyncs, left to OS writeback' : undefined
	for (const q of ['p50', 'p99'] as const) {
		const ours = powerFig('ours', q)
		c.rows.push({
			scenario,
			metric: `arrival → power-safe (fsync'd), ${q}`,
			unit: 'ms',
			ours,
			reference: null,
			goal: q === 'p99' ? '< 50 ms' : '',
			met: q === 'p99' && ours !== null ? ours < 50 : null,
			note: referencePowerNote,
		})
	}
	const modes = [...new Set(runs.ours.map((r) => r.server?.durability).filter(Boolean))]
	if (modes.length) c.notes.push(`S5: our server ran with DURABILITY=${modes.join(', ')}.`)
	c.rows.push({
		scenario,
		metric: 'send → first receiver, p99',
		unit: 'ms',
		ours: firstFig('ours', 'p99'),
		reference: firstFig('reference', 'p99'),
		goal: '',
		met: null,
	})
	for (const kind of kinds)
		c.windows(
			scenario,
			kind,
			runs[kind].map((r) => r.window)
		)
	c.raw.durable = Object.fromEntries(
		kinds.map((kind) => [
			kind,
			runs[kind].map((r: DurableRun) => ({
				server: r.server,
				firstReceiver: r.firstReceiver,
				window: windowJson(r.window),
			})),
		])
	)
}

/**
 * S6: S2's saturation sweep on one server with SQLite, one with PostgreSQL, and two on PostgreSQL + Redis with
 * the clients spread over both (no balancer; each room has clients on both servers), interleaved per round.
 */
async function scenarioStorage(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number): Promise<void> {
	if (!kinds.includes('ours')) return
	// S2's sweep, starting lower: on a busy machine a PostgreSQL commit alone can take longer than S2's first step allows.
	const p = { ...config.saturation, rates: [50, 100, 150, ...config.saturation.rates.filter((rate) => rate > 150)] }
	const missing = await clusterServicesUnavailable()
	if (missing) {
		log(`  S6 skipped: ${missing}`)
		c.notes.push(`S6 skipped: ${missing}`)
		return
	}
	const runs: Record<string, SaturationRun[]> = {}
	for (let round = 1; round <= rounds; round++) {
		for (const setup of STORAGE_SETUPS) {
			const t0 = performance.now()
			const started = await startSetup(setup)
			let run: SaturationRun
			try {
				run = await runSaturation(started.servers, p)
			} finally {
				await started.stop()
			}
			;(runs[setup.id] ??= []).push(run)
			log(
				`  S6 ${setup.label} ${round}/${rounds}: max ${run.maxRate} upd/s${run.allPassed ? ' (all passed)' : ''}; ` +
					`${describeStep('ours', run).replace(/^ours: /, '')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`
			)
		}
	}
	const scenario = `S6 saturation ${p.rooms}×${p.clientsPerRoom} by storage`
	const sqlite = mean(runs.sqlite.map((r) => r.maxRate))
	for (const setup of STORAGE_SETUPS) {
		const value = mean(runs[setup.id].map((r) => r.maxRate))
		const capped = runs[setup.id].some((r) => r.allPassed)
		c.rows.push({
			scenario,
			metric: `${setup.label}: highest rate with p99 < ${p.p99LimitMs} ms, nothing lost`,
			unit: 'upd/s',
			ours: value,
			reference: null,
			goal: '',
			met: null,
			note:
				[
					setup.id === 'sqlite' || !sqlite ? '' : `${(value / sqlite).toFixed(2)}× SQLite`,
					capped ? `capped at ${p.rates[p.rates.length - 1]}` : '',
				]
					.filter(Boolean)
					.join(', ') || undefined,
		})
		c.windows(
			`S6 ${setup.id}`,
			'ours',
			runs[setup.id].flatMap((r) => r.steps.map((s) => s.figures))
		)
		c.notes.push(
			`S6 ${setup.label} per run — ${runs[setup.id].map((r) => describeStep('ours', r).replace(/^ours: /, '')).join('; ')}.`
		)
	}
	c.notes.push(
		'S6: all servers pinned to the server core (two servers share it); PostgreSQL and Redis run unpinned on the ' +
			"same machine and count as the cores' noise."
	)
	c.raw.storage = Object.fromEntries(
		STORAGE_SETUPS.map((setup) => [
			setup.id,
			runs[setup.id].map((r) => ({
				maxRate: r.maxRate,
				allPassed: r.allPassed,
				steps: r.steps.map((s) => ({ rate: s.rate, passed: s.passed, ...windowJson(s.figures) })),
			})),
		])
	)
}

const RUNNERS: Record<
	ScenarioId,
	(c: Collector, config: BenchConfig, kinds: ServerKind[], rounds: number) => Promise<void>
> = {
	S1: scenarioFanout,
	S2: scenarioSaturation,
	S3: scenarioMemory,
	S4: scenarioColdLoad,
	S5: scenarioDurable,
	S6: scenarioStorage,
}

function summarizeProfiles(dir: string): void {
	let files: string[] = []
	try {
		files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
	} catch {
		return
	}
	for (const file of files) {
		// From the moment the server listened: leave its start-up (module loading) out.
		const pid = Number(/^CPU\.\d+\.\d+\.(\d+)\./.exec(file)?.[1])
		const profile = JSON.parse(readFileSync(join(dir, file), 'utf8'))
		const summary = formatProfileSummary(summarizeProfile(profile, { top: 40, fromUs: listeningSinceUs.get(pid) }))
		writeFileSync(join(dir, file.replace(/\.cpuprofile$/, '.txt')), `${summary}\n`)
	}
	log(`CPU profiles and summaries: ${dir}`)
}

async function main(): Promise<void> {
	const options = parseOptions(process.argv.slice(2))
	const pinned = await pinSelf(options.nice)
	// Exit through process.exit, so that servers.ts kills the servers and removes their data directories.
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))
	const base = options.quick ? QUICK : FULL
	const points = options.points
	const config: BenchConfig = points
		? { ...base, fanout: base.fanout.filter((p) => points.includes(`${p.rooms}x${p.clientsPerRoom}`)) }
		: base
	const rounds = options.rounds ?? config.rounds
	let kinds: ServerKind[] = options.servers ?? [...SERVER_KINDS]
	if (kinds.includes('ours') && !ourServerExists()) {
		log('Our server (server/src/server.ts) is not there yet: running the reference only.')
		kinds = kinds.filter((k) => k !== 'ours')
	}
	// Our server runs as shipped: the bundle, rebuilt here when its sources changed.
	if (kinds.includes('ours')) await ensureServerBuild()
	const started = new Date()
	const t0 = performance.now()
	const stamp = started.toISOString().replace(/[:.]/g, '-').slice(0, 19)
	mkdirSync(RESULTS_DIR, { recursive: true })
	if (options.profile) profileServers(['ours'], join(RESULTS_DIR, 'profiles', stamp))
	setOursEnv(options.oursEnv)
	const experimental = Object.keys(options.oursEnv).length > 0
	const machine = machineInfo(pinned ? benchCores() : null, Number(process.env.KB_BENCH_NPROC) || undefined)
	log(
		`Kompasbord bench (${config.name}, ${rounds} round${rounds === 1 ? '' : 's'}: ${kinds.join(' / ')})` +
			(experimental ? ` with our server's env ${JSON.stringify(options.oursEnv)}` : '') +
			` on ${machine.nproc} × ${machine.cpuModel}, ` +
			`Node ${machine.node}, load average ${machine.loadAverage.toFixed(2)}${pinned ? '' : ' — NOT pinned (no taskset)'}`
	)
	const collector = new Collector()
	let failed = false
	for (const id of SCENARIOS) {
		if (!options.only.includes(id)) continue
		log(`${id}…`)
		try {
			await RUNNERS[id](collector, config, kinds, rounds)
		} catch (error) {
			failed = true
			const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
			log(`${id} failed: ${message}`)
			collector.notes.push(
				`${id} did not complete: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`
			)
		}
		await removeTempDirs()
	}
	const durationMs = performance.now() - t0
	console.log('')
	console.log(textTable(collector.rows))
	if (collector.notes.length) console.log(`\n${collector.notes.map((n) => `- ${n}`).join('\n')}`)
	const args = process.argv.slice(2).filter((a) => a !== '--')
	const command = `pnpm bench${args.length ? ` ${args.join(' ')}` : ''}`
	const resultsFile = join(RESULTS_DIR, `${stamp}-${config.name}.json`)
	writeFileSync(
		resultsFile,
		JSON.stringify(
			{
				started,
				durationMs,
				config,
				rounds,
				kinds,
				machine,
				rows: collector.rows,
				conditions: collector.conditions,
				notes: collector.notes,
				raw: collector.raw,
			},
			null,
			'\t'
		)
	)
	log(`\nResults: ${resultsFile} (${(durationMs / 60_000).toFixed(1)} min)`)
	const writeDoc =
		options.doc ??
		(config.name === 'full' &&
			kinds.length === 2 &&
			options.only.length === SCENARIOS.length &&
			!points &&
			!experimental)
	if (writeDoc) {
		writeResultsBlock(
			REPORT_FILE,
			renderResults({
				date: started,
				durationMs,
				command,
				config: config.name,
				rounds,
				machine,
				rows: collector.rows,
				conditions: collector.conditions,
				notes: collector.notes,
			})
		)
		log(`Report: ${REPORT_FILE}`)
	}
	if (options.profile) summarizeProfiles(join(RESULTS_DIR, 'profiles', stamp))
	process.exitCode = failed ? 1 : 0
}

main().then(
	() => process.exit(process.exitCode ?? 0),
	async (error) => {
		console.error(error)
		await removeTempDirs()
		process.exit(1)
	}
)
