#!/usr/bin/env node
/**
 * `npm test`: the whole suite, the same on a laptop and in CI.
 *
 * 1. installs dependencies when needed (`ensure-deps.mjs`) and finds or installs Chromium;
 * 2. builds the client when its sources changed (the end-to-end tests load `client/dist`);
 * 3. runs vitest once over every project of the root `vitest.config.ts`, with the default reporter on stdout
 *    and a JSON report in `.vitest-report.json`;
 * 4. runs every `scripts/check-*.mjs` (each one counts as one test: exit 0 passes);
 * 5. prints, as the very last line, `N passed, N failed` (`, N skipped` when some were skipped) and exits
 *    non-zero when anything failed, including vitest itself failing to run.
 *
 * Extra arguments are passed to vitest (e.g. `npm test -- tests/e2e`); the checks then still run.
 * `KOMPASBORD_TEST_TIMEOUT_MINUTES` (default 30) bounds the vitest run so CI never hangs.
 *
 * @module
 */
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { ensureClientBuild } from './build-client.mjs'
import { ensureChromium } from './ensure-chromium.mjs'
import { ensureDeps, log, repoRoot } from './ensure-deps.mjs'

const REPORT_FILE = path.join(repoRoot, '.vitest-report.json')
const timeoutMinutes = Number(process.env.KOMPASBORD_TEST_TIMEOUT_MINUTES ?? 30)

/** Totals over test cases, setup steps and check scripts. */
const totals = { passed: 0, failed: 0, skipped: 0 }
/** Names of what failed, listed just above the final line. */
const failures = /** @type {string[]} */ ([])

/**
 * Records a failed step (setup, vitest itself, a check script) as one failed test.
 * @param {string} name
 * @param {unknown} [error]
 */
function stepFailed(name, error) {
	totals.failed += 1
	failures.push(name)
	if (error !== undefined)
		console.error(`[kompasbord] ${name}: ${error instanceof Error ? error.message : String(error)}`)
}

/**
 * Runs a command with inherited stdio, forwarding Ctrl-C / SIGTERM, optionally bounded in time.
 * @param {string} command
 * @param {string[]} args
 * @param {{ timeoutMs?: number, env?: NodeJS.ProcessEnv }} [options]
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, timedOut: boolean }>}
 */
function runInherited(command, args, options = {}) {
	return new Promise((resolve) => {
		const child = spawn(command, args, {
			cwd: repoRoot,
			stdio: ['ignore', 'inherit', 'inherit'],
			env: options.env ?? process.env,
			shell: process.platform === 'win32',
		})
		let timedOut = false
		/** @type {NodeJS.Timeout | undefined} */
		let killTimer
		const timer =
			options.timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						timedOut = true
						console.error(
							`[kompasbord] ${path.basename(command)} did not finish in ${(options.timeoutMs ?? 0) / 60000} min: stopping it`
						)
						child.kill('SIGTERM')
						killTimer = setTimeout(() => child.kill('SIGKILL'), 10_000)
					}, options.timeoutMs)
		/** @param {NodeJS.Signals} signal */
		const forward = (signal) => child.kill(signal)
		process.on('SIGINT', forward)
		process.on('SIGTERM', forward)
		const done = (/** @type {number | null} */ code, /** @type {NodeJS.Signals | null} */ signal) => {
			clearTimeout(timer)
			clearTimeout(killTimer)
			process.off('SIGINT', forward)
			process.off('SIGTERM', forward)
			resolve({ code, signal, timedOut })
		}
		child.on('error', (error) => {
			console.error(`[kompasbord] could not run ${command}: ${error.message}`)
			done(127, null)
		})
		child.on('exit', done)
	})
}

/**
 * Shape of the parts of vitest's JSON report we read.
 * @typedef {{ status: string, title: string, fullName?: string }} AssertionResult
 * @typedef {{ name: string, status: string, message?: string, assertionResults: AssertionResult[] }} FileResult
 * @typedef {{ numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number, testResults: FileResult[] }} VitestReport
 */

/**
 * Runs vitest over the whole suite and adds its results to the totals.
 * @param {string[]} extraArgs
 */
