/**
 * How the server is launched — the one place that says it, for `npm start` (start.mjs), the benchmark
 * (bench/src/servers.ts) and the tests of the build; the Dockerfile's `CMD` and `ENV` say the same for the image.
 *
 * The server runs as one plain Node process on the bundle (build-server.mjs), started by its launcher
 * (`server/dist/launch.mjs`: stack traces of our code name our TypeScript files, their maps read when a stack
 * trace first needs them), with the
 * node flags of {@link SERVER_NODE_FLAGS} and
 * `MALLOC_ARENA_MAX=2`: glibc otherwise gives the threads that allocate (the SQLite commit
 * thread, V8's and libuv's helper threads) malloc arenas of their own, up to 8 per core, each keeping the memory
 * freed into it; with two arenas the idle server and each idle websocket connection take less RSS.
 *
 * @module
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { serverBundle, serverLauncher } from './build-server.mjs'
import { repoRoot } from './ensure-deps.mjs'

/** Environment the server gets unless the operator set these variables. */
export const SERVER_ENV_DEFAULTS = Object.freeze({ MALLOC_ARENA_MAX: '2' })

/**
 * Node flags the server always runs with (the Dockerfile's `CMD` has the same). `--no-memory-reducer`: V8's memory
 * reducer runs full garbage collections when the allocation rate drops — at a workshop's pace of a few changes a
 * second, one every few seconds, each holding the event loop for 16–23 ms on an idle VM, in front of whichever
 * broadcast came next (docs/benchmarks.md, finding 11). Without it the heap is collected when it has grown, as
 * under load; an idle server's heap is not shrunk further, which its RSS does not notice (the old generation's
 * pages are given back by the collections that do run). `--single-threaded-gc`: the collector's work runs on the
 * event loop's thread in small incremental steps, not on helper threads beside it — on a server with one core to
 * itself (a small VM, or pinned as in the benchmark) those threads took the core from the event loop for 15–25 ms
 * around each full collection; S1 10 × 30 p99 median 28 → 21 ms in six alternated runs, S2 unchanged (finding 11).
 * `--no-allocation-site-pretenuring`: V8 otherwise decides per allocation site, from how many of its objects
 * survived a scavenge, to allocate that site's objects in the old generation from then on, and does not take it
 * back. The server's lib0 decoding of records is such a site (records decoded while rooms load live on), so later
 * every decoded note change went to the old generation, where it died within a few hundred milliseconds: twice the
 * reference's bytes per update moved to the old generation, full collections of that garbage and slower scavenges.
 * Without it, at S2's 7000–8000 updates/s: main thread −8 to −10 % per update, p99 median 73 → 30 and 82 → 26 ms
 * in alternated rounds; a cold load of 5000 notes ~25 % slower (still a third of the reference's); other points
 * within their noise (finding 15).
 */
export const SERVER_NODE_FLAGS = Object.freeze([
	'--no-memory-reducer',
	'--single-threaded-gc',
	'--no-allocation-site-pretenuring',
])

/**
 * A command line that starts the server.
 * @typedef {{ command: string, args: string[], env: NodeJS.ProcessEnv }} ServerLaunch
 */

/**
 * The command, arguments and environment that start the server bundle. Run it with the repository root as the
 * working directory (relative `DATA_DIR`s are resolved against it); the server prints
 * `Kompasbord listening on port <port>` once it listens.
 * @param {{ env?: NodeJS.ProcessEnv, nodeFlags?: string[] }} [options] `env`: the server's environment (default
 *   `process.env`), {@link SERVER_ENV_DEFAULTS} added where it does not set them; `nodeFlags`: extra flags for
 *   node (e.g. `--inspect`, `--cpu-prof`)
 * @returns {ServerLaunch}
 * @throws when the bundle is not built
 */
export function serverLaunch(options = {}) {
	if (!existsSync(serverBundle) || !existsSync(serverLauncher)) {
		throw new Error(
			`${path.relative(repoRoot, serverBundle)} is missing: build it with "node scripts/build-server.mjs"`
		)
	}
	return {
		command: process.execPath,
		args: [...SERVER_NODE_FLAGS, ...(options.nodeFlags ?? []), serverLauncher],
		env: { ...SERVER_ENV_DEFAULTS, ...(options.env ?? process.env) },
	}
}
