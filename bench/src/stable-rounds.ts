/**
 * The rule for a figure the report may state: its rounds agree. On a shared machine one round can land in a burst
 * of other work; a figure whose rounds differ by more than {@link MAX_ROUND_SPREAD}× says more about the machine
 * than about the server, so the harness runs that measurement again (a whole new A/B set, interleaved as before)
 * instead of reporting it, up to {@link MAX_RERUNS} times.
 */
import type { ServerKind } from './servers'

/** Rounds of one figure agree when the largest is at most this many times the smallest. */
export const MAX_ROUND_SPREAD = 2
/** How many times a measurement whose rounds disagree is run again before it is reported as unstable. */
export const MAX_RERUNS = 2

/** Largest ÷ smallest of a figure's rounds: 1 for one round or equal rounds, Infinity when one is 0 and another not. */
export function roundSpread(values: readonly number[]): number {
	const finite = values.filter((v) => Number.isFinite(v))
	if (finite.length < 2) return 1
	const max = Math.max(...finite)
	const min = Math.min(...finite)
	if (max === min) return 1
	return min <= 0 ? Number.POSITIVE_INFINITY : max / min
}

/** One A/B set whose rounds disagreed, kept for the report's notes. */
export interface DiscardedSet {
	/** Per server, per named figure, its value in each round. */
	figures: Partial<Record<ServerKind, Record<string, number[]>>>
	/** The figure that moved most, and by how much. */
	worst: { kind: ServerKind; figure: string; spread: number }
}

/** What {@link runUntilStable} ends with. */
export interface StableRounds<T> {
	results: Record<ServerKind, T[]>
	/** False when even the last set's rounds disagreed. */
	stable: boolean
	discarded: DiscardedSet[]
}

/**
 * Runs `runSet` (one interleaved A/B set of rounds), checks every named figure of every server across its rounds,
 * and runs the set again while one moved by more than {@link MAX_ROUND_SPREAD}×, at most `maxReruns` times.
 */
export async function runUntilStable<T>(
	runSet: () => Promise<Record<ServerKind, T[]>>,
	figures: Record<string, (result: T) => number>,
	onDiscard: (set: DiscardedSet) => void,
	maxReruns = MAX_RERUNS
): Promise<StableRounds<T>> {
	const discarded: DiscardedSet[] = []
	for (let attempt = 0; ; attempt++) {
		const results = await runSet()
		const check = checkRounds(results, figures)
		if (check.worst.spread <= MAX_ROUND_SPREAD) return { results, stable: true, discarded }
		if (attempt >= maxReruns) return { results, stable: false, discarded }
		discarded.push(check)
		onDiscard(check)
	}
}

/** Every named figure of every server across its rounds, and the one that moved most. */
export function checkRounds<T>(
	results: Record<ServerKind, T[]>,
	figures: Record<string, (result: T) => number>
): DiscardedSet {
	const perKind: DiscardedSet['figures'] = {}
	let worst: DiscardedSet['worst'] = { kind: 'ours', figure: '', spread: 1 }
	for (const kind of Object.keys(results) as ServerKind[]) {
		if (results[kind].length === 0) continue
		const named: Record<string, number[]> = {}
		for (const [name, of] of Object.entries(figures)) {
			const values = results[kind].map(of)
			named[name] = values
			const spread = roundSpread(values)
			if (spread > worst.spread) worst = { kind, figure: name, spread }
		}
		perKind[kind] = named
	}
	return { figures: perKind, worst }
}

/** `ours p99 5.42, 21.7 / reference p99 3.92, 6.67` — a set's rounds on one line. */
export function describeRounds(set: Pick<DiscardedSet, 'figures'>, format: (value: number) => string): string {
	return (Object.entries(set.figures) as [ServerKind, Record<string, number[]>][])
		.map(([kind, named]) =>
			Object.entries(named)
				.map(([name, values]) => `${kind} ${name} ${values.map(format).join(', ')}`)
				.join(', ')
		)
		.join(' / ')
}
