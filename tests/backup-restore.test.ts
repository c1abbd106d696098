import { spawnSync } from 'node:child_process'
import { copyFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { RECORDS_MAP } from '@kompasbord/shared'
import { api } from './support/api'
import { repoRoot } from './support/paths'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { makeTempDir, removeTempDir } from './support/temp-dir'
import { connectYClient } from './support/y-client'
import { participantToken } from './session-helpers'

const cleanups: (() => Promise<void>)[] = []

afterAll(async () => {
	for (const cleanup of cleanups.reverse()) await cleanup()
})

/** Runs `npm run backup -- <file>` as the README says, against the DATA_DIR of a running server. */
function runBackup(dataDir: string, target: string, ...extra: string[]) {
	return spawnSync('npm', ['run', '--silent', 'backup', '--', target, ...extra], {
		cwd: repoRoot,
		env: { ...process.env, DATA_DIR: dataDir },
		encoding: 'utf8',
	})
}

async function noteTexts(server: InProcessServer, room: { roomId: string; facilitatorKey: string }): Promise<string[]> {
	// As the facilitator: the facilitator key is in the database, so it works on a restored copy too.
	const y = connectYClient(server.wsUrl, room.roomId, { key: room.facilitatorKey })
	try {
		await y.waitForSync()
		return [...y.doc.getMap<{ type?: string; props?: { richText?: unknown } }>(RECORDS_MAP).values()]
			.filter((r) => r.type === 'note')
			.map((r) => JSON.stringify(r.props?.richText))
	} finally {
		y.destroy()
	}
}

describe('npm run backup', () => {
	it('copies the database while the server runs; a fresh DATA_DIR with the copy serves the boards', async () => {
		const live = await startServerInProcess()
		cleanups.push(() => live.close())
		const client = api(live.baseUrl)
		const first = await client.createRoom('dos-en-donts', { title: 'Back-up bord' })
		await client.postNote(
			first.roomId,
			{ zoneId: 'dos', text: 'Samen optrekken', clientNoteId: 'n-backup-1' },
			await participantToken(client, first, 'p-backup-1')
		)
		const second = await client.createRoom('blanco', { title: 'Tweede bord' })

		const backupDir = await makeTempDir('kompasbord-backup-')
		cleanups.push(() => removeTempDir(backupDir))
		const target = path.join(backupDir, 'nightly', 'kompasbord-backup.sqlite')
		const run = runBackup(live.dataDir, target)
		expect(run.stderr).toBe('')
		expect(run.status).toBe(0)
		expect(run.stdout).toMatch(/2 room\(s\), \d+ KB, integrity ok/)
		// One self-contained file: no WAL beside it.
		expect(await readdir(path.dirname(target))).toEqual(['kompasbord-backup.sqlite'])
		// An existing copy is not overwritten without --force.
		const again = runBackup(live.dataDir, target)
		expect(again.status).toBe(1)
		expect(again.stderr).toMatch(/exists; pass --force/)
		expect(runBackup(live.dataDir, target, '--force').status).toBe(0)

		// Made after the backup: not in the restored copy.
		const later = await client.createRoom('blanco', { title: 'Na de back-up' })

		// Restore as the README says: the copy as kompasbord.sqlite in an empty DATA_DIR.
		const restoredDir = await makeTempDir('kompasbord-restored-')
		cleanups.push(() => removeTempDir(restoredDir))
		await copyFile(target, path.join(restoredDir, 'kompasbord.sqlite'))
		const restored = await startServerInProcess({ dataDir: restoredDir })
		cleanups.push(() => restored.close())
		const restoredApi = api(restored.baseUrl)
		expect((await restoredApi.getRoom(first.roomId)).title).toBe('Back-up bord')
		expect((await restoredApi.getRoom(second.roomId)).title).toBe('Tweede bord')
		expect((await restoredApi.request('GET', `/api/rooms/${later.roomId}`)).status).toBe(404)
		expect((await restoredApi.join(first.joinCode)).roomId).toBe(first.roomId)
		const texts = await noteTexts(restored, first)
		expect(texts).toHaveLength(1)
		expect(texts[0]).toContain('Samen optrekken')
	})

	it('says what went wrong without a database or a target', () => {
		const missing = runBackup(path.join(repoRoot, 'no-such-data-dir'), path.join(repoRoot, '.tmp', 'never.sqlite'))
		expect(missing.status).toBe(1)
		expect(missing.stderr).toMatch(/no database at/)
		const usage = spawnSync('node', ['server/scripts/backup.mjs'], { cwd: repoRoot, encoding: 'utf8' })
		expect(usage.status).toBe(2)
		expect(usage.stderr).toMatch(/usage: npm run backup/)
	})
})
