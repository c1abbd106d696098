/**
 * What writing one update log record costs when everything it touches is cold, as it is on the broadcast path at a
 * workshop's pace (one change every 20–200 ms): our addon's one call (server/native/log-record-write: CRC-32 and
 * `pwrite`) against Node's `zlib.crc32` and `fs.writeSync` (the fallback, store/log-record-write.ts), alternated
 * record by record. Before each timed write the tool walks a buffer larger than the CPU's caches (`--flush-mib`),
 * then sleeps (`--gap-ms`); after each it fdatasyncs, as the log does at the end of the turn, so that the write
 * meets a clean page as in the server. Prints p50/p90/p99 in µs of each.
 *
 *   node --import tsx bench/src/tools/log-write-cold.ts [--records 400] [--bytes 800] [--flush-mib 32] [--gap-ms 10]
 *
 * Pin it to one core (`taskset -c 1`) on a shared machine. Used for finding 26 in docs/benchmarks.md.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { logRecordWriter, writeLogRecord, writeLogRecordWithNode } from '../../../server/src/store/log-record-write'
import { sleep } from '../client'
import { summarize } from '../stats'
import { runTool } from './run-tool'

const { values } = parseArgs({
	options: {
		records: { type: 'string', default: '400' },
		bytes: { type: 'string', default: '800' },
		'flush-mib': { type: 'string', default: '32' },
		'gap-ms': { type: 'string', default: '10' },
	},
})

function describe(label: string, samples: number[]): string {
	const { p50, p90, p99, count } = summarize(samples)
	return `${label}: p50 ${p50.toFixed(1)} µs, p90 ${p90.toFixed(1)}, p99 ${p99.toFixed(1)} (${count} writes)`
}

async function main(): Promise<void> {
	if (logRecordWriter() !== 'native') throw new Error('the addon is not built: run `pnpm install` with a C compiler')
	const records = Number(values.records)
	const bytes = Number(values.bytes)
	const gapMs = Number(values['gap-ms'])
	const flush = Buffer.alloc(Number(values['flush-mib']) << 20)
	const flushCaches = () => {
		for (let i = 0; i < flush.length; i += 64) flush[i]++
	}
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kompasbord-log-write-'))
	const fd = fs.openSync(path.join(dir, 'records'), 'w+')
	const record = Buffer.alloc(bytes + 4, 7)
	const addon: number[] = []
	const node: number[] = []
	try {
		let position = 0
		for (let i = 0; i < records; i++) {
			for (const [write, samples] of [
				[writeLogRecord, addon],
				[writeLogRecordWithNode, node],
			] as const) {
				flushCaches()
				await sleep(gapMs)
				const start = process.hrtime.bigint()
				write(fd, record, bytes, position)
				samples.push(Number(process.hrtime.bigint() - start) / 1000)
				fs.fdatasyncSync(fd)
				position += bytes + 4
			}
		}
	} finally {
		fs.closeSync(fd)
		fs.rmSync(dir, { recursive: true, force: true })
	}
	console.log(
		`load average ${os
			.loadavg()
			.map((l) => l.toFixed(2))
			.join(' ')}; ${bytes}-byte records`
	)
	console.log(describe('addon (CRC-32 and pwrite in one call)', addon))
	console.log(describe('zlib.crc32 + fs.writeSync', node))
}

runTool(main)
