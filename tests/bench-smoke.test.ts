import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureServerBuild } from '../scripts/build-server.mjs'
import { runFanout } from '../bench/src/scenarios/fanout'
import { removeTempDirs, startServer, type RunningServer } from '../bench/src/servers'

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
})
