/**
 * What an idle server holds: starts our server (the bundle, as `pnpm bench` runs it) or the reference with the
 * inspector, forces a full GC as S3 does, and prints RSS with its parts — V8 heap (used, committed, per space),
 * external memory, anonymous vs file-backed resident pages (code), threads — for a few rounds, interleaved.
 *
 *   node --import tsx bench/src/tools/idle-memory.ts [--rounds 3] [--servers ours,reference] [--snapshot]
 *     [--snapshot-file file.heapsnapshot]
 *
 * `--after-rooms N` (ours only): the server is measured after N rooms were loaded (one client each; RSS with
 * them loaded is printed too) and unloaded again (`ROOM_IDLE_MS=500`) — an idle server that had work.
 *
 * A server given as `ours:KEY=VALUE;KEY=VALUE` is ours with that environment (split at the first `:` and each
 * `=`, so `ours:GLIBC_TUNABLES=glibc.malloc.top_pad=0:glibc.malloc.trim_threshold=0` works), for comparing
 * settings in the same rounds (`NODE_FLAGS=--a --b` among them gives that variant node flags instead). `base` (also `base:KEY=VALUE;…`) is our server from another build, `--base-dist DIR`
 * (`server/dist` built at another commit, e.g. in a second worktree: where its packages resolve), for
 * before/after in the same rounds.
 *
 * `--snapshot` also takes a heap snapshot of our server (first round) and prints the self size by node type and
 * by constructor; `--snapshot-file` keeps it for Chromium's memory tool.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../../../scripts/build-server.mjs'
import { connectClients, destroyAll, sleep } from '../client'
import { InspectorSession, readRss } from '../probe'
import { startServer } from '../servers'
import { takeHeapSnapshot } from './heap-retainers'
import { runTool } from './run-tool'
import { parseServerSpec } from './server-spec'

const { values } = parseArgs({
	options: {
		rounds: { type: 'string', default: '3' },
		servers: { type: 'string', default: 'ours,reference' },
		snapshot: { type: 'boolean', default: false },
		'snapshot-file': { type: 'string' },
		settle: { type: 'string', default: '2000' },
		'after-rooms': { type: 'string', default: '0' },
		'base-dist': { type: 'string' },
	},
})

const MiB = 1024 * 1024
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`

/** Resident kB by kind, from /proc/<pid>/smaps (anonymous vs file-backed; the node binary's text is file). */
function residentParts(pid: number): { anon: number; file: number; nodeBinary: number; libs: number } {
	const smaps = readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')
	let name = ''
	const parts = { anon: 0, file: 0, nodeBinary: 0, libs: 0 }
	for (const line of smaps) {
		const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
		if (header) {
			name = header[1]
			continue
		}
		const rss = /^Rss:\s+(\d+) kB/.exec(line)
		if (rss) {
			const bytes = Number(rss[1]) * 1024
			if (!name.startsWith('/')) parts.anon += bytes
			else {
				parts.file += bytes
				if (/\/node$/.test(name)) parts.nodeBinary += bytes
				else parts.libs += bytes
			}
		}
		const anon = /^Anonymous:\s+(\d+) kB/.exec(line)
		// Private anonymous pages of a file mapping (relocated data) count as anonymous memory.
		if (anon && name.startsWith('/')) {
			const bytes = Number(anon[1]) * 1024
			parts.anon += bytes
			parts.file -= bytes
		}
	}
	return parts
}

function threadCount(pid: number): number {
	return Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0)
}

async function evaluate<T>(inspector: InspectorSession, expression: string): Promise<T> {
	const result = (await inspector.call('Runtime.evaluate', {
		expression: `JSON.stringify(${expression})`,
		returnByValue: true,
	})) as { result: { value: string } }
	return JSON.parse(result.result.value) as T
}

