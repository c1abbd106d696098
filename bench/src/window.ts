/** One measurement window under fan-out load, with the conditions it ran under. */
import { performance } from 'node:perf_hooks'
import { benchCores } from './cores'
import { driveLoad, type FanoutTracker } from './fanout'
import { cpuMeter, noiseMeter, probeFsync, type FsyncProbe } from './probe'
import type { RunningServer } from './servers'
import type { Samples } from './stats'

/** What a window measured. */
export interface WindowFigures {
	/** Sender → every receiver, ms. */
	samples: Samples
	/** Sender → first receiver, ms. */
	firstSamples: Samples
	expected: number
	delivered: number
	sends: number
	/** Event-loop utilization of the load generator (near 1: the generator, not the server, is the limit). */
	generatorElu: number
	/** CPU used by the load generator, share of one core. */
	generatorCpu: number
	/** CPU used by the server, share of one core. */
	serverCpu: number
	/** CPU other processes took on the server's and the generator's core (machine noise). */
	noise: { serverCore: number; generatorCore: number }
	/** The disk's fdatasync latency, probed just before the window (in the server's data directory). */
	fsync: FsyncProbe
}

/**
 * Drives the tracker's senders at `ratePerSecond` for `durationMs`, then waits up to `drainMs` for delivery.
 * With several servers (a cluster), `serverCpu` is their sum (share of one core).
 */
export async function measureWindow(
	servers: RunningServer | readonly RunningServer[],
	tracker: FanoutTracker,
	ratePerSecond: number,
	durationMs: number,
	drainMs: number
): Promise<WindowFigures> {
	const all = 'pid' in servers ? [servers as RunningServer] : (servers as readonly RunningServer[])
	const fsync = probeFsync(all[0].dataDir)
	tracker.openWindow()
	const elu0 = performance.eventLoopUtilization()
	const cpus = all.map((server) => cpuMeter(server.pid))
	const own = cpuMeter(process.pid)
	const cores = benchCores()
	const noise = noiseMeter(
		all.map((server) => server.pid),
		cores.server,
		cores.generator
	)
	await driveLoad(tracker, ratePerSecond, durationMs)
	tracker.closeWindow()
	const serverCpu = cpus.reduce((sum, cpu) => sum + cpu.stop(), 0)
	const generatorCpu = own.stop()
	const noiseFigures = noise.stop()
	const generatorElu = performance.eventLoopUtilization(elu0).utilization
	await tracker.drain(drainMs)
	const result = tracker.result()
	return {
		samples: result.latency,
		firstSamples: result.firstLatency,
		expected: result.expected,
		delivered: result.delivered,
		sends: result.sends,
		generatorElu,
		generatorCpu,
		serverCpu,
		noise: noiseFigures,
		fsync,
	}
}
