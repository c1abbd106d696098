import type { TLSchema } from '@tldraw/tlschema'
import { requireEsmBuild } from '../require-package'

/**
 * tldraw's record schema (`@tldraw/tlschema`, the one the board uses), loaded on first use: the server needs it to
 * validate the records a peer writes and the notes it makes, and to stamp a new room's schema — an idle server,
 * and a room whose clients only read, do without it. Loading the package and its own dependencies (`@tldraw/store`,
 * `/utils`, `/validate`, `/state`, lodash) costs about 7 MiB of RSS; building the schema makes every record type's
 * validator and sorts the migrations with `localeCompare`, which maps ICU's collation data.
 *
 * Every value the server takes from the package comes through here, so the bundle does not import it and the
 * launcher does not preload it (scripts/build-server.mjs lists only static imports); types are imported as types.
 * It is loaded synchronously (`require` of the package's ES module build, require-package.ts) because its first
 * user is a peer's update, which is judged in the same turn it arrives; without its source maps. The ES module
 * build, not the CommonJS one: its validators run 3–4× faster (require-package.ts says why; docs/benchmarks.md,
 * finding 14).
 *
 * @packageDocumentation
 */

type TldrawSchemaPackage = typeof import('@tldraw/tlschema')

let loaded: TldrawSchemaPackage | null = null
let schema: TLSchema | null = null

/** The `@tldraw/tlschema` package, loaded on the first call. */
export function tldrawSchemaPackage(): TldrawSchemaPackage {
	loaded ??= requireEsmBuild<TldrawSchemaPackage>('@tldraw/tlschema', import.meta.url)
	return loaded
}

/** tldraw's store schema: one for the whole server, built on first use. */
export function tlSchema(): TLSchema {
	schema ??= tldrawSchemaPackage().createTLSchema()
	return schema
}
