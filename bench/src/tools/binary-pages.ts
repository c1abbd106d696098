/**
 * Which pages of the node binary an idle server has resident, and which parts of the binary they belong to:
 * starts our server (the bundle) and the reference as idle-memory.ts does (inspector, settle, two full GCs),
 * reads the present bit of each page of the binary's mappings from /proc/<pid>/pagemap, and prints, by ELF
 * section and by symbol group (a C++ namespace, a C library's prefix, a data symbol), the pages each server has
 * that the other has not. The binary has to be the same file for both (it is: both run `process.execPath`) and
 * mapped at its link address (Node's Linux builds are not position-independent), so addresses compare as is.
 *
 *   node --import tsx bench/src/tools/binary-pages.ts [--rounds 1] [--top 40] [--servers ours,reference]
 *
 * A server given as `ours:KEY=VALUE;…` is ours with that environment (as in idle-memory.ts). Symbols come from
 * `nm -C -S` of the binary (cached in the temporary directory by the binary's size and mtime).
 */
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../../../scripts/build-server.mjs'
import { sleep } from '../client'
import { InspectorSession } from '../probe'
import { startServer } from '../servers'
import { runTool } from './run-tool'
import { parseServerSpec } from './server-spec'

const { values } = parseArgs({
	options: {
		rounds: { type: 'string', default: '1' },
		servers: { type: 'string', default: 'ours,reference' },
		top: { type: 'string', default: '40' },
		settle: { type: 'string', default: '2000' },
	},
})

const PAGE = 4096
const binary = realpathSync(process.execPath)

interface Section {
	name: string
	start: number
	end: number
}
interface Symbol {
	start: number
	end: number
	name: string
}

/** The binary's allocated sections (name, address range) from `readelf -SW`. */
function sections(): Section[] {
	const out = execFileSync('readelf', ['-SW', binary], { encoding: 'utf8', maxBuffer: 1 << 24 })
	const result: Section[] = []
	for (const line of out.split('\n')) {
		const m = /\]\s+(\S+)\s+\S+\s+([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)/.exec(line)
		if (!m) continue
		const start = Number.parseInt(m[2], 16)
		const size = Number.parseInt(m[3], 16)
		if (start > 0 && size > 0) result.push({ name: m[1], start, end: start + size })
	}
	return result
}

/** Sized symbols of the binary, by address. */
function symbols(): Symbol[] {
	const stat = statSync(binary)
	const cache = join(tmpdir(), `binary-pages-${stat.size}-${Math.floor(stat.mtimeMs)}.json`)
	if (existsSync(cache)) return JSON.parse(readFileSync(cache, 'utf8')) as Symbol[]
	const out = execFileSync('nm', ['-C', '-S', '--defined-only', binary], {
		encoding: 'utf8',
		maxBuffer: 1 << 30,
	})
	const result: Symbol[] = []
	for (const line of out.split('\n')) {
		const m = /^([0-9a-f]+) ([0-9a-f]+) \S (.*)$/.exec(line)
		if (!m) continue
		const start = Number.parseInt(m[1], 16)
		const size = Number.parseInt(m[2], 16)
		if (size > 0) result.push({ start, end: start + size, name: m[3] })
	}
	result.sort((a, b) => a.start - b.start)
	writeFileSync(cache, JSON.stringify(result))
	return result
}

/** A symbol's group: its namespace (two levels, three under v8::internal and node), or a C name's prefix. */
function groupOf(name: string): string {
	let base = name
	const paren = base.indexOf('(')
	if (paren > 0) base = base.slice(0, paren)
	if (base.startsWith('Builtins_')) return 'v8 embedded builtins'
	if (base.startsWith('vtable for') || base.startsWith('typeinfo')) return 'vtables/typeinfo'
	if (base.startsWith('guard variable') || base.startsWith('construction vtable')) return 'other C++ data'
	// Template arguments and a return type before the name would confuse the split: drop <…>.
	let depth = 0
	let plain = ''
	for (const c of base) {
		if (c === '<') depth++
		else if (c === '>') depth = Math.max(0, depth - 1)
		else if (depth === 0) plain += c
	}
	plain = plain.trim().split(' ').pop() ?? plain
	if (plain.includes('::')) {
		const parts = plain.split('::').filter(Boolean)
		const deep = parts[0] === 'v8' || parts[0] === 'node' || parts[0] === 'cppgc'
		return parts.slice(0, Math.min(parts.length - 1, deep ? 3 : 2)).join('::') || parts[0]
	}
	const prefix = /^(_*[A-Za-z0-9]+?)_/.exec(plain)
	return prefix ? `C ${prefix[1]}_*` : `C ${plain}`
}