async function runVitest(extraArgs) {
	rmSync(REPORT_FILE, { force: true })
	const vitest = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'vitest.cmd' : 'vitest')
	const args = [
		'run',
		'--config',
		path.join(repoRoot, 'vitest.config.ts'),
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${REPORT_FILE}`,
		...extraArgs,
	]
	log(`running vitest ${extraArgs.join(' ')}`.trim())
	const result = await runInherited(vitest, args, { timeoutMs: timeoutMinutes * 60_000 })
	let countedFailures = 0
	if (existsSync(REPORT_FILE)) {
		/** @type {VitestReport} */
		const report = JSON.parse(readFileSync(REPORT_FILE, 'utf8'))
		totals.passed += report.numPassedTests
		totals.failed += report.numFailedTests
		totals.skipped += report.numPendingTests + report.numTodoTests
		countedFailures += report.numFailedTests
		for (const file of report.testResults) {
			const relative = path.relative(repoRoot, file.name)
			const failedCases = file.assertionResults.filter((test) => test.status === 'failed')
			for (const test of failedCases) failures.push(`${relative} > ${test.fullName ?? test.title}`)
			// A file that failed without a failing test case (import error, failing beforeAll) counts once, or
			// once per test it kept from running: vitest reports those as skipped, but they did not pass.
			if (file.status === 'failed' && failedCases.length === 0) {
				const notRun = file.assertionResults.filter(
					(test) => test.status === 'skipped' || test.status === 'pending'
				).length
				const reason = (file.message || 'a hook or the file itself failed; see above').split('\n')[0]
				stepFailed(`${relative} (${reason}${notRun > 0 ? `; ${notRun} tests did not run` : ''})`)
				totals.failed += Math.max(0, notRun - 1)
				totals.skipped = Math.max(0, totals.skipped - notRun)
				countedFailures += Math.max(1, notRun)
			}
		}
	} else {
		stepFailed('vitest wrote no report')
		countedFailures += 1
	}
	if (result.timedOut) {
		stepFailed(`vitest timed out after ${timeoutMinutes} min`)
	} else if (result.code !== 0 && countedFailures === 0) {
		stepFailed(`vitest exited with ${result.code ?? result.signal} (unhandled errors or no tests; see above)`)
	}
}

/** Runs every `scripts/check-*.mjs`, each counting as one test. */
async function runChecks() {
	const scriptsDir = path.join(repoRoot, 'scripts')
	const checks = readdirSync(scriptsDir)
		.filter((name) => /^check-.+\.mjs$/.test(name))
		.sort()
	for (const name of checks) {
		log(`running ${name}`)
		const result = await runInherited(process.execPath, [path.join(scriptsDir, name)])
		if (result.code === 0) totals.passed += 1
		else stepFailed(`scripts/${name} (exit ${result.code ?? result.signal})`)
	}
}

async function main() {
	const started = Date.now()
	const extraArgs = process.argv.slice(2)
	/** @type {import('./ensure-deps.mjs').PnpmRunner | null} */
	let pnpm = null
	try {
		pnpm = ensureDeps()
	} catch (error) {
		stepFailed('installing dependencies', error)
	}
	if (pnpm) {
		try {
			const chromium = ensureChromium()
			log(`Chromium: ${chromium}`)
		} catch (error) {
			stepFailed('finding Chromium', error)
		}
		try {
			ensureClientBuild(pnpm)
		} catch (error) {
			stepFailed('building the client', error)
		}
		await runVitest(extraArgs)
		await runChecks()
	}
	const seconds = Math.round((Date.now() - started) / 1000)
	if (failures.length > 0) {
		console.log('')
		console.log(`[kompasbord] failed (${failures.length}):`)
		for (const failure of failures) console.log(`  ✗ ${failure}`)
	}
	console.log(`[kompasbord] test run took ${Math.floor(seconds / 60)} min ${seconds % 60} s`)
	const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''
	console.log(`${totals.passed} passed, ${totals.failed} failed${skipped}`)
	process.exitCode = totals.failed > 0 ? 1 : 0
}

await main()
