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
/**
 * At most this many characters of JSON per byte of Yjs encoding, for a value of JSON's kinds: a control character
 * takes one byte in the update (UTF-8) and six in JSON (`\u0000`); `false` takes one byte (its tag) and five
 * characters; every other value, key and structure takes fewer characters per byte. So a record that arrived in an
 * update of n bytes is at most 6·n characters as JSON, once {@link jsonShapeProblem} has found no value of another
 * kind (a BigInt, bytes, …).
 */
const MAX_JSON_CHARS_PER_ENCODED_BYTE = 6
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
 * type, whose `id` is `key`, of JSON's values only (plain objects, arrays, strings, numbers, booleans, null) nested
 * at most {@link MAX_RECORD_NESTING} levels, at most {@link MAX_RECORD_BYTES} as JSON, that tldraw's validator for
 * its type accepts, whose rich text every board can parse (shared/src/rich-text-validation.ts). Null when it is
 * fine.
 *
 * `encodedBytesAtMost`: the size of the Yjs update the value arrived in, when it did. A value of JSON's kinds is at
 * most {@link MAX_JSON_CHARS_PER_ENCODED_BYTE} characters of JSON per byte of it, so the record's JSON is built
 * (to be measured) only when the update is big enough for the record to be too large.
 */
export function checkRecord(key: string, value: unknown, encodedBytesAtMost?: number): RecordProblem | null {
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
	const shape = jsonShapeProblem(record, MAX_RECORD_NESTING)
	if (shape) return shape
	if (encodedBytesAtMost === undefined || encodedBytesAtMost * MAX_JSON_CHARS_PER_ENCODED_BYTE > MAX_RECORD_BYTES) {
		if (JSON.stringify(record).length > MAX_RECORD_BYTES) return 'too-large'
	}
	try {
		const types = tlSchema().types
		types[record.typeName as keyof typeof types].validate(record)
	} catch {
		return 'invalid'
	}
	if (hasUnreadableRichText(record)) return 'invalid'
	return null
}

/**
 * Records that passed {@link checkRecordChange} in full: the very objects the doc holds (a Yjs map hands out the
 * value it stores, and a change's `oldValue` is that object), so a later change of one is judged against it.
 */
const acceptedRecords = new WeakSet<object>()

/** The fields of a shape a move or a rotation changes; tldraw's schema has each as `T.number` (a finite number). */
const PLACEMENT_FIELDS: ReadonlySet<string> = new Set(['x', 'y', 'rotation'])

/**
 * {@link checkRecord} for a value a peer wrote over `previous`, the value it replaces. A shape dragged or rotated
 * on a board is written again whole with only `x`, `y` or `rotation` changed (and a board may stamp `meta`): when
 * `previous` passed this check in full, `value` is the same JSON but for those fields — each placement field a
 * finite number, `meta` any JSON value (tldraw's schema has `T.jsonValue` there) within our nesting bound — and
 * its update is small enough for the record not to be too large, `value` is valid by every rule of
 * {@link checkRecord} exactly when `previous` was, and tldraw's validators are not run again. (Cold, as they are
 * at a workshop's pace of one change every few ms, they were the larger part of judging a move: docs/benchmarks.md,
 * finding 27.)
 */
export function checkRecordChange(
	key: string,
	value: unknown,
	previous: unknown,
	encodedBytesAtMost: number
): RecordProblem | null {
	if (
		typeof previous === 'object' &&
		previous !== null &&
		acceptedRecords.has(previous) &&
		encodedBytesAtMost * MAX_JSON_CHARS_PER_ENCODED_BYTE <= MAX_RECORD_BYTES &&
		isPlacementChange(previous as Record<string, unknown>, value)
	) {
		acceptedRecords.add(value as object)
		return null
	}
	const problem = checkRecord(key, value, encodedBytesAtMost)
	if (problem === null) acceptedRecords.add(value as object)
	return problem
}

/**
 * Whether `value` is `previous` (a shape) but for {@link PLACEMENT_FIELDS}, which it holds as finite numbers, and
 * `meta`, which it holds as a JSON value: the same keys, and the same JSON under every other one.
 */
function isPlacementChange(previous: Record<string, unknown>, value: unknown): boolean {
	if (previous.typeName !== 'shape' || !isPlainObject(value)) return false
	let keys = 0
	for (const key in value) {
		keys++
		if (!Object.hasOwn(previous, key)) return false
		const next = value[key]
		const fits = PLACEMENT_FIELDS.has(key)
			? Number.isFinite(next)
			: key === 'meta'
				? // tldraw's `T.jsonValue`, which refuses `undefined` anywhere, within our nesting bound.
					jsonShapeProblem(next, MAX_RECORD_NESTING - 1, 'invalid') === null
				: sameStructure(previous[key], next)
		if (!fits) return false
	}
	return keys === Object.keys(previous).length
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/**
 * Whether `b` is the same JSON value as `a` (a value of an accepted record): equal primitives, or arrays and plain
 * objects of the same items and the same keys — a key holding `undefined` counts, unlike `sameJson` of
 * permissions.ts, which compares `JSON.stringify`, since tldraw's validators refuse a key they do not know.
 * Recursion follows `a`, whose depth is bounded.
 */
function sameStructure(a: unknown, b: unknown): boolean {
	if (a === b) return true
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false
		for (let i = 0; i < a.length; i++) if (!sameStructure(a[i], b[i])) return false
		return true
	}
	if (!isPlainObject(a) || !isPlainObject(b)) return false
	let keys = 0
	for (const key in b) {
		keys++
		if (!Object.hasOwn(a, key) || !sameStructure(a[key], b[key])) return false
	}
	return keys === Object.keys(a).length
}

/**
 * Why `value` is not a JSON value nested at most `levels` deep (`value` itself, if an object or array, is the first
 * level): 'too-deep', or 'invalid' for a value JSON does not have (a BigInt, which lib0 carries; bytes; any object
 * that is not a plain one or an array; a function or symbol); null when it is one. `undefined` passes, as
 * `JSON.stringify` leaves it out (and tldraw's validators judge it), unless `undefinedIs` is 'invalid' (a shape's
 * `meta`, where tldraw's `T.jsonValue` refuses it).
 */
function jsonShapeProblem(
	value: unknown,
	levels: number,
	undefinedIs: 'allowed' | 'invalid' = 'allowed'
): 'too-deep' | 'invalid' | null {
	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean':
			return null
		case 'undefined':
			return undefinedIs === 'allowed' ? null : 'invalid'
		case 'object':
			break
		default:
			return 'invalid'
	}
	if (value === null) return null
	if (levels === 0) return 'too-deep'
	if (Array.isArray(value)) {
		for (const item of value) {
			const problem = jsonShapeProblem(item, levels - 1, undefinedIs)
			if (problem) return problem
		}
		return null
	}
	const proto = Object.getPrototypeOf(value)
	if (proto !== Object.prototype && proto !== null) return 'invalid'
	for (const key in value) {
		const problem = jsonShapeProblem((value as Record<string, unknown>)[key], levels - 1, undefinedIs)
		if (problem) return problem
	}
	return null
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
