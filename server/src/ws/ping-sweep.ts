/**
 * One timer that pings every websocket and terminates the ones that did not answer the previous ping (a phone
 * that walked out of wifi range never closes its socket). One shared timer instead of one per socket: a timer,
 * its closure and context cost every idle connection a few hundred bytes.
 */

/** A socket the sweep watches; `ws`'s WebSocket has all of it but {@link PingTarget.isAlive}. */
export interface PingTarget {
	/** Set by {@link markAlive} on every pong; cleared by the sweep when it pings. */
	isAlive: boolean
	ping(): void
	terminate(): void
}

/** The `'pong'` listener of every watched socket: one function for all of them (`this` is the socket). */
export function markAlive(this: unknown): void {
	;(this as PingTarget).isAlive = true
}

/**
 * Every `intervalMs`, pings each socket of `targets` (a live collection, e.g. the WebSocketServer's `clients`)
 * and terminates those that have not answered the previous ping, so a socket gets at least `intervalMs` to
 * answer. `onDead` hears about every socket terminated for it, before it is terminated.
 */
export class PingSweep<T extends PingTarget> {
	private timer: NodeJS.Timeout | null = null

	constructor(
		private readonly targets: Iterable<T>,
		private readonly intervalMs: number,
		private readonly onDead: (target: T) => void = () => {}
	) {}

	/** Starts the timer (unref'd: it never keeps the process alive). Does nothing for an interval of 0. */
	start(): void {
		if (this.timer || this.intervalMs <= 0) return
		this.timer = setInterval(() => this.sweep(), this.intervalMs)
		this.timer.unref()
	}

	/** Stops the timer. */
	stop(): void {
		if (this.timer) clearInterval(this.timer)
		this.timer = null
	}

	/** One round: terminates the sockets that missed the last ping and pings the others. Returns how many died. */
	sweep(): number {
		let dead = 0
		for (const target of this.targets) {
			if (!target.isAlive) {
				dead++
				this.onDead(target)
				target.terminate()
				continue
			}
			target.isAlive = false
			try {
				target.ping()
			} catch {
				target.terminate()
			}
		}
		return dead
	}
}
