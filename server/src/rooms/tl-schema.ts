import { createTLSchema, type TLSchema } from '@tldraw/tlschema'

let schema: TLSchema | null = null

/**
 * tldraw's store schema (`@tldraw/tlschema`, the one the board uses): one for the whole server, built on first
 * use — record validation, note records, a new room's serialized schema. Building it makes every record type's
 * validator and sorts the migrations by name with `localeCompare`, which maps ICU's collation data into the
 * process: an idle server does without either.
 */
export function tlSchema(): TLSchema {
	schema ??= createTLSchema()
	return schema
}
