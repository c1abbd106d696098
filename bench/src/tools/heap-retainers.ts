/**
 * Finds what keeps the largest ArrayBuffer backing stores alive in a running node process: takes a heap
 * snapshot over the V8 inspector and prints, for each of the largest buffers, one retainer path to a GC root.
 * Used to explain the memory scenario (S3); see docs/benchmarks.md.
 *
 * As a library: `largestBufferRetainers(inspector, count)`.
 */
import type { InspectorSession } from '../probe'

interface Snapshot {
	snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } }
	nodes: number[]
	edges: number[]
	strings: string[]
}

/** One large buffer and a chain of retainers, from the buffer up. */
export interface BufferRetainers {
	bytes: number
	path: string[]
}

/** Takes a heap snapshot through an inspector session and parses it. */
export async function takeHeapSnapshot(inspector: InspectorSession): Promise<Snapshot> {
	const chunks: string[] = []
	const off = inspector.onEvent('HeapProfiler.addHeapSnapshotChunk', (params) => {
		chunks.push((params as { chunk: string }).chunk)
	})
	try {
		await inspector.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
	} finally {
		off()
	}
	return JSON.parse(chunks.join('')) as Snapshot
}

/** The `count` largest ArrayBuffer backing stores and how each is retained. */
export function largestBufferRetainers(snap: Snapshot, count: number, depth = 12): BufferRetainers[] {
	const { node_fields, edge_fields, node_types, edge_types } = snap.snapshot.meta
	const nf = node_fields.length
	const ef = edge_fields.length
	const nType = node_fields.indexOf('type')
	const nName = node_fields.indexOf('name')
	const nSize = node_fields.indexOf('self_size')
	const nEdges = node_fields.indexOf('edge_count')
	const eType = edge_fields.indexOf('type')
	const eName = edge_fields.indexOf('name_or_index')
	const eTo = edge_fields.indexOf('to_node')
	const nodeCount = snap.nodes.length / nf
	const retainers: Array<Array<{ from: number; edge: number }>> = Array.from({ length: nodeCount }, () => [])
	let edgeIndex = 0
	for (let n = 0; n < nodeCount; n++) {
		const edges = snap.nodes[n * nf + nEdges]
		for (let e = 0; e < edges; e++, edgeIndex++) {
			const to = snap.edges[edgeIndex * ef + eTo] / nf
			const type = edge_types[0][snap.edges[edgeIndex * ef + eType]]
			if (type !== 'weak') retainers[to].push({ from: n, edge: edgeIndex })
		}
	}
	const label = (n: number): string => {
		const type = node_types[0][snap.nodes[n * nf + nType]]
		const name = snap.strings[snap.nodes[n * nf + nName]]
		return `${type}:${name.length > 60 ? `${name.slice(0, 60)}…` : name}`
	}
	const edgeLabel = (e: number): string => {
		const type = edge_types[0][snap.edges[e * ef + eType]]
		const raw = snap.edges[e * ef + eName]
		return type === 'element' || type === 'hidden' ? `[${raw}]` : `.${snap.strings[raw]}`
	}
	const buffers: number[] = []
	for (let n = 0; n < nodeCount; n++) {
		const name = snap.strings[snap.nodes[n * nf + nName]]
		if (name === 'system / JSArrayBufferData' || name === 'ArrayBuffer') buffers.push(n)
	}
	buffers.sort((a, b) => snap.nodes[b * nf + nSize] - snap.nodes[a * nf + nSize])
	return buffers.slice(0, count).map((start) => {
		const path = [`${label(start)} (${snap.nodes[start * nf + nSize]} bytes)`]
		const seen = new Set([start])
		let at = start
		for (let d = 0; d < depth; d++) {
			const next = retainers[at].find((r) => !seen.has(r.from))
			if (!next) break
			seen.add(next.from)
			path.push(`${edgeLabel(next.edge)} ← ${label(next.from)}`)
			at = next.from
		}
		return { bytes: snap.nodes[start * nf + nSize], path }
	})
}

/** Self size and count per `type:name` (constructor name for objects) over a whole snapshot. */
export function sizeByConstructor(snap: Snapshot): Map<string, { count: number; bytes: number }> {
	const { node_fields, node_types } = snap.snapshot.meta
	const nf = node_fields.length
	const nType = node_fields.indexOf('type')
	const nName = node_fields.indexOf('name')
	const nSize = node_fields.indexOf('self_size')
	const out = new Map<string, { count: number; bytes: number }>()
	for (let i = 0; i < snap.nodes.length; i += nf) {
		const type = node_types[0][snap.nodes[i + nType]]
		const name =
			type === 'string' || type === 'concatenated string' || type === 'sliced string'
				? ''
				: snap.strings[snap.nodes[i + nName]]
		const key = `${type}:${name.length > 50 ? `${name.slice(0, 50)}…` : name}`
		const entry = out.get(key) ?? { count: 0, bytes: 0 }
		entry.count++
		entry.bytes += snap.nodes[i + nSize]
		out.set(key, entry)
	}
	return out
}

