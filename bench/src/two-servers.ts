/**
 * `node --import tsx bench/src/two-servers.ts [updates]`: fan-out latency with two servers on one PostgreSQL and
 * one Redis (DATABASE_URL + REDIS_URL). A y-websocket client on server A writes notes at 20 per second; a client on
 * A and a client on B time each note from the write to its arrival. Prints p50/p95/p99 for the same server and
 * across servers (commit to PostgreSQL, then the Redis bus). Needs the services of the cluster tests
 * (KOMPASBORD_TEST_POSTGRES_URL, KOMPASBORD_TEST_REDIS_URL).
 */
import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import { createTestDatabase } from '../../server/src/store/pg-test-database'
import { TEST_REDIS_URL, deleteRedisKeys, testRedisPrefix } from '../../tests/cluster/cluster-services'
import { api } from '../../tests/support/api'
import { startServerProcess } from '../../tests/support/server-process'
import { connectYClient, type YClient } from '../../tests/support/y-client'

const UPDATES = Number(process.argv[2] ?? 600)
const INTERVAL_MS = 50

function percentile(sorted: number[], p: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
}

function summary(name: string, samples: number[]): string {
	const sorted = [...samples].sort((a, b) => a - b)
	const f = (n: number) => n.toFixed(1).padStart(7)
	return `${name.padEnd(22)} n=${String(sorted.length).padStart(4)}  p50 ${f(percentile(sorted, 50))} ms  p95 ${f(percentile(sorted, 95))} ms  p99 ${f(percentile(sorted, 99))} ms  max ${f(sorted[sorted.length - 1])} ms`
}

/** Times each note from its write (`sentAt` by id) to its arrival in `y`. */
function timeArrivals(y: YClient, sentAt: Map<string, number>, out: number[]): void {
	y.doc.getMap<unknown>(RECORDS_MAP).observe((event) => {
		const now = performance.now()
		for (const key of event.keysChanged) {
			const t = sentAt.get(key)
			if (t !== undefined) out.push(now - t)
		}
	})
}

async function main(): Promise<void> {
	const database = await createTestDatabase()
	const prefix = testRedisPrefix()
	const env = {
		DATABASE_URL: database.url,
		REDIS_URL: TEST_REDIS_URL,
		REDIS_KEY_PREFIX: prefix,
		PARTICIPANT_TOKEN_SECRET: `bench-two-servers-secret-${prefix}`,
		LOG_LEVEL: 'warn',
	}
	const [a, b] = await Promise.all([startServerProcess({ env }), startServerProcess({ env })])
	const clients: YClient[] = []
	try {
		const room = await api(a.baseUrl).createRoom('dos-en-donts')
		const open = async (url: string) => {
			const y = connectYClient(url, room.roomId, { key: room.facilitatorKey })
			clients.push(y)
			await y.waitForSync()
			return y
		}
		const writer = await open(a.wsUrl)
		const sameServer = await open(a.wsUrl)
		const otherServer = await open(b.wsUrl)
		const sentAt = new Map<string, number>()
		const same: number[] = []
		const across: number[] = []
		timeArrivals(sameServer, sentAt, same)
		timeArrivals(otherServer, sentAt, across)
		const records = writer.doc.getMap<unknown>(RECORDS_MAP)
		for (let i = 0; i < UPDATES; i++) {
			const id = `shape:bench-${i}`
			sentAt.set(id, performance.now())
			records.set(id, noteShapeRecord({ id, parentId: PAGE_ID, index: 'a1', x: i, y: 0, text: `n${i}`, scale: 1 }))
			await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS))
		}
		const deadline = Date.now() + 10_000
		while ((same.length < UPDATES || across.length < UPDATES) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100))
		}
		console.log(`${UPDATES} notes written on server A at ${1000 / INTERVAL_MS}/s`)
		console.log(summary('same server (A → A)', same))
		console.log(summary('across servers (A → B)', across))
	} finally {
		for (const y of clients) y.destroy()
		await Promise.all([a.stop(), b.stop()])
		await database.drop()
		await deleteRedisKeys(prefix)
	}
}

await main()
