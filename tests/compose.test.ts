/**
 * docker-compose.yml as Compose itself reads it: `docker-compose config` (Compose v1, Debian's package) or
 * `docker compose config` (v2) resolves every profile, and the services each profile starts are what the README
 * promises — the single server alone, Caddy in front of it (https), and the scale profile's PostgreSQL 16, Redis 7,
 * two replicas on them with one token secret, and a round-robin balancer with WebSockets and health checks. No
 * Docker engine is needed (nothing is built or started). Skipped, with the reason, where Compose is not installed.
 */
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { repoRoot } from './support/paths'

const run = promisify(execFile)

interface ComposeService {
	image?: string
	build?: unknown
	profiles?: string[]
	environment?: Record<string, string>
	depends_on?: Record<string, { condition: string }>
	healthcheck?: { test: string[] | string }
	ports?: unknown[]
	volumes?: string[]
}
interface ComposeFile {
	services: Record<string, ComposeService>
	volumes?: Record<string, unknown>
}

/** The Compose command found here (v2 plugin or v1 binary), or why there is none. */
async function findCompose(): Promise<{ command: string[] } | { missing: string }> {
	for (const command of [['docker', 'compose'], ['docker-compose']]) {
		try {
			await run(command[0], [...command.slice(1), 'version'], { timeout: 20_000 })
			return { command }
		} catch {
			// try the next one
		}
	}
	return { missing: 'neither `docker compose` nor `docker-compose` is installed (apt-get install docker-compose)' }
}

const compose = await findCompose()
if ('missing' in compose) console.warn(`[kompasbord] compose tests skipped: ${compose.missing}`)

const SECRET = 'a'.repeat(64)

/** `config` of one profile (or none), parsed; the env is a filled-in .env as an operator would have it. */
async function resolved(profile?: string): Promise<ComposeFile> {
	if (!('command' in compose)) throw new Error('no compose')
	const [bin, ...pre] = compose.command
	const args = [...pre, ...(profile ? ['--profile', profile] : []), 'config']
	const { stdout } = await run(bin, args, {
		cwd: repoRoot,
		timeout: 60_000,
		env: {
			...process.env,
			// Compose reads .env of the project folder when there is one; the variables here win over it.
			PARTICIPANT_TOKEN_SECRET: SECRET,
			POSTGRES_PASSWORD: 'geheim',
			PUBLIC_URL: 'https://kompasbord.example.nl',
			TRUST_PROXY: '1',
		},
	})
	return parse(stdout) as ComposeFile
}

/** The services a profile starts: those without a profile plus the profile's own. */
function started(file: ComposeFile, profile?: string): string[] {
	return Object.entries(file.services)
		.filter(([, service]) => !service.profiles || (profile !== undefined && service.profiles.includes(profile)))
		.map(([name]) => name)
		.sort()
}

function healthTest(service: ComposeService): string {
	const test = service.healthcheck?.test
	return Array.isArray(test) ? test.join(' ') : (test ?? '')
}

describe.skipIf('missing' in compose)('docker-compose.yml', () => {
	it('starts the single SQLite server alone by default, with a health check and its data volume', async () => {
		const file = await resolved()
		expect(started(file)).toEqual(['kompasbord'])
		const server = file.services.kompasbord
		expect(server.build).toBeDefined()
		expect(server.environment?.DATA_DIR).toBe('/data')
		expect(server.environment?.DATABASE_URL).toBeUndefined()
		expect(server.volumes?.some((v) => v.startsWith('kompasbord-data:/data'))).toBe(true)
		expect(healthTest(server)).toContain('/api/health')
	})

	it('puts Caddy in front of it with the https profile', async () => {
		const file = await resolved('https')
		expect(started(file, 'https')).toEqual(['caddy', 'kompasbord'])
		const caddy = file.services.caddy
		expect(caddy.image).toMatch(/^caddy:2/)
		expect(caddy.volumes?.some((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))).toBe(true)
		// .env's TRUST_PROXY reaches the server behind Caddy (else every phone counts as Caddy's one address).
		expect(file.services.kompasbord.environment?.TRUST_PROXY).toBe('1')
	})

	it('runs PostgreSQL 16, Redis 7, two replicas on them and a round-robin balancer with the scale profile', async () => {
		const file = await resolved('scale')
		const scale = started(file, 'scale').filter((name) => name !== 'kompasbord')
		expect(scale).toEqual(['balancer', 'kompasbord-a', 'kompasbord-b', 'postgres', 'redis'])

		expect(file.services.postgres.image).toMatch(/^postgres:16/)
		expect(file.services.redis.image).toMatch(/^redis:7/)
		expect(file.services.postgres.volumes?.some((v) => v.includes(':/var/lib/postgresql/data'))).toBe(true)
		for (const name of ['postgres', 'redis', 'kompasbord-a', 'kompasbord-b', 'balancer'])
			expect(healthTest(file.services[name]), name).not.toBe('')

		const replicas = ['kompasbord-a', 'kompasbord-b'].map((name) => file.services[name])
		for (const replica of replicas) {
			const env = replica.environment ?? {}
			expect(new URL(env.DATABASE_URL).hostname).toBe('postgres')
			expect(new URL(env.DATABASE_URL).password).toBe('geheim')
			expect(new URL(env.REDIS_URL).hostname).toBe('redis')
			// One secret for all: a participant's token from one replica is good on the other.
			expect(env.PARTICIPANT_TOKEN_SECRET).toBe(SECRET)
			expect(replica.depends_on?.postgres?.condition).toBe('service_healthy')
			expect(replica.depends_on?.redis?.condition).toBe('service_healthy')
			// The replicas are reached through the balancer only.
			expect(replica.ports ?? []).toEqual([])
		}

		const balancer = file.services.balancer
		expect(balancer.ports?.length).toBeGreaterThan(0)
		const mount = balancer.volumes?.find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))
		expect(mount).toBeDefined()
		const caddyfile = (await readFile(path.resolve(repoRoot, (mount as string).split(':')[0]), 'utf8'))
			.split('\n')
			.filter((line) => !line.trim().startsWith('#'))
			.join('\n')
		const proxy = caddyfile.match(/reverse_proxy\s+([^{]+)\{([^}]*)\}/)
		expect(proxy, 'a reverse_proxy block').not.toBeNull()
		const upstreams = (proxy?.[1] ?? '').trim().split(/\s+/).sort()
		expect(upstreams).toEqual(['kompasbord-a:8080', 'kompasbord-b:8080'])
		const options = proxy?.[2] ?? ''
		expect(options).toMatch(/lb_policy\s+round_robin/)
		// No sticky sessions: any replica serves any board.
		expect(options).not.toMatch(/cookie|ip_hash|client_ip/)
		expect(options).toMatch(/health_uri\s+\/api\/health/)
	})
})
