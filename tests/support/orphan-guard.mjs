/**
 * Preloaded (`node --import`) into every server process that tests/support starts. The test process is the
 * other end of an IPC channel; when it dies without stopping its servers (a killed vitest worker, Ctrl-C),
 * the channel closes and this shuts the server down with SIGTERM, as `stop()` would, instead of leaving it
 * running on the machine. With `KOMPASBORD_TEST_OWNED_DATA_DIR` set it also removes that temp DATA_DIR then.
 * It does nothing else: the server under test runs exactly as under `npm start`.
 */
import { rmSync } from 'node:fs'

if (process.channel) {
	// The channel must not keep the server alive by itself.
	process.channel.unref()
	let orphaned = false
	process.once('disconnect', () => {
		orphaned = true
		process.kill(process.pid, 'SIGTERM')
	})
	process.once('exit', () => {
		const dataDir = process.env.KOMPASBORD_TEST_OWNED_DATA_DIR
		if (orphaned && dataDir) rmSync(dataDir, { recursive: true, force: true })
	})
}
