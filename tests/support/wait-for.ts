/** Options of {@link waitFor}. */
export interface WaitForOptions {
	/** Failure bound in ms (default 10 000); the condition is normally met long before. */
	timeout?: number
	/** Polling interval in ms (default 25). */
	interval?: number
	/** Says what was awaited, for the timeout error. */
	message?: string
}

/**
 * Polls `predicate` until it returns a truthy value (or a promise of one) and returns that value. Mind that an
 * empty array is truthy: return `list.length > 0 ? list : null` to wait for a non-empty one.
 * For conditions that have no event to wait on; the timeout is only a failure bound. An exception thrown by
 * the predicate counts as "not yet"; the last one is reported if time runs out.
 * @throws when the timeout passes first
 */
export async function waitFor<T>(
	predicate: () => T | Promise<T>,
	options: WaitForOptions = {}
): Promise<NonNullable<T>> {
	const timeout = options.timeout ?? 10_000
	const interval = options.interval ?? 25
	const deadline = Date.now() + timeout
	let lastError: unknown
	for (;;) {
		try {
			const value = await predicate()
			if (value) return value as NonNullable<T>
		} catch (error) {
			lastError = error
		}
		if (Date.now() >= deadline) {
			const what = options.message ?? 'condition'
			const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
			throw new Error(`waitFor: ${what} not met within ${timeout} ms${cause}`, { cause: lastError })
		}
		await new Promise((resolve) => setTimeout(resolve, interval))
	}
}
