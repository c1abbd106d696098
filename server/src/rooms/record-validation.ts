import { hasUnreadableRichText } from '@kompasbord/shared'
import { tlSchema } from './tldraw-schema'

/**
 * What a room's records map may hold, checked the way tldraw's own sync server checks what it accepts: every
 * value a peer writes is a plain tldraw record of document scope stored under its own id, valid by tldraw's
 * schema (`@tldraw/tlschema`, the one the board uses), not too big; and the shapes form a tree under the page.
 *
 * @packageDocumentation
 */

/** Largest record a peer may write, as JSON (a long note's rich text is a few KB). */
export const MAX_RECORD_BYTES = 64 * 1024
/** Largest Yjs update a peer may send (a paste of many shapes stays well below). */
export const MAX_UPDATE_BYTES = 1024 * 1024
/**
 * Deepest nesting of objects and arrays a record may have, the record itself being the first level: a note's rich
 * text is six levels deep, each list in a list adds two. tldraw's schema leaves rich text content (and `meta`)
 * open, and every board renders what it is sent.
 */
export const MAX_RECORD_NESTING = 64
/** Deepest shape nesting accepted (frames in frames in groups …). */
const MAX_DEPTH = 64

let documentTypes: ReadonlySet<string> | null = null

/** Record types stored in the doc: the document scope of tldraw's schema (document, page, shape, binding, asset, user). */
function documentTypeNames(): ReadonlySet<string> {
	documentTypes ??= new Set(
		Object.entries(tlSchema().types)
			.filter(([, type]) => type.scope === 'document')
			.map(([name]) => name)
	)
	return documentTypes
}

/** Why a record value is refused. */
export type RecordProblem = 'not-a-record' | 'key-mismatch' | 'unknown-type' | 'invalid' | 'too-large' | 'too-deep'

/** A record as the rules read it. */
export type PlainRecord = Record<string, unknown> & { id: string; typeName: string }

/**
 * Checks one value written under `key` in the records map: a plain object, of a document-scope tldraw record
 * type, whose `id` is `key`, nested at most {@link MAX_RECORD_NESTING} levels, at most {@link MAX_RECORD_BYTES} as
 * JSON, that tldraw's validator for its type accepts, whose rich text every board can parse
 * (shared/src/rich-text-validation.ts). Null when it is fine.
 */
export function checkRecord(key: string, value: unknown): RecordProblem | null {
	if (
		!value ||
		typeof value !== 'object' ||
		Array.isArray(value) ||
		Object.getPrototypeOf(value) !== Object.prototype
	) {
		return 'not-a-record'
	}
	const record = value as Record<string, unknown>
	if (record.id !== key) return 'key-mismatch'
	if (typeof record.typeName !== 'string' || !documentTypeNames().has(record.typeName)) return 'unknown-type'
	if (nestedDeeperThan(record, MAX_RECORD_NESTING)) return 'too-deep'
	let json: string
	try {
		json = JSON.stringify(record)
	} catch {
		return 'invalid'
	}
	if (json.length > MAX_RECORD_BYTES) return 'too-large'
	try {
		const types = tlSchema().types
		types[record.typeName as keyof typeof types].validate(record)
	} catch {
		return 'invalid'
	}
	if (hasUnreadableRichText(record)) return 'invalid'
	return null
}

/** Whether objects and arrays nest in `value` more than `levels` deep (`value` itself, if one, is the first level). */
function nestedDeeperThan(value: unknown, levels: number): boolean {
	if (value === null || typeof value !== 'object') return false
	if (levels === 0) return true
	if (Array.isArray(value)) {
		for (const item of value) if (nestedDeeperThan(item, levels - 1)) return true
		return false
	}
	for (const key in value) if (nestedDeeperThan((value as Record<string, unknown>)[key], levels - 1)) return true
	return false
}

/** Whether `record` (a stored value) may be the parent of a shape: the page, a frame or a group. */
function canParent(record: unknown): boolean {
	if (!record || typeof record !== 'object') return false
	const r = record as { typeName?: unknown; type?: unknown }
	if (r.typeName === 'page') return true
	return r.typeName === 'shape' && (r.type === 'frame' || r.type === 'group')
}

/** Reads the records map as it is now (after the update). */
export type RecordLookup = (id: string) => unknown

/**
 * Whether a shape's ancestors lead to a page through frames and groups only, without a cycle: its parent
 * exists and can hold shapes, and so on up. `get` reads the records as they are after the change.
 */
export function hasValidAncestry(shape: PlainRecord, get: RecordLookup): boolean {
	const seen = new Set<string>([shape.id])
	let parentId = shape.parentId
	for (let depth = 0; depth < MAX_DEPTH; depth++) {
		if (typeof parentId !== 'string') return false
		const parent = get(parentId)
		if (!canParent(parent)) return false
		const p = parent as PlainRecord
		if (p.typeName === 'page') return true
		if (seen.has(p.id)) return false
		seen.add(p.id)
		parentId = p.parentId
	}
	return false
}

/** Whether a binding's two ends are shapes that exist now. */
export function hasValidEnds(binding: PlainRecord, get: RecordLookup): boolean {
	for (const end of [binding.fromId, binding.toId]) {
		if (typeof end !== 'string') return false
		const shape = get(end) as { typeName?: unknown } | undefined
		if (shape?.typeName !== 'shape') return false
	}
	return true
}
