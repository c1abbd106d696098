import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureServerBuild } from '../scripts/build-server.mjs'
import { runFanout, setUpFanout } from '../bench/src/scenarios/fanout'
import { runMemory } from '../bench/src/scenarios/memory'
import { removeTempDirs, startServer, type RunningServer } from '../bench/src/servers'
import { STORAGE_SETUPS, startSetup } from '../bench/src/storage'
import { clusterServicesUnavailable } from './cluster/cluster-services'

const clusterMissing = await clusterServicesUnavailable()
if (clusterMissing && process.env.CI !== 'true') console.warn(`[kompasbord] bench S6 smoke skipped: ${clusterMissing}`)

/**
 * Smoke test of the benchmark harness (`pnpm bench`): one tiny fan-out scenario against our server, through
 * the same server adapter and load generator as the real benchmark. It asserts that the harness produced
 * figures and that every update reached every receiver — never how fast.
 */
describe('benchmark harness', () => {
	let server: RunningServer
	beforeAll(async () => {
		// The harness runs our server as shipped (the bundle), as `pnpm bench` does after building it.
		await ensureServerBuild()
		server = await startServer('ours', { cpu: null })
	})
	afterAll(async () => {
		await server?.stop()
		await removeTempDirs()
	})

	it('runs a tiny fan-out scenario against our server and delivers every update', async () => {
		const figures = await runFanout(server, {
			rooms: 2,
			clientsPerRoom: 3,
			// Two full clients and one sink per room, so both receiving paths run.
			fullPerRoom: 2,
			ratePerSecond: 20,
			warmupMs: 200,
			durationMs: 1000,
			drainMs: 10_000,
		})
		expect(figures.sends).toBeGreaterThan(0)
		// Every change goes to the two other clients of its room.
		expect(figures.expected).toBe(figures.sends * 2)
		expect(figures.delivered).toBe(figures.expected)
		const latency = figures.samples.summary()
		expect(latency.count).toBe(figures.delivered)
		expect(Number.isFinite(latency.p99)).toBe(true)
		expect(figures.firstSamples.count).toBe(figures.sends)
	})

	it('runs a tiny S3 against our server: warm-up rooms first, every note room loaded whole, a figure for each', async () => {
		const run = await runMemory('ours', {
			emptyRooms: 2,
			idlePerRoom: 2,
			warmupRooms: 1,
			noteRooms: 2,
			notesPerRoom: 20,
			settleMs: 50,
		})
		for (const value of [run.baselineRss, run.warmupRss, run.perIdleConnection, run.perEmptyRoom, run.perNoteRoom]) {
			expect(Number.isFinite(value)).toBe(true)
		}
		expect(run.baselineRss).toBeGreaterThan(20 * 2 ** 20)
	})

	it.skipIf(clusterMissing !== null && process.env.CI !== 'true')(
		"S6's two servers on PostgreSQL + Redis: clients spread over both, every update reaches every receiver",
		async () => {
			const cluster = STORAGE_SETUPS.find((setup) => setup.id === 'cluster')!
			const started = await startSetup(cluster, { cpu: null })
			try {
				expect(started.servers).toHaveLength(2)
				const spread = await setUpFanout(started.servers, 2, 3, 2)
				try {
					for (const roomId of new Set(spread.clients.map((client) => client.roomId))) {
						const urls = spread.clients.filter((c) => c.roomId === roomId).map((c) => c.provider.serverUrl)
						expect(new Set(urls)).toEqual(new Set(started.servers.map((server) => server.wsUrl)))
					}
				} finally {
					spread.dispose()
				}
				const figures = await runFanout(started.servers, {
					rooms: 2,
					clientsPerRoom: 3,
					fullPerRoom: 2,
					ratePerSecond: 20,
					warmupMs: 200,
					durationMs: 1000,
					drainMs: 10_000,
				})
				expect(figures.sends).toBeGreaterThan(0)
				expect(figures.expected).toBe(figures.sends * 2)
				expect(figures.delivered).toBe(figures.expected)
			} finally {
				await started.stop()
			}
		}
	)
})
