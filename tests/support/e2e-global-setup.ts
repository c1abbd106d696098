import { ensureClientBuild } from '../../scripts/build-client.mjs'
import { ensureChromium } from '../../scripts/ensure-chromium.mjs'
import { ensureDeps } from '../../scripts/ensure-deps.mjs'

/**
 * vitest globalSetup of the `e2e` project: the end-to-end tests need the built client (served by the server)
 * and Chromium. Under `npm test` both are ready already and this returns at once; when vitest is run directly
 * it builds the client if its sources changed.
 */
export function setup(): void {
	ensureClientBuild(ensureDeps())
	ensureChromium()
}
