/**
 * "Groepen voorstellen": themes proposed for a zone's notes, computed on the server with no outside service.
 * Each note becomes a TF-IDF vector over its Dutch stems (see `./dutch-text`) plus, at half weight, the
 * character trigrams of those stems (so compounds such as "sextingbeleid" meet "sexting"); notes are grouped
 * by average-linkage agglomerative clustering on cosine similarity, merging while the best pair of groups is at
 * least `threshold` alike. Groups of one are no theme. The facilitator slides the threshold and accepts, edits
 * or rejects each proposal.
 *
 * @module
 */
import { contentStems } from './dutch-text'

/** A note to group. */
export interface ThemeInput {
	id: string
	text: string
}

/** A proposed theme: a label (its most telling word) and its notes. */
export interface ThemeProposal {
	label: string
	noteIds: string[]
}

/** Default similarity a pair of groups needs to merge (0–1). */
export const DEFAULT_THEME_THRESHOLD = 0.12

type Vector = Map<string, number>

function trigrams(stem: string): string[] {
	const padded = `_${stem}_`
	const out: string[] = []
	for (let i = 0; i + 3 <= padded.length; i++) out.push(padded.slice(i, i + 3))
	return out
}

/** TF-IDF vectors (unit length) of the notes' stems and stem trigrams. */
function vectors(notes: readonly ThemeInput[]): { vectors: Vector[]; stems: string[][] } {
	const stems = notes.map((note) => contentStems(note.text))
	const terms = stems.map((list) => [
		...list.map((s) => [`w:${s}`, 1] as const),
		...list.flatMap((s) => trigrams(s).map((g) => [`g:${g}`, 0.5] as const)),
	])
	const documentFrequency = new Map<string, number>()
	for (const list of terms)
		for (const term of new Set(list.map(([t]) => t)))
			documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1)
	const n = notes.length
	const result = terms.map((list) => {
		const v: Vector = new Map()
		for (const [term, weight] of list) {
			const idf = Math.log((1 + n) / (1 + (documentFrequency.get(term) ?? 0))) + 1
			v.set(term, (v.get(term) ?? 0) + weight * idf)
		}
		const norm = Math.sqrt([...v.values()].reduce((sum, x) => sum + x * x, 0))
		if (norm > 0) for (const [term, x] of v) v.set(term, x / norm)
		return v
	})
	return { vectors: result, stems }
}

function cosine(a: Vector, b: Vector): number {
	const [small, large] = a.size <= b.size ? [a, b] : [b, a]
	let dot = 0
	for (const [term, x] of small) dot += x * (large.get(term) ?? 0)
	return dot
}

/**
 * Groups notes into themes (see the module comment). Deterministic: the same notes and threshold give the same
 * proposals, largest first.
 */
export function suggestThemes(notes: readonly ThemeInput[], threshold = DEFAULT_THEME_THRESHOLD): ThemeProposal[] {
	if (notes.length < 2) return []
	const { vectors: v, stems } = vectors(notes)
	const n = notes.length
	const sim: number[][] = Array.from({ length: n }, (_, i) =>
		Array.from({ length: n }, (_, j) => (i === j ? 1 : cosine(v[i], v[j])))
	)
	let clusters: number[][] = notes.map((_, i) => [i])
	const linkage = (a: number[], b: number[]) => {
		let sum = 0
		for (const i of a) for (const j of b) sum += sim[i][j]
		return sum / (a.length * b.length)
	}
	for (;;) {
		let best = -1
		let pair: [number, number] | null = null
		for (let a = 0; a < clusters.length; a++) {
			for (let b = a + 1; b < clusters.length; b++) {
				const s = linkage(clusters[a], clusters[b])
				if (s > best) {
					best = s
					pair = [a, b]
				}
			}
		}
		if (!pair || best < threshold) break
		const [a, b] = pair
		const merged = [...clusters[a], ...clusters[b]].sort((x, y) => x - y)
		clusters = clusters.filter((_, i) => i !== a && i !== b)
		clusters.push(merged)
	}
	return clusters
		.filter((members) => members.length > 1)
		.map((members) => ({
			label: themeLabel(
				members.map((i) => notes[i].text),
				members.map((i) => stems[i])
			),
			noteIds: members.map((i) => notes[i].id),
		}))
		.sort((a, b) => b.noteIds.length - a.noteIds.length || a.label.localeCompare(b.label))
}

/** A theme's label: the surface word of the stem most of its notes share (ties: the longer word). */
function themeLabel(texts: string[], stems: string[][]): string {
	const count = new Map<string, number>()
	for (const list of stems) for (const s of new Set(list)) count.set(s, (count.get(s) ?? 0) + 1)
	const top = [...count.entries()].sort(
		(a, b) => b[1] - a[1] || b[0].length - a[0].length || a[0].localeCompare(b[0])
	)[0]
	if (!top) return texts[0].slice(0, 40)
	// The most common written form of that stem, as the notes spell it.
	const forms = new Map<string, number>()
	for (const text of texts) {
		for (const word of text.split(/[^\p{L}\p{N}]+/u)) {
			if (word && contentStems(word)[0] === top[0])
				forms.set(word.toLowerCase(), (forms.get(word.toLowerCase()) ?? 0) + 1)
		}
	}
	const form = [...forms.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? top[0]
	return form.charAt(0).toUpperCase() + form.slice(1)
}

/**
 * The adjusted Rand index of two groupings of the same items (1: the same; about 0: as good as chance). Items
 * missing from a grouping count as groups of their own. Used to check the proposals against known themes.
 */
export function adjustedRandIndex(items: readonly string[], a: readonly string[][], b: readonly string[][]): number {
	const label = (groups: readonly string[][]) => {
		const map = new Map<string, string>()
		groups.forEach((group, i) => {
			for (const item of group) map.set(item, `g${i}`)
		})
		return items.map((item) => map.get(item) ?? `single:${item}`)
	}
	const la = label(a)
	const lb = label(b)
	const choose2 = (x: number) => (x * (x - 1)) / 2
	const table = new Map<string, number>()
	const rows = new Map<string, number>()
	const cols = new Map<string, number>()
	la.forEach((x, i) => {
		const key = `${x}|${lb[i]}`
		table.set(key, (table.get(key) ?? 0) + 1)
		rows.set(x, (rows.get(x) ?? 0) + 1)
		cols.set(lb[i], (cols.get(lb[i]) ?? 0) + 1)
	})
	const index = [...table.values()].reduce((s, x) => s + choose2(x), 0)
	const sumRows = [...rows.values()].reduce((s, x) => s + choose2(x), 0)
	const sumCols = [...cols.values()].reduce((s, x) => s + choose2(x), 0)
	const expected = (sumRows * sumCols) / choose2(items.length)
	const max = (sumRows + sumCols) / 2
	return max === expected ? 1 : (index - expected) / (max - expected)
}
