/** Where things live, resolved from this file so the harness runs from any working directory. */
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

/** The bench package directory (`bench/`). */
export const BENCH_DIR = resolve(here, '..')
/** The repository root. */
export const REPO_DIR = resolve(BENCH_DIR, '..')
/** Our server's entry point (its sources; the benchmark runs the bundle built from them). */
export const OUR_SERVER_ENTRY = resolve(REPO_DIR, 'server/src/server.ts')
/** The reference server's entry point (@y/websocket-server 0.1.1). */
export const REFERENCE_SERVER_ENTRY = require
	.resolve('@y/websocket-server/package.json')
	.replace(/package\.json$/, 'src/server.js')
/** The reference server with timing around its LevelDB writes (used by the time-to-durable scenario only). */
export const REFERENCE_TIMED_ENTRY = resolve(here, 'reference-timed.mjs')
/** Results JSON and CPU profiles (gitignored). */
export const RESULTS_DIR = resolve(BENCH_DIR, 'results')
/** The written report. */
export const REPORT_FILE = resolve(REPO_DIR, 'docs/benchmarks.md')
