#!/usr/bin/env node
/**
 * `npm test` check: `tsc --noEmit` over every package (root tsconfig.json: shared, server, client, templates,
 * tests, bench) and over scripts/ (scripts/tsconfig.json, JSDoc-typed JavaScript). A contract change in shared/
 * that the client or the server does not follow fails here.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from './ensure-deps.mjs'

const tsc = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'tsc.cmd' : 'tsc')
let failed = false
for (const project of ['tsconfig.json', 'scripts/tsconfig.json']) {
	const result = spawnSync(tsc, ['-p', project, '--noEmit'], { cwd: repoRoot, stdio: 'inherit' })
	if (result.status !== 0) {
		console.error(`[kompasbord] tsc -p ${project} found type errors`)
		failed = true
	}
}
process.exit(failed ? 1 : 0)