/** Present (resident) pages of the binary's mappings in a process: page addresses. */
function residentPages(pid: number): Set<number> {
	const maps = readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')
	const fd = openSync(`/proc/${pid}/pagemap`, 'r')
	const pages = new Set<number>()
	try {
		for (const line of maps) {
			const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s+(.*)$/.exec(line)
			if (!m || m[3] !== binary) continue
			const start = Number.parseInt(m[1], 16)
			const end = Number.parseInt(m[2], 16)
			const count = (end - start) / PAGE
			const buffer = Buffer.alloc(count * 8)
			readSync(fd, buffer, 0, buffer.length, (start / PAGE) * 8)
			for (let i = 0; i < count; i++) {
				// Bit 63: present in RAM.
				if (buffer.readBigUInt64LE(i * 8) >> 63n) pages.add(start + i * PAGE)
			}
		}
	} finally {
		closeSync(fd)
	}
	return pages
}

/** Splits each page among the symbols it holds (by bytes), summing per group; pages without symbols by section. */
function attribute(pages: Iterable<number>, syms: Symbol[], secs: Section[]): Map<string, number> {
	const groups = new Map<string, number>()
	const add = (group: string, bytes: number) => groups.set(group, (groups.get(group) ?? 0) + bytes)
	const sorted = [...pages].sort((a, b) => a - b)
	// First symbol that may overlap a page: binary search on start, then step back over long symbols.
	const firstAtOrAfter = (address: number): number => {
		let lo = 0
		let hi = syms.length
		while (lo < hi) {
			const mid = (lo + hi) >> 1
			if (syms[mid].start < address) lo = mid + 1
			else hi = mid
		}
		return lo
	}
	for (const page of sorted) {
		const section = secs.find((s) => page + PAGE > s.start && page < s.end)?.name ?? '(no section)'
		let covered = 0
		let i = firstAtOrAfter(page)
		// Symbols starting before the page that reach into it (a few steps back; huge data symbols too).
		let back = i - 1
		while (back >= 0 && page - syms[back].start < 64 * 1024 * 1024) {
			const s = syms[back]
			if (s.end > page) {
				const bytes = Math.min(s.end, page + PAGE) - page
				add(`${section} ${groupOf(s.name)}`, bytes)
				covered += bytes
			}
			if (page - s.start > 4 * 1024 * 1024 && covered > 0) break
			back--
			if (i - back > 2000) break
		}
		for (; i < syms.length && syms[i].start < page + PAGE; i++) {
			const s = syms[i]
			const bytes = Math.min(s.end, page + PAGE) - s.start
			add(`${section} ${groupOf(s.name)}`, bytes)
			covered += bytes
		}
		if (covered < PAGE) add(`${section} (no symbol)`, PAGE - Math.min(PAGE, covered))
	}
	// Overlapping symbols (aliases) can count bytes twice: scale each page's share is not worth it here; the
	// figures are KiB of symbol bytes on the pages, a close bound of the pages themselves.
	return groups
}

/** Sections' resident KiB. */
function bySection(pages: Set<number>, secs: Section[]): Map<string, number> {
	const result = new Map<string, number>()
	for (const page of pages) {
		const section = secs.find((s) => page + PAGE > s.start && page < s.end)?.name ?? '(no section)'
		result.set(section, (result.get(section) ?? 0) + PAGE)
	}
	return result
}

async function idlePages(spec: string): Promise<Set<number>> {
	const { kind, env } = parseServerSpec(spec)
	const server = await startServer(kind, { inspect: true, env })
	const inspector = await InspectorSession.open(server.inspectorUrl!)
	try {
		await sleep(Number(values.settle))
		await inspector.collectGarbage()
		await sleep(200)
		await inspector.collectGarbage()
		await sleep(300)
		return residentPages(server.pid)
	} finally {
		inspector.close()
		await server.stop()
	}
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`

function printTable(title: string, groups: Map<string, number>, top: number): void {
	const total = [...groups.values()].reduce((a, b) => a + b, 0)
	console.log(`${title}: ${kib(total)}`)
	for (const [group, bytes] of [...groups.entries()].sort((a, b) => b[1] - a[1]).slice(0, top))
		console.log(`  ${kib(bytes).padStart(10)}  ${group}`)
}

async function main(): Promise<void> {
	await ensureServerBuild()
	const secs = sections()
	const syms = symbols()
	const [a, b] = values.servers.split(',')
	const top = Number(values.top)
	for (let round = 0; round < Number(values.rounds); round++) {
		const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
		const pagesA = await idlePages(a)
		const pagesB = await idlePages(b)
		console.log(`round ${round + 1} (load ${load}): ${a} ${kib(pagesA.size * PAGE)}, ${b} ${kib(pagesB.size * PAGE)}`)
		const sectA = bySection(pagesA, secs)
		const sectB = bySection(pagesB, secs)
		for (const name of new Set([...sectA.keys(), ...sectB.keys()]))
			console.log(
				`  ${name.padEnd(20)} ${kib(sectA.get(name) ?? 0).padStart(10)} ${kib(sectB.get(name) ?? 0).padStart(10)}`
			)
		const onlyA = [...pagesA].filter((p) => !pagesB.has(p))
		const onlyB = [...pagesB].filter((p) => !pagesA.has(p))
		printTable(`pages only ${a} has (${onlyA.length})`, attribute(onlyA, syms, secs), top)
		printTable(`pages only ${b} has (${onlyB.length})`, attribute(onlyB, syms, secs), Math.min(top, 15))
	}
}

runTool(main)
