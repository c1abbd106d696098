/**
 * The phone's live session state: phase, timer and vote budget from `GET /api/rooms/:roomId/session`, long
 * polled (`?wait=25&tag=`), so a phase change or a timer start reaches the phone within a round trip, without a
 * websocket. The poll also counts the phone as connected for the facilitator. The clock offset to the server
 * comes from quick (non-waiting) requests, so the timer shows the same second as the boards.
 */
import { estimateClockOffset, type ClockSample } from '@kompasbord/shared/session-timer'
import type { FocusView, ScoreRoundView, SessionPhase, TimerState } from '@kompasbord/shared'

/** The session state as the phone knows it. */
export interface PhoneSession {
	phase: SessionPhase
	votesPerParticipant: number
	timer: TimerState
	tag: string
	/** The note or theme the facilitator has in focus (absent when focus is off). */
	focus?: FocusView
	/** The score round with its spread (absent when none was started). */
	scoreRound?: ScoreRoundView
	/** "Notities eerst bekijken": new notes wait for the facilitator. */
	screening?: boolean
	/** Notes waiting in the facilitator's queue (absent while screening is off and none wait). */
	awaitingReview?: number
}

/** Longest wait of one long poll (the server's maximum is 25 s). */
export const LONG_POLL_SECONDS = 25
/** Measure the clock offset again after this long. */
export const CLOCK_RESYNC_MS = 60_000
/** Longest pause between attempts while the server cannot be reached. */
export const MAX_BACKOFF_MS = 15_000

/** Options of {@link SessionSync}. */
export interface SessionSyncOptions {
	roomId: string
	/** Sent as `Authorization: Bearer <token>`: the server counts this phone as connected. */
	participantToken: string
	fetch?: typeof fetch
	now?: () => number
	/** Whether the page is visible (polling pauses while hidden). Default: `document.visibilityState`. */
	isVisible?: () => boolean
	sleep?: (ms: number) => Promise<void>
}

/** Keeps a phone's session state up to date; call {@link SessionSync.start} once. */
export class SessionSync {
	private state: PhoneSession | null = null
	private readonly listeners = new Set<(state: PhoneSession, previous: PhoneSession | null) => void>()
	private samples: ClockSample[] = []
	private offset = 0
	private lastSampleAt = -Infinity
	private running = false
	private looping: Promise<void> = Promise.resolve()
	private abort: AbortController | null = null
	private wake: (() => void) | null = null
	private readonly fetchImpl: typeof fetch
	private readonly now: () => number
	private readonly isVisible: () => boolean
	private readonly sleep: (ms: number) => Promise<void>

	constructor(private readonly options: SessionSyncOptions) {
		this.fetchImpl = options.fetch ?? ((...args) => fetch(...args))
		this.now = options.now ?? Date.now
		this.isVisible =
			options.isVisible ?? (() => typeof document === 'undefined' || document.visibilityState === 'visible')
		this.sleep =
			options.sleep ??
			((ms) =>
				new Promise<void>((resolve) => {
					const timer = setTimeout(resolve, ms)
					this.wake = () => {
						clearTimeout(timer)
						resolve()
					}
				}))
	}

	/** The last known state; null before the first answer. */
	get(): PhoneSession | null {
		return this.state
	}

	/** The server's clock now, as far as this phone can tell. */
	serverNow(): number {
		return this.now() + this.offset
	}

	/** Calls `listener` on every change of the state (not at once); returns the unsubscribe function. */
	subscribe(listener: (state: PhoneSession, previous: PhoneSession | null) => void): () => void {
		this.listeners.add(listener)
		return () => this.listeners.delete(listener)
	}

	/** Starts the poll loop (and restarts a waiting poll when the page becomes visible or the phone comes online). */
	start(): void {
		if (this.running) return
		this.running = true
		if (typeof document !== 'undefined') document.addEventListener('visibilitychange', this.onWake)
		if (typeof window !== 'undefined') window.addEventListener('online', this.onWake)
		this.looping = this.loop()
	}

	/** Resolves when the poll loop has ended (after {@link SessionSync.stop}, or when the room is gone). */
	whenStopped(): Promise<void> {
		return this.looping
	}

	stop(): void {
		this.running = false
		this.abort?.abort()
		this.wake?.()
		if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', this.onWake)
		if (typeof window !== 'undefined') window.removeEventListener('online', this.onWake)
	}

	/** Polls once more right away (e.g. after the phone did something that changes the session). */
	refresh(): void {
		this.abort?.abort()
		this.wake?.()
	}

	private onWake = () => {
		if (this.isVisible()) this.refresh()
	}

	private async loop(): Promise<void> {
		let backoff = 1000
		while (this.running) {
			if (!this.isVisible()) {
				await this.sleep(60_000)
				continue
			}
			const quick = !this.state || this.now() - this.lastSampleAt > CLOCK_RESYNC_MS
			const result = await this.poll(quick)
			if (!this.running) return
			if (result === 'ok') backoff = 1000
			else if (result === 'gone') return
			else if (result === 'failed') {
				await this.sleep(backoff)
				backoff = Math.min(MAX_BACKOFF_MS, backoff * 2)
			}
		}
	}

	/** One request: `quick` answers at once (and measures the clock), else it waits for a change. */
	private async poll(quick: boolean): Promise<'ok' | 'failed' | 'aborted' | 'gone'> {
		const { roomId, participantToken } = this.options
		let url = `/api/rooms/${encodeURIComponent(roomId)}/session`
		if (!quick && this.state) url += `?wait=${LONG_POLL_SECONDS}&tag=${encodeURIComponent(this.state.tag)}`
		const abort = new AbortController()
		this.abort = abort
		const timeout = setTimeout(() => abort.abort(), (quick ? 10 : LONG_POLL_SECONDS + 10) * 1000)
		const sentAt = this.now()
		try {
			const response = await this.fetchImpl(url, {
				signal: abort.signal,
				cache: 'no-store',
				headers: { accept: 'application/json', authorization: `Bearer ${participantToken}` },
			})
			if (response.status === 404) return 'gone'
			if (!response.ok) return 'failed'
			const body = (await response.json()) as PhoneSession & { serverNow: number }
			if (quick) {
				this.samples = [...this.samples, { sentAt, receivedAt: this.now(), serverNow: body.serverNow }].slice(-6)
				this.offset = estimateClockOffset(this.samples)
				this.lastSampleAt = this.now()
			}
			this.set({
				phase: body.phase,
				votesPerParticipant: body.votesPerParticipant,
				timer: body.timer,
				tag: body.tag,
				focus: body.focus,
				scoreRound: body.scoreRound,
				screening: body.screening,
				awaitingReview: body.awaitingReview,
			})
			return 'ok'
		} catch {
			return abort.signal.aborted && this.running ? 'aborted' : 'failed'
		} finally {
			clearTimeout(timeout)
			if (this.abort === abort) this.abort = null
		}
	}

	private set(next: PhoneSession): void {
		const previous = this.state
		if (previous && previous.tag === next.tag) return
		this.state = next
		for (const listener of [...this.listeners]) listener(next, previous)
	}
}
