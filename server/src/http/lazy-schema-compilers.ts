import { createRequire } from 'node:module'
import type { FastifyServerOptions } from 'fastify'
import { requirePackage, withoutSourceMaps } from '../require-package'

/**
 * Fastify's own schema compilers — Ajv for requests, fast-json-stringify for responses — compiling each route's
 * schema on the first request that needs it instead of at start-up (without the source maps of the packages they
 * load as they go, see require-package.ts). Fastify compiles every route's validators and
 * serializers while the routes are registered: code and source text of some 110 generated functions, and Ajv with
 * its formats loaded, for routes an idle server may never answer. The compilers, their options and so validation,
 * coercion, error answers and serialization are Fastify's defaults (`@fastify/ajv-compiler`,
 * `@fastify/fast-json-stringify-compiler`, resolved from Fastify's own dependencies); only when they run moves. A
 * schema that does not compile therefore fails its route's first request instead of the start-up:
 * {@link compilePendingSchemas} compiles every one, for the test that checks them all.
 *
 * Fastify treats a compiler from `compilersFactory` as custom, and hands a custom compiler a route's `headers`
 * schema without lowercasing its property names; no route has one, and registering one fails here (Fastify would
 * lowercase it only with its default compiler).
 *
 * @packageDocumentation
 */

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>
/** What Fastify hands a compiler for one schema of a route. */
interface RouteSchema {
	schema: unknown
	method: string
	url: string
	httpPart?: string
	httpStatus?: string
	contentType?: string
}
type Validate = ((data: unknown) => unknown) & { errors?: unknown }
type Serialize = (data: unknown) => string
type BuildValidator = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Validate
type BuildSerializer = (externalSchemas: unknown, options: unknown) => (route: RouteSchema) => Serialize

/** Compilations registered and not run yet (see {@link compilePendingSchemas}). */
const pending = new Set<() => void>()

/** Fastify's dependencies, where its default compilers are resolved from. */
function fastifyFile(): string {
	return createRequire(import.meta.url).resolve('fastify')
}

let defaultValidatorBuilder: BuildValidator | undefined
let defaultSerializerBuilder: BuildSerializer | undefined

/** Fastify's default validator builder (`@fastify/ajv-compiler`), loaded on first use. */
function validatorBuilder(): BuildValidator {
	defaultValidatorBuilder ??= requirePackage<() => BuildValidator>('@fastify/ajv-compiler', fastifyFile())()
	return defaultValidatorBuilder
}

/** Fastify's default serializer builder (`@fastify/fast-json-stringify-compiler`), loaded on first use. */
function serializerBuilder(): BuildSerializer {
	defaultSerializerBuilder ??= requirePackage<() => BuildSerializer>(
		'@fastify/fast-json-stringify-compiler',
		fastifyFile()
	)()
	return defaultSerializerBuilder
}

/** `compile()` on the first call of the returned function (and by {@link compilePendingSchemas}). */
function onFirstCall<F>(compile: () => F): () => F {
	let compiled: F | undefined
	const get = (): F => {
		if (compiled === undefined) {
			compiled = compile()
			pending.delete(run)
		}
		return compiled
	}
	const run = (): void => {
		get()
	}
	pending.add(run)
	return get
}

const buildValidator: BuildValidator = (externalSchemas, ajvOptions) => {
	let compiler: ReturnType<BuildValidator> | undefined
	const base = () => {
		compiler ??= validatorBuilder()(externalSchemas, ajvOptions)
		return compiler
	}
	return (route) => {
		if (route.httpPart === 'headers') {
			throw new Error(
				`${route.method} ${route.url}: a headers schema needs Fastify's default compiler (lowercased names)`
			)
		}
		const compiled = onFirstCall(() => withoutSourceMaps(() => base()(route)))
		// Fastify reads `errors` off the function it called, as Ajv leaves them on the compiled one.
		const validate: Validate = (data) => {
			const fn = compiled()
			const result = fn(data)
			validate.errors = fn.errors
			return result
		}
		return validate
	}
}

const buildSerializer: BuildSerializer = (externalSchemas, serializerOptions) => {
	let compiler: ReturnType<BuildSerializer> | undefined
	const base = () => {
		compiler ??= serializerBuilder()(externalSchemas, serializerOptions)
		return compiler
	}
	return (route) => {
		const compiled = onFirstCall(() => withoutSourceMaps(() => base()(route)))
		return (data: unknown) => compiled()(data)
	}
}

/** The `schemaController` option that makes Fastify compile route schemas on first use. */
export function lazySchemaController(): SchemaController {
	// Fastify's option types name Ajv's compiled function (with its schema and environment); Fastify only calls it
	// and reads `errors`, as it does ours.
	return { compilersFactory: { buildValidator, buildSerializer } } as unknown as SchemaController
}

/** Compiles every route schema not compiled yet; throws what the first failing one throws. */
export function compilePendingSchemas(): void {
	for (const run of [...pending]) run()
}
