/**
 * Where the server's log lines go: stderr, without ever blocking the process on it.
 *
 * pino's own destination (SonicBoom) buffers without bound while stderr does not take the lines, and on exit
 * flushes synchronously, retrying until the write succeeds: with stderr a pipe that nobody reads (a supervisor
 * that reads the output only after the process ended, a full log pipe), the process never got past
 * `process.exit()` — the "SIGTERM leaves the server alive" of issue 11. This destination writes through
 * `process.stderr` (asynchronous for pipes on Linux, synchronous for files and terminals), registers nothing on
 * exit, and drops lines while more than {@link MAX_PENDING_LOG_BYTES} wait to be written, saying how many once
 * stderr takes lines again.
 *
 * @module
 */

/** Log output that may wait for stderr (bytes); lines beyond it are dropped and counted. */
export const MAX_PENDING_LOG_BYTES = 1024 * 1024

/** What {@link BoundedLogDestination} writes to: `process.stderr` has it. */
export interface LogSink {
	readonly writableLength: number
	write(chunk: string): unknown
}

/** A pino destination (anything with `write(line)`) that never blocks and never grows past a bound. */
export class BoundedLogDestination {
	/** Lines dropped since stderr last took one. */
	private dropped = 0
	/** Lines dropped in all. */
	droppedTotal = 0

	constructor(
		private readonly sink: LogSink = process.stderr,
		private readonly maxPendingBytes = MAX_PENDING_LOG_BYTES
	) {}

	write(line: string): void {
		if (this.sink.writableLength > this.maxPendingBytes) {
			this.dropped++
			this.droppedTotal++
			return
		}
		if (this.dropped > 0) {
			const note = { level: 40, time: Date.now(), msg: `${this.dropped} log lines dropped: stderr was not being read` }
			this.dropped = 0
			this.sink.write(`${JSON.stringify(note)}\n`)
		}
		this.sink.write(line)
	}
}
