/**
 * Summarises what send-timing-hook.mjs wrote: per server process (in the order they ran), the chunks that led to
 * a broadcast (at least `--min-writes` writes, default: the most common count of 4 or more), with p50/p90/p99 of
 * arrival → first send and arrival → last send in µs, and the time per further send.
 *
 *   node --import tsx bench/src/tools/send-timing-summary.ts [dir=/tmp/send-timing] [--min-writes N]
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { summarize } from '../stats'

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: { 'min-writes': { type: 'string', default: '4' } },
})
const dir = positionals[0] ?? process.env.SEND_TIMING_DIR ?? '/tmp/send-timing'

const runs = fs
	.readdirSync(dir)
	.filter((f) => f.endsWith('.json'))
	.map(
		(f) =>
			JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as {
				argv: string
				startedAt: number
				samples: [number, number, number][]
			}
	)
	.sort((a, b) => a.startedAt - b.startedAt)

for (const run of runs) {
	const server = run.argv.includes('websocket-server') || run.argv.includes('reference') ? 'reference' : 'ours'
	const broadcasts = run.samples.filter((s) => s[2] >= Number(values['min-writes']))
	if (broadcasts.length === 0) continue
	// The room's broadcast: the most common number of writes (4 at 10 × 5 for ours, 5 for the reference, which
	// echoes a change to its sender too).
	const counts = new Map<number, number>()
	for (const s of broadcasts) counts.set(s[2], (counts.get(s[2]) ?? 0) + 1)
	const writes = [...counts].sort((a, b) => b[1] - a[1])[0][0]
	const chosen = broadcasts.filter((s) => s[2] === writes)
	const first = summarize(chosen.map((s) => s[0]))
	const last = summarize(chosen.map((s) => s[1]))
	const perSend = (last.p50 - first.p50) / Math.max(1, writes - 1)
	console.log(
		`${server.padEnd(9)} ${chosen.length} broadcasts of ${writes} writes: first send p50 ${first.p50.toFixed(0)} µs, p90 ${first.p90.toFixed(0)}, p99 ${first.p99.toFixed(0)}; last send p50 ${last.p50.toFixed(0)}, p90 ${last.p90.toFixed(0)}, p99 ${last.p99.toFixed(0)}; ${perSend.toFixed(1)} µs per further send`
	)
}
