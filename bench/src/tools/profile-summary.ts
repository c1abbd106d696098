/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): the functions with the most self time, and self
 * time per package, so a profile can be read in a terminal.
 *
 * Usage: `tsx src/tools/profile-summary.ts <file.cpuprofile> [top=30] [from-µs]` — samples before `from-µs`
 * (monotonic clock, as `process.hrtime`) are left out. Positions in a bundle (our server runs as
 * `server/dist/server.mjs`) are named by their TypeScript source, through the bundle's source map.
 */
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface ProfileNode {
	id: number
	callFrame: { functionName: string; url: string; lineNumber: number; columnNumber?: number }
	children?: number[]
}

interface CpuProfile {
	nodes: ProfileNode[]
	startTime: number
	endTime: number
	samples: number[]
	timeDeltas: number[]
}

/** Self time per function and per package of a CPU profile, in milliseconds, largest first. */
export interface ProfileSummary {
	totalMs: number
	idleMs: number
	functions: Array<{ name: string; where: string; selfMs: number }>
	packages: Array<{ name: string; selfMs: number }>
}

/** The package a script URL belongs to (`yjs`, `ws`, `server/src`, `node:internal`…). */
export function packageOf(url: string): string {
	if (url === '') return '(native/vm)'
	if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`
	const nm = url.lastIndexOf('/node_modules/')
	if (nm >= 0) {
		const rest = url.slice(nm + '/node_modules/'.length).split('/')
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
	}
	const m = /\/(server|shared|bench|templates|client)\/src\//.exec(url)
	return m ? `${m[1]}/src` : url
}

/** Source maps of the scripts a profile names, by URL (null: the script has none). */
const sourceMaps = new Map<string, SourceMap | null>()

/**
 * The original source and line (0-based) of a position in a `file://` script that has a source map beside it
 * (`<script>.map`, as esbuild writes it); the position itself otherwise.
 */
export function originalPosition(url: string, line: number, column: number): { url: string; line: number } {
	if (!url.startsWith('file://')) return { url, line }
	let map = sourceMaps.get(url)
	if (map === undefined) {
		const file = `${fileURLToPath(url)}.map`
		map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null
		sourceMaps.set(url, map)
	}
	const entry = map?.findEntry(line, column)
	if (!entry || !('originalSource' in entry)) return { url, line }
	const source = pathToFileURL(resolve(dirname(fileURLToPath(url)), entry.originalSource)).href
	return { url: source, line: entry.originalLine }
}

/** Options of {@link summarizeProfile}. */
export interface SummaryOptions {
	/** Functions listed. */
	top?: number
	/**
	 * Count only samples taken at or after this time, in µs of the monotonic clock the profile uses (the same
	 * as `process.hrtime` on Linux), e.g. when the server started listening, to leave out its start-up.
	 */
	fromUs?: number
}

/** Reads and summarizes a profile. */
export function summarizeProfile(profile: CpuProfile, { top = 30, fromUs }: SummaryOptions = {}): ProfileSummary {
	const byId = new Map<number, ProfileNode>()
	for (const node of profile.nodes) byId.set(node.id, node)
	const selfUs = new Map<number, number>()
	let at = profile.startTime
	for (let i = 0; i < profile.samples.length; i++) {
		at += profile.timeDeltas[i] ?? 0
		if (fromUs !== undefined && at < fromUs) continue
		const id = profile.samples[i]
		selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0))
	}
	const fn = new Map<string, { name: string; where: string; selfMs: number }>()
	const pkg = new Map<string, number>()
	let idleMs = 0
	let totalMs = 0
	for (const [id, us] of selfUs) {
		const node = byId.get(id)!
		const ms = us / 1000
		totalMs += ms
		const { functionName, lineNumber, columnNumber } = node.callFrame
		if (functionName === '(idle)') {
			idleMs += ms
			continue
		}
		const name = functionName || '(anonymous)'
		const { url, line } = originalPosition(node.callFrame.url, lineNumber, columnNumber ?? 0)
		const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
		const where = url ? `${short}:${line + 1}` : ''
		const key = `${name}@${where}`
		const entry = fn.get(key) ?? { name, where, selfMs: 0 }
		entry.selfMs += ms
		fn.set(key, entry)
		const p = functionName.startsWith('(') ? functionName : packageOf(url)
		pkg.set(p, (pkg.get(p) ?? 0) + ms)
	}
	return {
		totalMs,
		idleMs,
		functions: [...fn.values()].sort((a, b) => b.selfMs - a.selfMs).slice(0, top),
		packages: [...pkg.entries()].map(([name, selfMs]) => ({ name, selfMs })).sort((a, b) => b.selfMs - a.selfMs),
	}
}

/** Formats a summary as plain text. */
export function formatProfileSummary(summary: ProfileSummary): string {
	const busy = summary.totalMs - summary.idleMs
	const pct = (ms: number): string => `${((ms / Math.max(busy, 1e-9)) * 100).toFixed(1).padStart(5)} %`
	const lines = [
		`total ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms, busy ${busy.toFixed(0)} ms`,
		'',
		'self time by package (share of busy):',
		...summary.packages.slice(0, 15).map((p) => `  ${pct(p.selfMs)}  ${p.selfMs.toFixed(0).padStart(7)} ms  ${p.name}`),
		'',
		'top functions by self time:',
		...summary.functions.map((f) => `  ${pct(f.selfMs)}  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.name}  ${f.where}`),
	]
	return lines.join('\n')
}

if (process.argv[1] && /profile-summary\.[cm]?[jt]s$/.test(process.argv[1])) {
	const file = process.argv[2]
	if (!file) {
		console.error('usage: profile-summary <file.cpuprofile> [top]')
		process.exit(2)
	}
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
	const fromUs = process.argv[4] ? Number(process.argv[4]) : undefined
	console.log(formatProfileSummary(summarizeProfile(profile, { top: Number(process.argv[3] ?? 30), fromUs })))
}
