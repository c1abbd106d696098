import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SESSION_MAP } from '@kompasbord/shared'
import { api } from './support/api'
import { startServerInProcess, type InProcessServer } from './support/server-in-process'
import { waitFor } from './support/wait-for'
import { connectYClient, type YClient } from './support/y-client'

const TOKEN = 'metrics-token-for-tests-0123456789'

/** One sample of the Prometheus text format. */
interface Sample {
	name: string
	labels: Record<string, string>
	value: number
}

/** A metric family: its TYPE, HELP and samples. */
interface Family {
	type: string
	help: string
	samples: Sample[]
}

/**
 * Parses the Prometheus text exposition format (version 0.0.4) strictly: every line is a `# HELP`, a `# TYPE`
 * or a sample of a family declared before it; anything else throws.
 */
function parsePrometheus(text: string): Map<string, Family> {
	const families = new Map<string, Family>()
	const familyOf = (sample: string): Family | undefined => {
		for (const suffix of ['', '_bucket', '_sum', '_count', '_total']) {
			if (sample.endsWith(suffix)) {
				const family = families.get(sample.slice(0, sample.length - suffix.length))
				if (family) return family
			}
		}
		return undefined
	}
	for (const line of text.split('\n')) {
		if (line === '') continue
		const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
		if (meta) {
			const family = families.get(meta[2]) ?? { type: '', help: '', samples: [] }
			families.set(meta[2], family)
			if (meta[1] === 'TYPE') {
				expect(['counter', 'gauge', 'histogram', 'summary', 'untyped']).toContain(meta[3])
				family.type = meta[3]
			} else family.help = meta[3]
			continue
		}
		const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|[Nn]a[Nn]|\+Inf|-Inf)$/.exec(line)
		if (!sample) throw new Error(`not a Prometheus line: ${line}`)
		const labels: Record<string, string> = {}
		for (const pair of (sample[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
			labels[pair[1]] = pair[2]
		const family = familyOf(sample[1])
		if (!family) throw new Error(`sample of an undeclared metric: ${line}`)
		family.samples.push({ name: sample[1], labels, value: Number(sample[3]) })
	}
	return families
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number | undefined {
	for (const family of families.values()) {
		for (const s of family.samples) {
			if (s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)) return s.value
		}
	}
	return undefined
}

let server: InProcessServer
const yClients: YClient[] = []

async function scrape(): Promise<Map<string, Family>> {
	const res = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
	expect(res.status).toBe(200)
	expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
	return parsePrometheus(await res.text())
}

beforeAll(async () => {
	server = await startServerInProcess({ env: { METRICS_TOKEN: TOKEN } })
})

afterAll(async () => {
	for (const y of yClients) y.destroy()
	await server?.close()
})

describe('GET /metrics', () => {
	it('answers 401 without the token or with a wrong one', async () => {
		expect((await fetch(`${server.baseUrl}/metrics`)).status).toBe(401)
		const wrong = await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: 'Bearer nope' } })
		expect(wrong.status).toBe(401)
		expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
	})

	it('does not exist without METRICS_TOKEN', async () => {
		const bare = await startServerInProcess()
		try {
			const res = await fetch(`${bare.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
			expect(res.status).toBe(404)
		} finally {
			await bare.close()
		}
	})

	it('reports connections, rooms, commits, refused changes, rate limits and event-loop lag in the text format', async () => {
		const before = await scrape()
		for (const name of [
			'kompasbord_websocket_connections',
			'kompasbord_loaded_rooms',
			'kompasbord_updates_committed_total',
			'kompasbord_commit_duration_seconds',
			'kompasbord_power_safe_duration_seconds',
			'kompasbord_power_safe_lag_seconds',
			'kompasbord_rejected_changes_total',
			'kompasbord_rate_limited_requests_total',
			'nodejs_eventloop_lag_seconds',
		]) {
			expect(before.get(name)?.help, name).toBeTruthy()
		}
		expect(before.get('kompasbord_commit_duration_seconds')?.type).toBe('histogram')
		expect(before.get('kompasbord_updates_committed_total')?.type).toBe('counter')
		expect(value(before, 'kompasbord_websocket_connections')).toBe(0)
		expect(value(before, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
		const committedBefore = value(before, 'kompasbord_updates_committed_total') ?? 0

		const client = api(server.baseUrl)
		const room = await client.createRoom('blanco')
		const y = connectYClient(server.wsUrl, room.roomId, {
			participantToken: (await client.joinRoom(room.joinCode)).participantToken,
		})
		yClients.push(y)
		await y.waitForSync()
		// A participant writing the server's session map: refused ('server-owned') and reverted.
		y.doc.getMap(SESSION_MAP).set('phase', 'closed')
		await waitFor(() => y.doc.getMap(SESSION_MAP).get('phase') !== 'closed')
		// Unknown join codes from one address until the limiter answers 429.
		let limited = false
		for (let i = 0; i < 40 && !limited; i++) {
			limited = (await client.request('GET', `/api/join/ZZZZ${String(i).padStart(2, '0')}`)).status === 429
		}
		expect(limited).toBe(true)

		const after = await waitFor(async () => {
			const families = await scrape()
			return (value(families, 'kompasbord_rejected_changes_total', { reason: 'server-owned' }) ?? 0) >= 1
				? families
				: null
		})
		expect(value(after, 'kompasbord_websocket_connections')).toBe(1)
		expect(value(after, 'kompasbord_loaded_rooms')).toBe(1)
		// The revert is a room update the server committed.
		expect(value(after, 'kompasbord_updates_committed_total')).toBeGreaterThan(committedBefore)
		expect(
			value(after, 'kompasbord_rate_limited_requests_total', { route: '/api/join/:joinCode' })
		).toBeGreaterThanOrEqual(1)
		// Histogram: cumulative buckets ending in +Inf, which equals the count.
		const buckets =
			after.get('kompasbord_commit_duration_seconds')?.samples.filter((s) => s.name.endsWith('_bucket')) ?? []
		expect(buckets.at(-1)?.labels.le).toBe('+Inf')
		for (let i = 1; i < buckets.length; i++) expect(buckets[i].value).toBeGreaterThanOrEqual(buckets[i - 1].value)
		expect(buckets.at(-1)?.value).toBe(value(after, 'kompasbord_commit_duration_seconds_count'))
		expect(value(after, 'kompasbord_commit_duration_seconds_count')).toBe(
			value(after, 'kompasbord_updates_committed_total')
		)
		// DURABILITY=crash (default): every committed update is fsync'd shortly after, and reported then.
		const synced = await waitFor(async () => {
			const families = await scrape()
			return value(families, 'kompasbord_power_safe_duration_seconds_count') ===
				value(families, 'kompasbord_updates_committed_total')
				? families
				: null
		})
		expect(value(synced, 'kompasbord_power_safe_lag_seconds')).toBe(0)
	})
})

describe('GET /api/health', () => {
	it('reports the store and the commit thread', async () => {
		const res = await fetch(`${server.baseUrl}/api/health`)
		expect(res.status).toBe(200)
		expect(await res.json()).toEqual({
			status: 'ok',
			checks: { store: { ok: true }, commitThread: { ok: true }, powerSafe: { ok: true } },
		})
	})

	it('answers 503 once the store cannot write', async () => {
		const other = await startServerInProcess()
		try {
			await other.app.store.close()
			const res = await fetch(`${other.baseUrl}/api/health`)
			expect(res.status).toBe(503)
			const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> }
			expect(body.status).toBe('failing')
			expect(body.checks.store).toEqual({ ok: false, error: 'the database is closed' })
			expect(body.checks.commitThread.ok).toBe(false)
		} finally {
			await other.close()
		}
	})
})
