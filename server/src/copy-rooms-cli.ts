/**
 * `npm run copy-rooms -- --from <DATA_DIR | postgres://…> --to <postgres://… | DATA_DIR> [--room <roomId>]…`
 * Copies rooms between a venue laptop's SQLite store and a central PostgreSQL one (see copy-rooms.ts). Prints one
 * line per room; exits 1 when a room could not be copied.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { copyRooms, openStore } from './copy-rooms'

const USAGE =
	'usage: npm run copy-rooms -- --from <DATA_DIR | postgres://…> --to <postgres://… | DATA_DIR> [--room <id>]…'

async function main(): Promise<number> {
	let values: { from?: string; to?: string; room?: string[] }
	try {
		;({ values } = parseArgs({
			options: { from: { type: 'string' }, to: { type: 'string' }, room: { type: 'string', multiple: true } },
		}))
	} catch (error) {
		console.error(`${(error as Error).message}\n${USAGE}`)
		return 2
	}
	if (!values.from || !values.to) {
		console.error(USAGE)
		return 2
	}
	const resolve = (location: string) => (/^postgres(ql)?:\/\//.test(location) ? location : path.resolve(location))
	if (resolve(values.from) === resolve(values.to)) {
		console.error('--from and --to are the same store')
		return 2
	}
	const from = await openStore(resolve(values.from))
	const to = await openStore(resolve(values.to)).catch(async (error) => {
		await from.close()
		throw error
	})
	try {
		const results = await copyRooms(from, to, values.room)
		for (const r of results) {
			if (r.error) console.error(`${r.roomId}: not copied: ${r.error}`)
			else console.log(`${r.roomId}: copied (${r.notes} notes, ${r.votes} dots, ${r.hiddenNotes} hidden notes)`)
		}
		const failed = results.filter((r) => r.error).length
		console.log(`${results.length - failed} rooms copied${failed ? `, ${failed} not` : ''}`)
		return failed ? 1 : 0
	} finally {
		await Promise.all([from.close(), to.close()])
	}
}

main().then(
	(code) => {
		process.exitCode = code
	},
	(error) => {
		console.error(error instanceof Error ? error.message : error)
		process.exitCode = 1
	}
)
