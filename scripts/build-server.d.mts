/** Directory the server build writes to (`server/dist`). */
export declare const serverDist: string

/** The server bundle (`server/dist/server.mjs`). */
export declare const serverBundle: string

/** The copy-rooms command as one bundle (`server/dist/copy-rooms.mjs`), the image's `npm run copy-rooms`. */
export declare const copyRoomsBundle: string

/**
 * Bundles the server into {@link serverDist} (always).
 * @throws when esbuild reports errors
 */
export declare function buildServer(): Promise<void>

/**
 * Builds the server bundle when its inputs changed since the last build (or always, with `force`); resolves to
 * whether a build ran.
 * @throws when the build fails
 */
export declare function ensureServerBuild(options?: { force?: boolean }): Promise<boolean>
/**
 * What runs the server (`server/dist/launch.mjs`): the npm packages the bundle imports, then
 * `process.setSourceMapsEnabled(true)`, then the bundle.
 */
export declare const serverLauncher: string
