import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The server entry point started by {@link startServerProcess}. */
export const serverEntry = path.join(repoRoot, 'server', 'src', 'server.ts')

/** Where end-to-end tests save screenshots that are checked by eye. */
export const screenshotDir = path.join(repoRoot, 'docs', 'screenshots')
