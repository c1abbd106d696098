/** The results table: rows of our figure, the reference's, their ratio and our goal; text and Markdown. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { MachineInfo } from './machine'

/** One line of the results table. */
export interface Row {
	scenario: string
	metric: string
	unit: Unit
	ours: number | null
	reference: number | null
	/** Our goal, in words. */
	goal: string
	/** Whether we meet the goal; null when there is no goal or no figure. */
	met: boolean | null
	/** When our figure is a bound rather than a measurement, or similar. */
	note?: string
}

/** How a figure is printed. */
export type Unit = 'ms' | 'KiB' | 'MiB' | 'upd/s' | '%' | '×'

/** How busy things were while a scenario ran. */
export interface Conditions {
	scenario: string
	kind: string
	/** Highest event-loop utilization of the load generator in any window. */
	generatorElu: number
	/** Highest CPU share of the server in any window. */
	serverCpu: number
	/** Highest CPU share other processes took on the server's / the generator's core. */
	noiseServerCore: number
	noiseGeneratorCore: number
	/** Highest fdatasync p99 of the disk probed before the windows, ms. */
	fsyncP99: number
}

/** Formats a figure with its unit. */
export function formatValue(value: number | null, unit: Unit): string {
	if (value === null || Number.isNaN(value)) return '—'
	switch (unit) {
		case 'ms':
			return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ms`
		case 'KiB':
			return `${(value / 1024).toFixed(1)} KiB`
		case 'MiB':
			return `${(value / 2 ** 20).toFixed(1)} MiB`
		case 'upd/s':
			return `${Math.round(value)} upd/s`
		case '%':
			return value >= 0.99995 && value <= 1 ? '100 %' : `${(value * 100).toFixed(2)} %`
		case '×':
			return `${value.toFixed(2)}×`
	}
}

/** ours / reference, or null. */
export function ratio(row: Row): number | null {
	if (row.ours === null || row.reference === null || row.reference === 0) return null
	if (Number.isNaN(row.ours) || Number.isNaN(row.reference)) return null
	return row.ours / row.reference
}

function metText(met: boolean | null): string {
	return met === null ? '' : met ? 'yes' : '**no**'
}

const HEADERS = ['scenario', 'metric', 'ours', 'reference', 'ours/ref', 'goal', 'met']

function cells(row: Row): string[] {
	const r = ratio(row)
	return [
		row.scenario,
		row.metric + (row.note ? ` (${row.note})` : ''),
		formatValue(row.ours, row.unit),
		formatValue(row.reference, row.unit),
		r === null ? '—' : `${r.toFixed(2)}×`,
		row.goal,
		metText(row.met),
	]
}

/** The table as aligned plain text, for the terminal. */
export function textTable(rows: readonly Row[]): string {
	const all = [HEADERS, ...rows.map(cells)].map((line) => line.map((cell) => cell.replaceAll('**', '')))
	const widths = HEADERS.map((_, i) => Math.max(...all.map((line) => line[i].length)))
	const fmt = (line: string[]): string =>
		line
			.map((cell, i) => cell.padEnd(widths[i]))
			.join('  ')
			.trimEnd()
	return [fmt(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(fmt)].join('\n')
}

/** The table as Markdown. */
export function markdownTable(rows: readonly Row[]): string {
	const line = (c: string[]): string => `| ${c.map((x) => x.replaceAll('|', '\\|')).join(' | ')} |`
	return [line(HEADERS), line(HEADERS.map(() => '---')), ...rows.map((row) => line(cells(row)))].join('\n')
}

/** The conditions as Markdown. */
export function conditionsTable(conditions: readonly Conditions[]): string {
	const pct = (v: number): string => (Number.isNaN(v) ? '—' : `${Math.round(v * 100)} %`)
	const head = [
		'scenario',
		'server',
		'generator event loop (max)',
		'server CPU (max)',
		'other load on server core',
		'other load on generator core',
		'disk fdatasync p99 (max)',
	]
	const line = (c: string[]): string => `| ${c.join(' | ')} |`
	return [
		line(head),
		line(head.map(() => '---')),
		...conditions.map((c) =>
			line([
				c.scenario,
				c.kind,
				pct(c.generatorElu),
				pct(c.serverCpu),
				pct(c.noiseServerCore),
				pct(c.noiseGeneratorCore),
				Number.isNaN(c.fsyncP99) ? '—' : `${c.fsyncP99.toFixed(c.fsyncP99 < 10 ? 2 : 0)} ms`,
			])
		),
	].join('\n')
}

/** Everything the Markdown results block shows. */
export interface ReportInput {
	date: Date
	durationMs: number
	command: string
	config: string
	rounds: number
	machine: MachineInfo
	rows: readonly Row[]
	conditions: readonly Conditions[]
	notes: readonly string[]
}

/** The generated block of docs/benchmarks.md. */
export function renderResults(input: ReportInput): string {
	const m = input.machine
	return [
		`Run on ${input.date.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${input.command}\` ` +
			`(${input.config} configuration, ${input.rounds === 1 ? 'one A/B round' : `${input.rounds} A/B rounds: ${'ours, reference, '.repeat(input.rounds).slice(0, -2)}`}), ` +
			`${(input.durationMs / 60_000).toFixed(1)} minutes.`,
		'',
		`Machine: ${m.nproc} CPUs (\`nproc\`), ${m.cpuModel}, ${m.memoryGiB} GiB RAM, ${m.kernel}; Node ${m.node}, yjs ${m.yjs}; ` +
			`reference: ${m.referenceServer}. Commit ${m.commit}. Load average at start ${m.loadAverage.toFixed(2)}. ` +
			(m.pinned
				? `Server pinned to CPU ${m.pinned.server}, load generator to CPU ${m.pinned.generator} (\`taskset\`; ${m.pinned.reason}).`
				: 'Not pinned: `taskset` was not available.') +
			(m.niceness !== 0 ? ` Harness and servers ran at niceness ${m.niceness} (the machine is shared).` : ''),
		'',
		markdownTable(input.rows),
		'',
		'Conditions while measuring (a generator event loop near 100 % means the load generator, not the server, set the pace; "other load" is CPU taken by other processes on the same core during the windows; the disk probe times 100 fdatasyncs of 4 KiB just before each window — what a server that syncs every commit is up against):',
		'',
		conditionsTable(input.conditions),
		...(input.notes.length > 0 ? ['', ...input.notes.map((n) => `- ${n}`)] : []),
	].join('\n')
}

const START = '<!-- bench:results:start -->'
const END = '<!-- bench:results:end -->'

/**
 * Writes the results block into the report file between its markers, keeping the hand-written parts; creates
 * the file with a minimal frame when it does not exist.
 */
export function writeResultsBlock(file: string, block: string): void {
	const generated = `${START}\n${block}\n${END}`
	if (!existsSync(file)) {
		writeFileSync(file, `# Benchmarks\n\n${generated}\n`)
		return
	}
	const text = readFileSync(file, 'utf8')
	const start = text.indexOf(START)
	const end = text.indexOf(END)
	if (start < 0 || end < start) {
		writeFileSync(file, `${text.trimEnd()}\n\n${generated}\n`)
		return
	}
	writeFileSync(file, text.slice(0, start) + generated + text.slice(end + END.length))
}
