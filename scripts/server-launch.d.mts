/** Environment the server gets unless the operator set these variables (`MALLOC_ARENA_MAX=2`). */
export declare const SERVER_ENV_DEFAULTS: Readonly<Record<string, string>>

/** Node flags the server always runs with (`--no-memory-reducer --single-threaded-gc`; the Dockerfile's `CMD` has the same). */
export declare const SERVER_NODE_FLAGS: readonly string[]

/** A command line that starts the server. */
export interface ServerLaunch {
	command: string
	args: string[]
	env: NodeJS.ProcessEnv
}

/**
 * The command, arguments and environment that start the server bundle (`node --no-memory-reducer
 * --single-threaded-gc server/dist/launch.mjs`, {@link SERVER_NODE_FLAGS} first, then `nodeFlags`; the launcher switches source maps on for the bundle, with {@link SERVER_ENV_DEFAULTS} added to `env`, default `process.env`). Run it with the
 * repository root as the working directory.
 * @throws when the bundle is not built
 */
export declare function serverLaunch(options?: { env?: NodeJS.ProcessEnv; nodeFlags?: string[] }): ServerLaunch
