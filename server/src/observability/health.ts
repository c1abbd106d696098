/** The state of one part the server needs to work (the store, its commit thread, …). */
export interface HealthCheckResult {
	ok: boolean
	/** Why it is not ok (a short message, no secrets). */
	error?: string
}

/** What `GET /api/health` answers: 200 with `status: "ok"` when every check is ok, else 503 `failing`. */
export interface HealthReport {
	status: 'ok' | 'failing'
	checks: Record<string, HealthCheckResult>
}

/**
 * The server's one health model: every part that can stop the server from working registers a named check
 * (`app.health.register('store', …)`); `/api/health` runs them all on each request. Checks must be cheap and
 * synchronous (they run on every probe of Docker's healthcheck or a load balancer).
 */
export class HealthChecks {
	private readonly checks = new Map<string, () => HealthCheckResult>()

	/** Adds (or replaces) the check called `name`. */
	register(name: string, check: () => HealthCheckResult): void {
		this.checks.set(name, check)
	}

	report(): HealthReport {
		const checks: Record<string, HealthCheckResult> = {}
		for (const [name, check] of this.checks) {
			try {
				checks[name] = check()
			} catch (error) {
				checks[name] = { ok: false, error: error instanceof Error ? error.message : String(error) }
			}
		}
		const ok = Object.values(checks).every((c) => c.ok)
		return { status: ok ? 'ok' : 'failing', checks }
	}
}
