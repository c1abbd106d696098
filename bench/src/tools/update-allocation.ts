/**
 * What one fanned-out update allocates in the server's V8 heap, and where: starts our server (the bundle, as
 * `pnpm bench` runs it) or the reference with the inspector, connects S1's rooms and clients, and drives a fixed
 * number of note changes at a fixed rate under V8's sampling heap profiler with the objects that scavenges and
 * full GCs collected counted too — so it is the allocation the collector has to deal with, not what survives.
 * Prints the bytes per update and the allocation sites (function, file:line) that account for most of them.
 * Bytes allocated do not depend on how busy the machine is, so a change to the update path shows here on a
 * shared machine.
 *
 *   node --import tsx bench/src/tools/update-allocation.ts [--point 50x5@500] [--full 1] [--updates 3000]
 *     [--servers ours,reference] [--top 25] [--promoted]
 *
 * `--promoted`: only what survived the scavenges (promoted to the old generation, then collected by a full GC or
 * still live) — the allocation that makes full GCs and each scavenge's copying cost more.
 */
import { parseArgs } from 'node:util'
import { ensureServerBuild } from '../../../scripts/build-server.mjs'
import { sleep } from '../client'
import { driveLoad } from '../fanout'
import { REPO_DIR } from '../paths'
import { InspectorSession } from '../probe'
import { setUpFanout } from '../scenarios/fanout'
import { startServer } from '../servers'
import { allocationSites, type SamplingNode } from './allocation-sites'
import { runTool } from './run-tool'
import { parseServerSpec } from './server-spec'

const { values } = parseArgs({
	options: {
		point: { type: 'string', default: '50x5@500' },
		full: { type: 'string', default: '1' },
		updates: { type: 'string', default: '3000' },
		servers: { type: 'string', default: 'ours,reference' },
		top: { type: 'string', default: '25' },
		'base-dist': { type: 'string' },
		promoted: { type: 'boolean', default: false },
	},
})

async function measure(spec: string): Promise<void> {
	const [shape, rateText] = values.point.split('@')
	const [rooms, clients] = shape.split('x').map(Number)
	const rate = Number(rateText)
	const updates = Number(values.updates)
	const { kind, env, launcher } = parseServerSpec(spec, values['base-dist'])
	const server = await startServer(kind, { env, launcher, inspect: true })
	try {
		const setup = await setUpFanout(server, rooms, clients, Math.min(clients, Number(values.full)))
		const inspector = await InspectorSession.open(server.inspectorUrl ?? '')
		try {
			await driveLoad(setup.tracker, rate, 1000)
			await setup.tracker.drain(10_000)
			await sleep(300)
			await inspector.call('HeapProfiler.enable')
			await inspector.call('HeapProfiler.startSampling', {
				samplingInterval: 256,
				includeObjectsCollectedByMajorGC: true,
				// --promoted: leave out what scavenges collected — what is left survived them into the old generation
				// (and was collected by a full GC, or is still live).
				includeObjectsCollectedByMinorGC: !values.promoted,
			})
			setup.tracker.openWindow()
			await driveLoad(setup.tracker, rate, (updates * 1000) / rate)
			setup.tracker.closeWindow()
			if (!(await setup.tracker.drain(30_000))) throw new Error(`${kind}: not every update was delivered`)
			const { profile } = (await inspector.call('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } }
			const { sends } = setup.tracker.result()
			const sites = allocationSites(profile.head, REPO_DIR)
			const total = sites.reduce((sum, s) => sum + s.bytes, 0)
			console.log(
				`${spec}: ${(total / sends / 1024).toFixed(1)} KiB allocated per update (${sends} updates, ${values.point}, ${values.full} full per room)`
			)
			for (const { site, bytes } of sites.slice(0, Number(values.top))) {
				console.log(
					`  ${(bytes / sends).toFixed(0).padStart(7)} B  ${((bytes / total) * 100).toFixed(1).padStart(5)} %  ${site}`
				)
			}
		} finally {
			inspector.close()
			setup.dispose()
		}
	} finally {
		await server.stop()
	}
}

runTool(async () => {
	await ensureServerBuild()
	for (const spec of values.servers.split(',')) await measure(spec)
})
