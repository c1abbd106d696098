/**
 * The public contract between the phone page, the board and the server, in one place (docs/API.md describes
 * it in words):
 *
 * - `limits`: session phases, limits and id patterns — plain values;
 * - `error-codes`: every error code the server may answer with;
 * - `notices`: why the server reverted a change, and the one reader of its notices;
 * - `schemas` (and `traject-schemas`, `theme-schemas`, `screening-schemas`, `access-schemas`): TypeBox schemas of every body, query, path and answer, with the types
 *   derived from them;
 * - `route-lines` and `routes`: every route by name, and its schemas;
 * - `api-client`: the one typed fetch helper;
 * - `session-codec`: the one reader and writer of the session state in a room's doc;
 * - `sticky-note` and `rich-text`: what a sticky note is, and its plain text.
 *
 * The phone page imports values only from the dependency-free modules (`limits`, `error-codes`,
 * `route-lines`, `api-client`, `session-codec`) and types from the rest, so no TypeBox reaches its bundle.
 *
 * @packageDocumentation
 */
export * from './limits'
export * from './error-codes'
export * from './notices'
export * from './schemas'
export * from './traject-schemas'
export * from './theme-schemas'
export * from './screening-schemas'
export * from './access-schemas'
export * from './route-lines'
export * from './routes'
export * from './api-client'
export * from './session-codec'
export * from './sticky-note'
export * from './rich-text'
