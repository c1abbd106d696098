/**
 * What one loaded empty room costs a server, as S3 measures it (a room is loaded while a client is connected):
 * rooms are created by one server process; a second one, started cold on the same data directory, takes a heap
 * snapshot, connects one client to each room, takes another, and prints the growth per room by constructor
 * (with the RSS and V8 heap deltas after a full GC).
 *
 * `node --import tsx bench/src/tools/room-heap.ts [ours|reference] [rooms=50]` (build our server first:
 * `node scripts/build-server.mjs`). `NOTES=n` fills each room with n notes first (as S3's note rooms: one writer
 * each, through the first server) and waits until every client holds them. `EXPLAIN=key,key` prints retainer paths of those constructors (`EXPLAIN_N`
 * of each); `KEEP=path` writes the two snapshots to `path-before.heapsnapshot` and `path-after.heapsnapshot`.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { connectClients, destroyAll, sleep, withTimeout } from '../client'
import { fillRoom, waitDataSettled, whenHolds, type NoteSet } from '../prepare'
import { InspectorSession, readRss } from '../probe'
import { removeTempDirs, startServer, type ServerKind } from '../servers'
import { printGrowth, sizeByConstructor, takeHeapSnapshot } from './heap-retainers'
import { runTool } from './run-tool'

async function settle(inspector: InspectorSession): Promise<void> {
	await sleep(500)
	await inspector.collectGarbage()
	await sleep(1000)
	await inspector.collectGarbage()
	await sleep(1000)
}

async function main(): Promise<void> {
	const kind: ServerKind = process.argv[2] === 'reference' ? 'reference' : 'ours'
	const count = Number(process.argv[3] ?? 50)
	const creator = await startServer(kind)
	const notes = Number(process.env.NOTES ?? 0)
	const roomIds: string[] = []
	const sets: NoteSet[] = []
	try {
		for (let i = 0; i < count; i++) roomIds.push(await creator.createRoom())
		if (notes > 0) {
			for (const [i, roomId] of roomIds.entries()) {
				sets.push(await fillRoom(creator, roomId, `h${i}`, notes, { batch: 100, moves: 0 }))
			}
			await waitDataSettled(creator.dataDir)
		}
	} finally {
		await creator.stop()
	}
	const server = await startServer(kind, { dataDir: creator.dataDir, inspect: true })
	const inspector = await InspectorSession.open(server.inspectorUrl!)
	try {
		await settle(inspector)
		const rssBefore = readRss(server.pid)
		const heapBefore = (await inspector.memoryUsage()).heapUsed
		const beforeSnap = await takeHeapSnapshot(inspector)
		if (process.env.KEEP) writeFileSync(`${process.env.KEEP}-before.heapsnapshot`, JSON.stringify(beforeSnap))
		const before = sizeByConstructor(beforeSnap)
		const clients = await connectClients(server, roomIds, 1)
		if (notes > 0) {
			await withTimeout(
				Promise.all(clients.map((client, i) => whenHolds(client, sets[i], 60_000))),
				120_000,
				'note rooms to load'
			)
		}
		await sleep(3000)
		await settle(inspector)
		const rssAfter = readRss(server.pid)
		const heapAfter = (await inspector.memoryUsage()).heapUsed
		const afterSnap = await takeHeapSnapshot(inspector)
		if (process.env.KEEP) writeFileSync(`${process.env.KEEP}-after.heapsnapshot`, JSON.stringify(afterSnap))
		const after = sizeByConstructor(afterSnap)
		const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
		let reachable = 0
		for (const [key, a] of after) reachable += a.bytes - (before.get(key)?.bytes ?? 0)
		console.log(
			`${kind}: ${count} rooms${notes ? ` of ${notes} notes` : ''}, one client each — per room RSS ${((rssAfter - rssBefore) / count / 1024).toFixed(1)} KiB, heap used ${((heapAfter - heapBefore) / count).toFixed(0)} B, reachable ${(reachable / count).toFixed(0)} B (load ${load})`
		)
		await printGrowth(inspector, before, after, count, 50, Number(process.env.EXPLAIN_N ?? 2))
		destroyAll(clients)
	} finally {
		inspector.close()
		await server.stop()
		await removeTempDirs()
	}
}

runTool(main)
