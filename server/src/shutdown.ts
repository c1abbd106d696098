import { Worker } from 'node:worker_threads'
import type { FastifyInstance } from 'fastify'

/**
 * How long a shutdown may take (ms): SIGTERM or SIGINT end the process within this, whatever state the rooms
 * and sockets are in. Sockets that do not answer the 1012 close are cut after 1 s; what is flushed by the
 * deadline is durable, the rest was never acknowledged to anyone (an update is broadcast only once committed).
 */
export const SHUTDOWN_DEADLINE_MS = 5000

/**
 * After the deadline, how long the process may still take to exit before it is killed (SIGKILL): for a main
 * thread that cannot run its deadline timer (stuck in synchronous work) or an exit that waits on a thread.
 */
export const SHUTDOWN_KILL_AFTER_MS = 3000

/**
 * Closes the app on SIGTERM and SIGINT and exits: code 0 once everything is flushed, 1 when closing failed or
 * took longer than {@link SHUTDOWN_DEADLINE_MS}. Further signals during the shutdown are ignored (a Ctrl-C in a
 * terminal reaches the server twice: from the terminal and through `npm start`).
 */
export function exitOnSignals(app: FastifyInstance, deadlineMs = SHUTDOWN_DEADLINE_MS): void {
	let stopping = false
	const stop = (signal: NodeJS.Signals) => {
		if (stopping) return
		stopping = true
		app.log.info({ signal }, 'shutting down')
		// Unref'd: the deadline never keeps the process alive itself, it only ends one that lingers.
		setTimeout(() => {
			app.log.error({ deadlineMs }, 'shutdown took too long; exiting')
			process.exit(1)
		}, deadlineMs).unref()
		killIfStillAlive(deadlineMs + SHUTDOWN_KILL_AFTER_MS)
		app.close().then(
			() => process.exit(0),
			(error) => {
				app.log.error({ err: error }, 'error during shutdown')
				process.exit(1)
			}
		)
	}
	process.on('SIGTERM', stop)
	process.on('SIGINT', stop)
}

/**
 * The last resort: a thread of its own kills the process after `ms`, even when the main thread is blocked
 * and cannot run a timer. Unref'd, so it never keeps the process alive; it ends with the process.
 */
function killIfStillAlive(ms: number): void {
	const watchdog = new Worker(
		`const { workerData } = require('node:worker_threads')
		setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms)`,
		{ eval: true, workerData: { pid: process.pid, ms }, execArgv: [] }
	)
	watchdog.unref()
	watchdog.on('error', () => {})
}
