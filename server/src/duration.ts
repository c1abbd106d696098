const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * Parses a duration such as `90d`, `12h`, `30m`, `45s`, `500ms` or `2w` (one number, one unit) into
 * milliseconds; `0` is zero. Throws with `name` in the message for anything else.
 */
export function parseDuration(value: string, name: string): number {
	const text = value.trim().toLowerCase()
	if (text === '0') return 0
	const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/.exec(text)
	if (!match) throw new Error(`${name} must be a duration such as 90d, 12h, 30m or 45s, got "${value}"`)
	return Math.round(Number(match[1]) * UNIT_MS[match[2]])
}
