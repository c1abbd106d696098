import { estimateClockOffset, type ClockSample } from '@kompasbord/shared/session-timer'

/** Samples kept for the offset estimate (the fastest round trip among them wins). */
const MAX_SAMPLES = 8

/**
 * The server's clock as this browser sees it: the local clock plus an offset measured from HTTP round trips
 * to an answer carrying `serverNow` (NTP's rule: the fastest round trip wins). Every screen that corrects
 * its clock this way shows the same timer seconds.
 */
export class ServerClock {
	private samples: ClockSample[] = []
	private offsetMs = 0

	constructor(private readonly localNow: () => number = Date.now) {}

	/** Milliseconds to add to the local clock to get the server's. */
	get offset(): number {
		return this.offsetMs
	}

	/** The server's time now (epoch ms). */
	now(): number {
		return this.localNow() + this.offsetMs
	}

	/** Records one round trip: local time before sending, after receiving, and the server's `serverNow`. */
	addSample(sample: ClockSample): void {
		this.samples = [...this.samples, sample].slice(-MAX_SAMPLES)
		this.offsetMs = estimateClockOffset(this.samples)
	}

	/**
	 * Measures a round trip with `request`, which resolves with the answer's `serverNow`; failures are
	 * ignored (the last estimate stays).
	 */
	async measure(request: () => Promise<number>): Promise<void> {
		const sentAt = this.localNow()
		try {
			const serverNow = await request()
			this.addSample({ sentAt, receivedAt: this.localNow(), serverNow })
		} catch {
			// Offline or server busy: keep the last estimate.
		}
	}
}
