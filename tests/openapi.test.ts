import { ROUTE_LINES } from '@kompasbord/shared/contract/route-lines'
import { callApi } from '@kompasbord/shared/contract/api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compilePendingSchemas } from '../server/src/http/lazy-schema-compilers'
import { type InProcessServer, startServerInProcess } from './support/server-in-process'

/** `/api/rooms/:roomId` → `/api/rooms/{roomId}`, as OpenAPI writes paths. */
const openApiPath = (url: string) => url.replace(/:([A-Za-z]+)/g, '{$1}')

describe('GET /api/openapi.json', () => {
	let server: InProcessServer
	let doc: {
		openapi: string
		paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>
	}

	beforeAll(async () => {
		server = await startServerInProcess()
		const result = await callApi('openApi', {}, { baseUrl: server.baseUrl })
		if (!result.ok) throw new Error(`openapi.json answered ${result.kind === 'http' ? result.status : result.message}`)
		doc = result.data as typeof doc
	})
	afterAll(() => server?.close())

	it("compiles every route's schemas (compiled on each route's first request otherwise)", () => {
		expect(() => compilePendingSchemas()).not.toThrow()
	})

	it('lists every route the server registered under /api, with its answers', () => {
		expect(doc.openapi).toMatch(/^3\./)
		expect(server.app.apiRoutes.length).toBeGreaterThanOrEqual(Object.keys(ROUTE_LINES).length)
		for (const line of server.app.apiRoutes) {
			const [method, url] = line.split(' ')
			const operation = doc.paths[openApiPath(url)]?.[method.toLowerCase()]
			expect(operation, `${line} in the OpenAPI document`).toBeDefined()
			expect(Object.keys(operation.responses ?? {}).length, `${line} has answers`).toBeGreaterThan(0)
		}
	})

	it('lists exactly the routes of the contract, each under its name', () => {
		const registered = new Set(server.app.apiRoutes)
		for (const [name, line] of Object.entries(ROUTE_LINES)) {
			expect(registered.has(line), `${line} is registered`).toBe(true)
			const [method, url] = line.split(' ')
			expect(doc.paths[openApiPath(url)]?.[method.toLowerCase()]?.operationId).toBe(name)
		}
		expect([...registered].sort()).toEqual(Object.values(ROUTE_LINES).sort())
	})
})
