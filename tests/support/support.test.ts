import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { isForeignUrl, launchBrowser, newUserContext } from './browser'
import { startServerProcess } from './server-process'
import { waitFor } from './wait-for'

const fixture = path.join(import.meta.dirname, 'fixtures', 'fixture-server.ts')

interface FixtureState {
	pid: number
	dataDir: string
	env: string | null
	files: number
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0)
		return true
	} catch {
		return false
	}
}

async function state(baseUrl: string, method = 'GET', pathname = '/'): Promise<FixtureState> {
	const response = await fetch(`${baseUrl}${pathname}`, { method })
	return (await response.json()) as FixtureState
}

describe('waitFor', () => {
	it('returns the first truthy value of the predicate', async () => {
		let calls = 0
		const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : null), { interval: 1 })
		expect(value).toBe('after 3')
	})

	it('fails with the message and the last error once the timeout passes', async () => {
		await expect(
			waitFor(
				() => {
					throw new Error('not yet')
				},
				{ timeout: 50, interval: 5, message: 'the impossible' }
			)
		).rejects.toThrow(/the impossible not met within 50 ms \(last error: not yet\)/)
	})
})

describe('isForeignUrl', () => {
	it('allows only the server host and local schemes', () => {
		const host = '127.0.0.1:4321'
		expect(isForeignUrl('http://127.0.0.1:4321/b/abc', host)).toBe(false)
		expect(isForeignUrl('ws://127.0.0.1:4321/ws/abc', host)).toBe(false)
		expect(isForeignUrl('data:image/png;base64,AAAA', host)).toBe(false)
		expect(isForeignUrl('blob:http://127.0.0.1:4321/1234', host)).toBe(false)
		expect(isForeignUrl('http://127.0.0.1:4322/', host)).toBe(true)
		expect(isForeignUrl('http://localhost:4321/', host)).toBe(true)
		expect(isForeignUrl('https://cdn.tldraw.com/4.0/fonts/x.woff2', host)).toBe(true)
		expect(isForeignUrl('wss://example.org/ws', host)).toBe(true)
	})
})

describe('startServerProcess', () => {
	it('reads the port from the ready line, survives kill -9 with its DATA_DIR, and cleans up on stop', async () => {
		const server = await startServerProcess({ entry: fixture, env: { FIXTURE_VALUE: 'one' } })
		const first = await state(server.baseUrl, 'POST', '/write')
		expect(first).toMatchObject({ dataDir: server.dataDir, env: 'one', files: 1 })
		expect(server.process.pid).toBe(first.pid)
		expect(server.wsUrl).toBe(`ws://127.0.0.1:${server.port}/ws`)
		expect(server.output()).toContain('[stderr] fixture: a line on stderr')

		const killed = await server.kill9()
		expect(killed.signal).toBe('SIGKILL')
		await expect(fetch(server.baseUrl)).rejects.toThrow()

		const port = server.port
		await server.restart({ env: { FIXTURE_VALUE: 'two' } })
		expect(server.port).toBe(port)
		const second = await state(server.baseUrl)
		expect(second.pid).not.toBe(first.pid)
		expect(second).toMatchObject({ dataDir: server.dataDir, env: 'two', files: 1 })

		const stopped = await server.stop()
		expect(stopped.code).toBe(0)
		expect(existsSync(server.dataDir)).toBe(false)
	})

	it('stops a server by itself and removes its temp DATA_DIR when the test process is killed', async () => {
		const parent = spawn(
			process.execPath,
			['--import', 'tsx', path.join(import.meta.dirname, 'fixtures', 'orphan-parent.ts')],
			{
				stdio: ['ignore', 'pipe', 'inherit'],
			}
		)
		const [line] = (await once(createInterface({ input: parent.stdout! }), 'line')) as [string]
		const [pid, dataDir] = line.split(' ')
		const serverPid = Number(pid)
		expect(isAlive(serverPid)).toBe(true)
		expect(existsSync(dataDir!)).toBe(true)
		parent.kill('SIGKILL')
		await waitFor(() => !isAlive(serverPid), { timeout: 15_000, message: 'the orphaned server to stop' })
		expect(existsSync(dataDir!)).toBe(false)
	})

	it('rejects with the server output when the server exits before listening', async () => {
		await expect(startServerProcess({ entry: fixture, env: { FIXTURE_FAIL: '1' } })).rejects.toThrow(
			/exited with code 3 before listening[\s\S]*configured to fail/
		)
	})
})

describe('newUserContext', () => {
	let browser: Browser
	let site: Server
	let siteUrl: string

	beforeAll(async () => {
		site = createServer((_request, response) => {
			response.setHeader('content-type', 'text/html')
			response.end(
				'<!doctype html><title>t</title><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">' +
					'<script>fetch("/local.json").catch(() => {}); fetch("http://foreign.invalid/track").catch(() => {})</script>'
			)
		})
		await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve))
		siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`
		browser = await launchBrowser()
	})

	afterAll(async () => {
		await browser?.close()
		await new Promise((resolve) => site?.close(resolve))
	})

	it('records every request and singles out the ones to another host', async () => {
		const user = await newUserContext(browser, { serverUrl: siteUrl })
		try {
			const page = await user.newPage()
			await page.goto(`${siteUrl}/`)
			await waitFor(() => user.requests().some((url) => url.includes('foreign.invalid')), {
				message: 'the page to request the foreign host',
			})
			await waitFor(() => user.requests().some((url) => url.endsWith('/local.json')))
			expect(user.foreignRequests()).toEqual(['http://foreign.invalid/track'])
		} finally {
			await user.close()
		}
	})
})
