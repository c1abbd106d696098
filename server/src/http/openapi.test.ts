import swagger from '@fastify/swagger'
import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { contractRoute } from './contract-route'
import { SWAGGER_OPTIONS, openApiPlugin } from './openapi'

/** Routes of every kind the document shows: params, query, body, answers, several methods, no schema, hidden. */
async function addRoutes(app: FastifyInstance): Promise<void> {
	const handler = async () => ({ ok: true })
	app.get('/plain', handler)
	await app.register(
		async (scope) => {
			scope.get(
				'/things/:id',
				{
					schema: {
						operationId: 'getThing',
						params: Type.Object({ id: Type.String() }),
						querystring: Type.Object({ n: Type.Optional(Type.Integer()) }),
						response: { 200: Type.Object({ id: Type.String() }), 404: Type.Object({ error: Type.String() }) },
					},
				},
				handler
			)
			scope.route({
				method: ['PUT', 'PATCH'],
				url: '/things/:id',
				schema: { body: Type.Object({ text: Type.String({ maxLength: 10 }) }), security: [{ facilitatorKey: [] }] },
				handler,
			})
			scope.post('/hidden', { schema: { hide: true, body: Type.Object({ x: Type.Number() }) } }, handler)
		},
		{ prefix: '/api/v' }
	)
}

describe('openApiPlugin', () => {
	it('serves on first request the document @fastify/swagger makes when registered with the routes', async () => {
		const eager = Fastify()
		await eager.register(swagger, SWAGGER_OPTIONS)
		eager.route({ ...contractRoute('openApi'), handler: async () => eager.swagger() })
		await addRoutes(eager)
		await eager.ready()
		const lazy = Fastify()
		await lazy.register(openApiPlugin)
		await addRoutes(lazy)
		try {
			const answer = await lazy.inject({ method: 'GET', url: '/api/openapi.json' })
			expect(answer.statusCode).toBe(200)
			const expected = JSON.parse(JSON.stringify(eager.swagger()))
			expect(Object.keys(expected.paths)).toEqual(['/api/openapi.json', '/plain', '/api/v/things/{id}'])
			expect(answer.json()).toEqual(expected)
			expect(lazy.apiRoutes).toEqual([
				'GET /api/openapi.json',
				'GET /api/v/things/:id',
				'PUT /api/v/things/:id',
				'PATCH /api/v/things/:id',
				'POST /api/v/hidden',
			])
		} finally {
			await Promise.all([eager.close(), lazy.close()])
		}
	})
})