async function measure(spec: string, snapshot: boolean): Promise<void> {
	const { kind, env, launcher } = parseServerSpec(spec, values['base-dist'])
	// `ours:NODE_FLAGS=--flag --other` starts that variant with node flags of its own.
	const nodeFlags = env.NODE_FLAGS?.split(' ').filter(Boolean)
	delete env.NODE_FLAGS
	const afterRooms = kind === 'ours' ? Number(values['after-rooms']) : 0
	const server = await startServer(kind, {
		inspect: true,
		env: afterRooms ? { ROOM_IDLE_MS: '500', ...env } : env,
		launcher,
		nodeFlags,
	})
	const inspector = await InspectorSession.open(server.inspectorUrl!)
	try {
		await sleep(Number(values.settle))
		if (afterRooms > 0) {
			const roomIds: string[] = []
			for (let i = 0; i < afterRooms; i++) roomIds.push(await server.createRoom())
			const clients = await connectClients(server, roomIds, 1)
			await inspector.collectGarbage()
			await sleep(300)
			console.log(`${spec.padEnd(9)} RSS with ${afterRooms} rooms loaded ${mib(readRss(server.pid))}`)
			destroyAll(clients)
			await sleep(500 + 2000)
		}
		await inspector.collectGarbage()
		await sleep(200)
		await inspector.collectGarbage()
		await sleep(300)
		const usage = await inspector.memoryUsage()
		const rss = readRss(server.pid)
		const spaces = await evaluate<{ space_name: string; space_used_size: number; physical_space_size: number }[]>(
			inspector,
			"process.getBuiltinModule ? process.getBuiltinModule('v8').getHeapSpaceStatistics() : []"
		)
		const parts = residentParts(server.pid)
		console.log(
			`${spec.padEnd(9)} RSS ${mib(rss)} · heap used ${mib(usage.heapUsed)} of ${mib(usage.heapTotal)} · external ${mib(usage.external)} (arrayBuffers ${mib(usage.arrayBuffers)}) · anon ${mib(parts.anon)} · file ${mib(parts.file)} (node ${mib(parts.nodeBinary)}, libs ${mib(parts.libs)}) · threads ${threadCount(server.pid)}`
		)
		console.log(
			`          spaces: ${spaces
				.filter((s) => s.physical_space_size > 0)
				.map((s) => `${s.space_name.replace(/_space$/, '')} ${mib(s.space_used_size)}/${mib(s.physical_space_size)}`)
				.join(', ')}`
		)
		if (snapshot && kind === 'ours') {
			const snap = await takeHeapSnapshot(inspector)
			if (values['snapshot-file']) writeFileSync(values['snapshot-file'], JSON.stringify(snap))
			printSnapshot(snap)
		}
	} finally {
		inspector.close()
		await server.stop()
	}
}

/** Self size by constructor name and by node type, the biggest first. */
function printSnapshot(snap: Awaited<ReturnType<typeof takeHeapSnapshot>>): void {
	const { node_fields, node_types } = snap.snapshot.meta
	const nf = node_fields.length
	const typeAt = node_fields.indexOf('type')
	const nameAt = node_fields.indexOf('name')
	const sizeAt = node_fields.indexOf('self_size')
	const types = node_types[0]
	const byName = new Map<string, { size: number; count: number }>()
	const byType = new Map<string, number>()
	for (let i = 0; i < snap.nodes.length; i += nf) {
		const type = types[snap.nodes[i + typeAt]]
		const size = snap.nodes[i + sizeAt]
		byType.set(type, (byType.get(type) ?? 0) + size)
		const name = type === 'object' || type === 'closure' ? `${type}:${snap.strings[snap.nodes[i + nameAt]]}` : type
		const entry = byName.get(name) ?? { size: 0, count: 0 }
		entry.size += size
		entry.count++
		byName.set(name, entry)
	}
	console.log(
		`          by type: ${[...byType.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, 10)
			.map(([t, s]) => `${t} ${mib(s)}`)
			.join(', ')}`
	)
	for (const [name, { size, count }] of [...byName.entries()].sort((a, b) => b[1].size - a[1].size).slice(0, 25)) {
		console.log(`          ${mib(size).padStart(10)} ${String(count).padStart(7)}  ${name.slice(0, 100)}`)
	}
}

async function main(): Promise<void> {
	await ensureServerBuild()
	const kinds = values.servers.split(',')
	for (let round = 0; round < Number(values.rounds); round++) {
		const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
		console.log(`round ${round + 1} (load ${load})`)
		for (const kind of kinds) await measure(kind, values.snapshot && round === 0)
	}
}

runTool(main)
