import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ROUTES, type Routes } from '@kompasbord/shared/contract/routes'
import type { RouteName } from '@kompasbord/shared/contract/route-lines'
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import fp from 'fastify-plugin'

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

/** The name of the plugin that serves the OpenAPI document; every route plugin depends on it. */
export const OPENAPI_PLUGIN = 'kompasbord-openapi'

/**
 * A plugin of routes: named, encapsulated (its hooks and parsers stay its own), and declaring what it needs —
 * the plugins that must be registered before it (`dependencies`, by name) and the app's decorations it reads
 * (`decorators`). Fastify checks both when the plugin is registered, so a wrong order in `buildApp` fails at
 * start instead of at the first request. Every route plugin depends on the OpenAPI plugin, which must see each
 * route as it is added.
 */
export function routePlugin(
	name: string,
	needs: { dependencies?: string[]; decorators?: (keyof FastifyInstance)[] },
	plugin: FastifyPluginAsync
): FastifyPluginAsync {
	return fp(plugin, {
		name,
		encapsulate: true,
		dependencies: [OPENAPI_PLUGIN, ...(needs.dependencies ?? [])],
		decorators: { fastify: (needs.decorators ?? []) as string[] },
	})
}
