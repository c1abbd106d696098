/**
 * S2 saturation: a fixed set of rooms and clients, the total update rate stepped up; the highest rate at
 * which p99 stays under the limit and every update reaches every receiver.
 */
import { driveLoad } from '../fanout'
import type { RunningServer } from '../servers'
import { sleep } from '../client'
import { measureWindow, type WindowFigures } from '../window'
import { setUpFanout } from './fanout'

/** Shape of a saturation sweep. */
export interface SaturationParams {
	rooms: number
	clientsPerRoom: number
	fullPerRoom: number
	/** Total update rates to try, ascending; the sweep stops at the first rate that fails twice in a row. */
	rates: number[]
	p99LimitMs: number
	warmupMs: number
	stepMs: number
	drainMs: number
}

/** One step of the sweep. */
export interface SaturationStep {
	rate: number
	figures: WindowFigures
	passed: boolean
}

/** A whole sweep. */
export interface SaturationRun {
	steps: SaturationStep[]
	/** Highest passing rate (0 when even the first failed). */
	maxRate: number
	/** Whether every rate passed (the true limit is above the last one tried). */
	allPassed: boolean
}

/** Whether a window meets the saturation criterion. */
export function stepPassed(figures: WindowFigures, p99LimitMs: number): boolean {
	const { p99 } = figures.samples.summary()
	return figures.delivered === figures.expected && figures.expected > 0 && p99 < p99LimitMs
}

/** Runs the sweep against a started server, or the servers of a cluster (clients spread over them). */
export async function runSaturation(
	server: RunningServer | readonly RunningServer[],
	params: SaturationParams
): Promise<SaturationRun> {
	const setup = await setUpFanout(server, params.rooms, params.clientsPerRoom, params.fullPerRoom)
	const steps: SaturationStep[] = []
	let maxRate = 0
	try {
		for (const rate of params.rates) {
			// A failing step is tried once more: one stall (a slow fsync, a burst of other work on the machine)
			// should not decide the sweep; a rate fails when both attempts fail.
			let figures: WindowFigures | null = null
			let passed = false
			for (let attempt = 0; attempt < 2 && !passed; attempt++) {
				if (attempt > 0) await sleep(500)
				await driveLoad(setup.tracker, rate, params.warmupMs)
				figures = await measureWindow(server, setup.tracker, rate, params.stepMs, params.drainMs)
				passed = stepPassed(figures, params.p99LimitMs)
			}
			steps.push({ rate, figures: figures!, passed })
			if (!passed) break
			maxRate = rate
			// Let any backlog of the passed step clear before the next one.
			await sleep(200)
		}
	} finally {
		setup.dispose()
	}
	return { steps, maxRate, allPassed: steps.length === params.rates.length && steps.every((s) => s.passed) }
}