/** The entries that grew most between two {@link sizeByConstructor} results, per `per` (e.g. connections). */
export function growth(
	before: Map<string, { count: number; bytes: number }>,
	after: Map<string, { count: number; bytes: number }>,
	per: number,
	top = 25
): Array<{ key: string; countPer: number; bytesPer: number }> {
	const rows: Array<{ key: string; countPer: number; bytesPer: number }> = []
	for (const [key, a] of after) {
		const b = before.get(key) ?? { count: 0, bytes: 0 }
		rows.push({ key, countPer: (a.count - b.count) / per, bytesPer: (a.bytes - b.bytes) / per })
	}
	return rows.sort((x, y) => y.bytesPer - x.bytesPer).slice(0, top)
}

/**
 * Prints the `top` entries that grew most per `per` (see {@link growth}) with their total, then, for the keys named
 * in `EXPLAIN` (comma-separated), the retainer chains of `explainN` of each from a fresh snapshot.
 */
export async function printGrowth(
	inspector: InspectorSession,
	before: Map<string, { count: number; bytes: number }>,
	after: Map<string, { count: number; bytes: number }>,
	per: number,
	top: number,
	explainN: number
): Promise<void> {
	let total = 0
	for (const row of growth(before, after, per, top)) {
		total += row.bytesPer
		console.log(`  ${row.bytesPer.toFixed(0).padStart(6)} B  ${row.countPer.toFixed(2).padStart(7)} ×  ${row.key}`)
	}
	console.log(`  (top ${top}: ${total.toFixed(0)} B)`)
	const explain = (process.env.EXPLAIN ?? '').split(',').filter(Boolean)
	if (!explain.length) return
	const snap = await takeHeapSnapshot(inspector)
	for (const [key, paths] of retainerPaths(snap, explain, explainN)) {
		for (const path of paths) console.log(`${key}:\n    ${path.join('\n    ')}`)
	}
}

/**
 * For each `type:name` key (as {@link sizeByConstructor} names them), one retainer chain of each of the last
 * `perKey` nodes with that key in the snapshot: what keeps such objects alive.
 */
export function retainerPaths(snap: Snapshot, keys: string[], perKey = 2, depth = 10): Map<string, string[][]> {
	const { node_fields, edge_fields, node_types, edge_types } = snap.snapshot.meta
	const nf = node_fields.length
	const ef = edge_fields.length
	const nType = node_fields.indexOf('type')
	const nName = node_fields.indexOf('name')
	const nEdges = node_fields.indexOf('edge_count')
	const eType = edge_fields.indexOf('type')
	const eName = edge_fields.indexOf('name_or_index')
	const eTo = edge_fields.indexOf('to_node')
	const nodeCount = snap.nodes.length / nf
	const retainers: Array<Array<{ from: number; edge: number }>> = Array.from({ length: nodeCount }, () => [])
	let edgeIndex = 0
	for (let n = 0; n < nodeCount; n++) {
		const edges = snap.nodes[n * nf + nEdges]
		for (let e = 0; e < edges; e++, edgeIndex++) {
			const to = snap.edges[edgeIndex * ef + eTo] / nf
			const type = edge_types[0][snap.edges[edgeIndex * ef + eType]]
			if (type !== 'weak') retainers[to].push({ from: n, edge: edgeIndex })
		}
	}
	const key = (n: number): string =>
		`${node_types[0][snap.nodes[n * nf + nType]]}:${snap.strings[snap.nodes[n * nf + nName]]}`
	const label = (n: number): string => {
		const text = key(n)
		return text.length > 70 ? `${text.slice(0, 70)}…` : text
	}
	const edgeLabel = (e: number): string => {
		const type = edge_types[0][snap.edges[e * ef + eType]]
		const raw = snap.edges[e * ef + eName]
		return type === 'element' || type === 'hidden' ? `[${raw}]` : `.${snap.strings[raw]}`
	}
	const out = new Map<string, string[][]>()
	for (const wanted of keys) {
		const found: number[] = []
		for (let n = nodeCount - 1; n >= 0 && found.length < perKey; n--) if (key(n) === wanted) found.push(n)
		out.set(
			wanted,
			found.map((start) => {
				const path = [label(start)]
				const seen = new Set([start])
				let at = start
				for (let d = 0; d < depth; d++) {
					const next = retainers[at].find((r) => !seen.has(r.from))
					if (!next) break
					seen.add(next.from)
					path.push(`${edgeLabel(next.edge)} ← ${label(next.from)}`)
					at = next.from
				}
				return path
			})
		)
	}
	return out
}
