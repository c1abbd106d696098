import fs from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { api, makeTempDir, removeTempDir, startServerInProcess, type InProcessServer } from '../support'

/**
 * Security headers (issue 11, item 8) on every page the server sends — the board app, the phone page — on
 * static assets, and on API answers. The pages come from a small client build of our own, so the test does
 * not depend on Vite.
 */
describe('security headers', () => {
	let server: InProcessServer
	let dist: string
	let roomId: string

	beforeAll(async () => {
		dist = await makeTempDir('kompasbord-dist-')
		await fs.mkdir(path.join(dist, 'assets'))
		await fs.writeFile(path.join(dist, 'index.html'), '<!doctype html><title>board</title>')
		await fs.writeFile(path.join(dist, 'phone.html'), '<!doctype html><title>phone</title>')
		await fs.writeFile(path.join(dist, 'assets', 'app-1234.js'), 'console.log(1)')
		server = await startServerInProcess({ env: { CLIENT_DIST_DIR: dist } })
		roomId = (await api(server.baseUrl).createRoom('blanco')).roomId
	})
	afterAll(async () => {
		await server?.close()
		if (dist) await removeTempDir(dist)
	})

	it.each([
		['/', 'board'],
		['/b/ROOM', 'board'],
		['/j/ROOM', 'phone'],
		['/j', 'phone'],
		['/assets/app-1234.js', 'console'],
		['/api/health', 'ok'],
		['/api/nothing-here', 'not_found'],
	])('%s carries CSP with frame-ancestors, nosniff and a referrer policy', async (route, content) => {
		const response = await fetch(`${server.baseUrl}${route.replace('ROOM', roomId)}`)
		expect(await response.text()).toContain(content)
		const csp = response.headers.get('content-security-policy') ?? ''
		expect(csp).toMatch(/frame-ancestors 'none'/)
		expect(csp).toMatch(/default-src 'self'/)
		expect(csp).toMatch(/script-src 'self'(;|$)/)
		expect(response.headers.get('x-content-type-options')).toBe('nosniff')
		expect(response.headers.get('referrer-policy')).toBe('no-referrer')
	})
})
