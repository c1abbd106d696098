import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** Temp dirs made by {@link makeTempDir} and not removed yet; removed when the process exits. */
const liveDirs = new Set<string>()

process.once('exit', () => {
	for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true })
})

/**
 * Makes a fresh directory under the OS temp dir. It is removed by {@link removeTempDir}, or at the latest when
 * the test process exits.
 * @param prefix - name prefix, to recognise leftovers
 */
export async function makeTempDir(prefix = 'kompasbord-test-'): Promise<string> {
	const dir = await mkdtemp(path.join(os.tmpdir(), prefix))
	liveDirs.add(dir)
	return dir
}

/** Removes a directory made by {@link makeTempDir} (and anything in it). */
export async function removeTempDir(dir: string): Promise<void> {
	await rm(dir, { recursive: true, force: true, maxRetries: 3 })
	liveDirs.delete(dir)
}
