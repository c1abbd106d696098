/**
 * What one idle websocket connection costs a server, two ways:
 *
 * - `rss`: RSS and V8 heap after a full GC, before and after opening `perRoom` idle clients on each of `rooms`
 *   loaded rooms (as S3 does, with as many connections as asked: at S3's 500 the RSS step is within the noise of
 *   a busy machine);
 * - `heap`: heap snapshots before and after, and the growth per connection by constructor — with how many of the
 *   upgrade's HTTP objects (IncomingMessage, ServerResponse, Fastify's Request and Reply) survived.
 *
 * `node --import tsx bench/src/tools/connection-heap.ts <rss|heap> [ours|reference] [rooms=20] [perRoom=20]`
 * (build our server first: `node scripts/build-server.mjs`). Used for the per-connection memory of S3; see
 * docs/benchmarks.md.
 */
import { readFileSync } from 'node:fs'
import { connectClients, destroyAll, sleep } from '../client'
import { InspectorSession, readRss } from '../probe'
import { removeTempDirs, setOursEnv, startServer, type ServerKind } from '../servers'
import { printGrowth, sizeByConstructor, takeHeapSnapshot } from './heap-retainers'
import { runTool } from './run-tool'

/** Constructors that must not grow with connections: the upgrade request's objects. */
const UPGRADE_OBJECTS = ['object:IncomingMessage', 'object:ServerResponse', 'object:Request', 'object:Reply']

/** Two full GCs, with time for V8's concurrent sweeping and page release after each (a busy machine needs it). */
async function settle(inspector: InspectorSession): Promise<void> {
	await sleep(500)
	await inspector.collectGarbage()
	await sleep(1000)
	await inspector.collectGarbage()
	await sleep(1000)
}

/** Self sizes of everything in a snapshot (what is reachable: a snapshot collects garbage first). */
function totalBytes(sizes: Map<string, { count: number; bytes: number }>): number {
	let total = 0
	for (const entry of sizes.values()) total += entry.bytes
	return total
}

async function main(): Promise<void> {
	const mode = process.argv[2] === 'heap' ? 'heap' : 'rss'
	const kind: ServerKind = process.argv[3] === 'reference' ? 'reference' : 'ours'
	const rooms = Number(process.argv[4] ?? 20)
	const perRoom = Number(process.argv[5] ?? 20)
	const count = rooms * perRoom
	// The per-address cap (1000 by default) would refuse the rest: every client comes from 127.0.0.1.
	setOursEnv({ WS_MAX_SOCKETS_PER_ADDRESS: String(count + rooms + 10) })
	const server = await startServer(kind, { inspect: true })
	const inspector = await InspectorSession.open(server.inspectorUrl!)
	try {
		const roomIds: string[] = []
		for (let i = 0; i < rooms; i++) roomIds.push(await server.createRoom())
		const first = await connectClients(server, roomIds, 1)
		// Rooms settle (compaction after load, the first commits) before the baseline.
		await sleep(3000)
		await settle(inspector)
		const rssBefore = readRss(server.pid)
		const usageBefore = await inspector.memoryUsage()
		const heapBefore = usageBefore.heapUsed
		const before = mode === 'heap' ? sizeByConstructor(await takeHeapSnapshot(inspector)) : null
		const idle = await connectClients(server, roomIds, perRoom)
		// What the joins sent everyone (awareness, sync answers) is delivered and freed.
		await sleep(5000)
		await settle(inspector)
		const rssAfter = readRss(server.pid)
		const usageAfter = await inspector.memoryUsage()
		const heapAfter = usageAfter.heapUsed
		const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
		console.log(
			`${kind}: ${count} idle connections on ${rooms} rooms — per connection RSS ${((rssAfter - rssBefore) / count / 1024).toFixed(2)} KiB, heap ${((heapAfter - heapBefore) / count).toFixed(0)} B used, ${((usageAfter.heapTotal - usageBefore.heapTotal) / count).toFixed(0)} B committed (load ${load})`
		)
		if (before) {
			const after = sizeByConstructor(await takeHeapSnapshot(inspector))
			console.log(
				`reachable heap per connection (snapshots): ${((totalBytes(after) - totalBytes(before)) / count).toFixed(0)} B`
			)
			await printGrowth(inspector, before, after, count, 40, 2)
			for (const key of UPGRADE_OBJECTS) {
				const grew = (after.get(key)?.count ?? 0) - (before.get(key)?.count ?? 0)
				console.log(`upgrade object ${key}: ${grew >= 0 ? '+' : ''}${grew} over ${count} connections`)
			}
		}
		destroyAll(idle)
		destroyAll(first)
	} finally {
		inspector.close()
		await server.stop()
		await removeTempDirs()
	}
}

runTool(main)
