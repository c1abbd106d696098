import { Type } from '@sinclair/typebox'
import Fastify, { type FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { compilePendingSchemas, lazySchemaController } from './lazy-schema-compilers'

/** A route with every kind of schema the app uses: params, querystring (coerced), body, and an answer. */
function appWith(lazy: boolean): FastifyInstance {
	const app = Fastify(lazy ? { schemaController: lazySchemaController() } : {})
	app.post(
		'/things/:id',
		{
			schema: {
				params: Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) }),
				querystring: Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1 })) }),
				body: Type.Object({ text: Type.String({ minLength: 1 }), tags: Type.Optional(Type.Array(Type.String())) }),
				response: { 200: Type.Object({ id: Type.String(), n: Type.Integer(), text: Type.String() }) },
			},
		},
		async (request) => {
			const { id } = request.params as { id: string }
			const { n = 1 } = request.query as { n?: number }
			return { id, n, text: (request.body as { text: string }).text, secret: 'left out by the serializer' }
		}
	)
	return app
}

const requests = [
	{ url: '/things/abc?n=3', payload: { text: 'hallo', tags: ['a'] } },
	{ url: '/things/abc', payload: { text: 'hallo' } },
	{ url: '/things/ABC', payload: { text: 'hallo' } },
	{ url: '/things/abc?n=zero', payload: { text: 'hallo' } },
	{ url: '/things/abc?n=0', payload: { text: 'hallo' } },
	{ url: '/things/abc', payload: { text: '' } },
	{ url: '/things/abc', payload: { tags: 'x' } },
	{ url: '/things/abc', payload: 'not json' },
]

describe('lazySchemaController', () => {
	it("answers every request as Fastify's own compilers do: validation, coercion, errors, serialization", async () => {
		const eager = appWith(false)
		const lazy = appWith(true)
		try {
			for (const request of requests) {
				const options = { method: 'POST' as const, ...request, headers: { 'content-type': 'application/json' } }
				const [expected, actual] = await Promise.all([eager.inject(options), lazy.inject(options)])
				expect({ status: actual.statusCode, body: actual.body }, request.url).toEqual({
					status: expected.statusCode,
					body: expected.body,
				})
			}
		} finally {
			await Promise.all([eager.close(), lazy.close()])
		}
	})

	it('compiles nothing until a request needs it, and compilePendingSchemas compiles the rest', async () => {
		const app = Fastify({ schemaController: lazySchemaController() })
		app.get(
			'/broken',
			{ schema: { querystring: { type: 'object', properties: { n: { type: 'no-such-type' } } } } },
			() => 'x'
		)
		await app.ready()
		expect(() => compilePendingSchemas()).toThrow(/no-such-type|schema is invalid/)
		await app.close()
	})

	it('refuses a headers schema, which Fastify lowercases only with its default compiler', async () => {
		const app = Fastify({ schemaController: lazySchemaController() })
		app.get('/h', { schema: { headers: Type.Object({ 'X-Thing': Type.String() }) } }, () => 'x')
		await expect(app.ready()).rejects.toThrow(/headers schema/)
	})
})
