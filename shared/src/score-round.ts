/**
 * Score rounds (the worksheet's tip "Geef de verschillende onderdelen een cijfer"): the facilitator starts one on
 * a board whose template declares `scoreRound`, each participant gives every part a mark from the phone, and the
 * board shows the spread per part. The server writes the round into the doc's session map under
 * {@link SCORE_ROUND_KEY}, with only the number of participants per mark, never who gave what.
 *
 * Pure and dependency-free: the board, the phone page (types only), the server and the reports use it.
 *
 * @packageDocumentation
 */
import type { ScoreRoundView } from './contract/schemas'

export type { MyScores, ScoreBody, ScoreRoundChange, ScoreRoundView } from './contract/schemas'

/** Key of the {@link ScoreRoundView} in the doc's session map (`SESSION_MAP`). */
export const SCORE_ROUND_KEY = 'scoreRound'

/** The most parts and marks a stored round may have (bounds for a hostile or old doc). */
const MAX_PARTS = 12
const MAX_STEPS = 11

/** The score round a session map value holds; null for anything missing or malformed. */
export function readScoreRound(value: unknown): ScoreRoundView | null {
	if (!value || typeof value !== 'object') return null
	const v = value as Partial<Record<keyof ScoreRoundView, unknown>>
	const int = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n)
	if (v.status !== 'open' && v.status !== 'closed') return null
	if (!int(v.min) || !int(v.max) || v.max <= v.min || v.max - v.min + 1 > MAX_STEPS) return null
	if (!Array.isArray(v.parts) || v.parts.length > MAX_PARTS) return null
	const steps = v.max - v.min + 1
	const parts: ScoreRoundView['parts'] = []
	for (const part of v.parts as unknown[]) {
		const p = part as { zoneId?: unknown; counts?: unknown } | null
		if (!p || typeof p.zoneId !== 'string' || !Array.isArray(p.counts) || p.counts.length !== steps) return null
		if (!p.counts.every((c) => int(c) && c >= 0)) return null
		parts.push({ zoneId: p.zoneId, counts: [...(p.counts as number[])] })
	}
	const time = (n: unknown) => (typeof n === 'number' && Number.isFinite(n) ? n : null)
	return {
		status: v.status,
		min: v.min,
		max: v.max,
		parts,
		startedAt: time(v.startedAt) ?? 0,
		closedAt: v.status === 'closed' ? time(v.closedAt) : null,
	}
}

/** The spread of one part's marks: how many, the median and the lowest and highest mark (null without marks). */
export interface ScoreSpread {
	n: number
	median: number | null
	low: number | null
	high: number | null
}

/**
 * The spread of the marks `counts` describes (`counts[i]` participants gave mark `min + i`). The median of an even
 * number of marks is the mean of the two middle ones (6.5).
 */
export function scoreSpread(counts: readonly number[], min: number): ScoreSpread {
	const n = counts.reduce((sum, c) => sum + c, 0)
	if (n === 0) return { n: 0, median: null, low: null, high: null }
	const markAt = (rank: number): number => {
		let seen = 0
		for (let i = 0; i < counts.length; i++) {
			seen += counts[i]
			if (rank < seen) return min + i
		}
		return min + counts.length - 1
	}
	const low = min + counts.findIndex((c) => c > 0)
	const high = min + counts.length - 1 - [...counts].reverse().findIndex((c) => c > 0)
	const median = n % 2 === 1 ? markAt((n - 1) / 2) : (markAt(n / 2 - 1) + markAt(n / 2)) / 2
	return { n, median, low, high }
}

/** A median as people write it: `6`, `6,5` in Dutch, `6.5` in English. */
export function formatMark(value: number, locale: 'nl' | 'en'): string {
	const text = Number.isInteger(value) ? String(value) : value.toFixed(1)
	return locale === 'nl' ? text.replace('.', ',') : text
}
