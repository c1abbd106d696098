import type { PnpmRunner } from './ensure-deps.mjs'

/** Directory the client build writes to (`client/dist`). */
export declare const clientDist: string

/** The fingerprint (paths, sizes, mtimes) of everything the client build reads. */
export declare function clientFingerprint(): string

/** Says why the client needs a build, or `null` when `client/dist` is current. */
export declare function clientBuildReason(): string | null

/**
 * Builds the client when needed (or always, with `force`); returns whether a build ran.
 * @throws when the build fails
 */
export declare function ensureClientBuild(pnpm: PnpmRunner, options?: { force?: boolean }): boolean
