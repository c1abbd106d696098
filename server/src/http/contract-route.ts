import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ROUTES, type Routes } from '@kompasbord/shared/contract/routes'
import type { RouteName } from '@kompasbord/shared/contract/route-lines'
import type { FastifyInstance } from 'fastify'

/** The app typed through the TypeBox type provider, so handlers see the schemas' types. */
export function typed(app: FastifyInstance) {
	return app.withTypeProvider<TypeBoxTypeProvider>()
}

/**
 * The method, URL and schemas of a contract route (`@kompasbord/shared/contract/routes`), to spread into
 * `typed(app).route({ ...contractRoute('getRoom'), handler })`: every route the server registers takes its
 * parameters, query, body and answers (each status) from the one route table, and the OpenAPI document lists it.
 */
export function contractRoute<N extends RouteName>(name: N): Pick<Routes[N], 'method' | 'url' | 'schema'> {
	const { method, url, schema } = ROUTES[name]
	return { method, url, schema }
}
