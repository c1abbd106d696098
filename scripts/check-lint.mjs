#!/usr/bin/env node
/**
 * `npm test` check: Biome's formatter and linter over the whole repository (config: biome.json at the root),
 * including the import boundaries (client and server never import each other, the board never imports the
 * phone page, packages are imported through their entry points). Fix with `npm run format` / `npm run lint`.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { repoRoot } from './ensure-deps.mjs'

const biome = path.join(repoRoot, 'node_modules', '.bin', process.platform === 'win32' ? 'biome.cmd' : 'biome')
const result = spawnSync(biome, ['check', '--diagnostic-level=error', '.'], { cwd: repoRoot, stdio: 'inherit' })
if (result.status !== 0) console.error('[kompasbord] Biome found problems: run `npm run format` and `npm run lint`')
process.exit(result.status ?? 1)
