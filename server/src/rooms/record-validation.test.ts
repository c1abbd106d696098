import { describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { PAGE_ID, noteShapeRecord } from '@kompasbord/shared'
import {
	MAX_RECORD_BYTES,
	MAX_RECORD_NESTING,
	checkRecord,
	checkRecordChange,
	hasValidAncestry,
	type PlainRecord,
} from './record-validation'
import { tlSchema } from './tldraw-schema'

const note = (id: string, parentId: string = PAGE_ID, text = 'x') =>
	noteShapeRecord({ id, parentId, index: 'a1', x: 0, y: 0, text, scale: 1 }) as unknown as PlainRecord

describe('checkRecord', () => {
	it("accepts a valid record under its own id and refuses everything else with tldraw's schema", () => {
		expect(checkRecord('shape:a', note('shape:a'))).toBeNull()
		expect(checkRecord('shape:b', note('shape:a'))).toBe('key-mismatch')
		expect(checkRecord('shape:a', { ...note('shape:a'), typeName: 'instance' })).toBe('unknown-type')
		const { props: _props, ...bare } = note('shape:a')
		expect(checkRecord('shape:a', bare)).toBe('invalid')
		expect(checkRecord('shape:a', [note('shape:a')])).toBe('not-a-record')
		expect(checkRecord('shape:a', note('shape:a', PAGE_ID, 'x'.repeat(MAX_RECORD_BYTES)))).toBe('too-large')
	})

	it('refuses a record nested deeper than MAX_RECORD_NESTING levels, in rich text or meta, however small', () => {
		/** A note whose rich text holds lists in lists nested so that the record is `levels` deep in all. */
		const nested = (levels: number) => {
			const record = note('shape:a') as PlainRecord & { props: { richText: { content: unknown[] } } }
			// record 1, props 2, richText 3, content 4, paragraph 5, its content 6, text node 7; each wrap adds 2.
			let node: Record<string, unknown> = { type: 'paragraph', content: [{ type: 'text', text: 'diep' }] }
			for (let level = 7; level < levels; level += 2) {
				node = { type: node.type === 'listItem' ? 'bulletList' : 'listItem', content: [node] }
			}
			record.props.richText.content = [node]
			return record
		}
		expect(checkRecord('shape:a', nested(MAX_RECORD_NESTING - 1))).toBeNull()
		expect(checkRecord('shape:a', nested(MAX_RECORD_NESTING + 1))).toBe('too-deep')
		expect(checkRecord('shape:a', nested(5000))).toBe('too-deep')
		let deepMeta: unknown = 1
		for (let i = 0; i < MAX_RECORD_NESTING; i++) deepMeta = [deepMeta]
		expect(checkRecord('shape:a', { ...note('shape:a'), meta: { deepMeta } })).toBe('too-deep')
	})

	it('refuses values JSON does not have, anywhere in the record', () => {
		const withMeta = (value: unknown) => ({ ...note('shape:a'), meta: { value } })
		expect(checkRecord('shape:a', withMeta({ ok: [1, 'x', true, null] }))).toBeNull()
		expect(checkRecord('shape:a', withMeta(12345678901234567890n))).toBe('invalid')
		expect(checkRecord('shape:a', withMeta([1, 2n]))).toBe('invalid')
		expect(checkRecord('shape:a', withMeta(new Uint8Array([1, 2, 3])))).toBe('invalid')
		expect(checkRecord('shape:a', withMeta(new Date(0)))).toBe('invalid')
		expect(checkRecord('shape:a', withMeta(new Map()))).toBe('invalid')
		expect(checkRecord('shape:a', withMeta(Symbol('x')))).toBe('invalid')
	})

	/** A record as a peer's update carries it: set into a records map, the whole update's size beside it. */
	const asUpdate = (record: PlainRecord): { record: PlainRecord; bytes: number } => {
		const doc = new Y.Doc()
		doc.getMap('records').set(record.id, record)
		const bytes = Y.encodeStateAsUpdate(doc).byteLength
		return { record: doc.getMap('records').get(record.id) as PlainRecord, bytes }
	}

	it('is at most six characters of JSON per byte of the update a record came in, so a large one is always measured', () => {
		const control = '\u0001'.repeat(12_000)
		const worst = [
			note('shape:a', PAGE_ID, control),
			{ ...note('shape:a'), meta: { flags: new Array(12_000).fill(false) } },
			{
				...note('shape:a'),
				meta: Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [control.slice(0, i % 7), null])),
			},
			{ ...note('shape:a'), meta: { n: [-Math.PI * 1e-300, 0.1, -63, 2 ** 40, Number.NaN] } },
		] as PlainRecord[]
		for (const record of worst) {
			const { bytes } = asUpdate(record)
			expect(JSON.stringify(record).length).toBeLessThanOrEqual(6 * bytes)
		}
		// 12 000 control characters: 72 000 characters of JSON from about 12 000 bytes — measured, and refused.
		const big = asUpdate(note('shape:a', PAGE_ID, control))
		expect(big.bytes).toBeLessThan(MAX_RECORD_BYTES)
		expect(checkRecord('shape:a', big.record, big.bytes)).toBe('too-large')
		const small = asUpdate(note('shape:a', PAGE_ID, 'Jongeren zelf betrekken'))
		expect(checkRecord('shape:a', small.record, small.bytes)).toBeNull()
	})
})

describe('checkRecordChange', () => {
	/** A note as a peer's update delivers it: a fresh copy (Yjs decodes a new object) and the update's size. */
	const delivered = (record: unknown) => {
		const sender = new Y.Doc()
		sender.getMap('tldraw').set('shape:a', record)
		const update = Y.encodeStateAsUpdate(sender)
		const receiver = new Y.Doc()
		Y.applyUpdate(receiver, update)
		return { record: receiver.getMap('tldraw').get('shape:a'), bytes: update.byteLength }
	}
	/** A note that passed the check in full, as the doc holds it. */
	const accepted = () => {
		const first = delivered(note('shape:a', PAGE_ID, 'Jongeren zelf betrekken'))
		expect(checkRecordChange('shape:a', first.record, undefined, first.bytes)).toBeNull()
		return first.record as PlainRecord
	}

	it("judges a move, rotation or new meta of an accepted shape without tldraw's validators, and only that", () => {
		const previous = accepted()
		const validate = vi.spyOn(tlSchema().types.shape, 'validate')
		try {
			const moved = delivered({ ...previous, x: 120.5, y: -40, rotation: 0.25 })
			expect(checkRecordChange('shape:a', moved.record, previous, moved.bytes)).toBeNull()
			// The moved value is accepted in turn: the next move is judged against it.
			const again = delivered({ ...(moved.record as PlainRecord), x: 300, meta: { rev: 2, kind: 'note' } })
			expect(checkRecordChange('shape:a', again.record, moved.record, again.bytes)).toBeNull()
			expect(validate).not.toHaveBeenCalled()
			// Anything else changed goes through the validators.
			const recoloured = delivered({ ...previous, props: { ...(previous.props as object), color: 'red' } })
			expect(checkRecordChange('shape:a', recoloured.record, previous, recoloured.bytes)).toBeNull()
			expect(validate).toHaveBeenCalledTimes(1)
		} finally {
			validate.mockRestore()
		}
	})

	/** A meta object `levels` deep (itself the first level). */
	const nestedMeta = (levels: number) => {
		let meta: Record<string, unknown> = { leaf: 1 }
		for (let level = 1; level < levels; level++) meta = { inner: meta }
		return meta
	}

	it('gives the verdict checkRecord gives for every change of an accepted shape', () => {
		const previous = accepted()
		const props = previous.props as Record<string, unknown>
		const variants: unknown[] = [
			{ ...previous, x: 5 },
			{ ...previous, x: Number.NaN },
			{ ...previous, y: Number.POSITIVE_INFINITY },
			{ ...previous, rotation: '1' },
			{ ...previous, x: null },
			{ ...previous, x: 5, index: 'not an index' },
			{ ...previous, x: 5, opacity: 2 },
			{ ...previous, x: 5, extra: 1 },
			{ ...previous, x: 5, id: 'shape:b' },
			{ ...previous, x: 5, typeName: 'page' },
			{ ...previous, x: 5, props: { ...props, color: 'not a colour' } },
			{ ...previous, x: 5, props: { ...props, richText: { type: 'doc', content: [{ type: 'nonsense' }] } } },
			{ ...previous, x: 5, props: { ...props, extra: [] } },
			{ ...previous, x: 5, meta: { nested: { deeper: [1, 2, { x: 1 }] } } },
			{ ...previous, x: 5, meta: { bytes: new Uint8Array(3) } },
			{ ...previous, meta: { rev: 3, missing: undefined } },
			{ ...previous, meta: { rev: Number.NaN } },
			{ ...previous, meta: [1, 'twee', null, { drie: true }] },
			{ ...previous, meta: 'tekst' },
			{ ...previous, meta: null },
			{ ...previous, meta: undefined },
			{ ...previous, meta: 10n },
			{ ...previous, meta: nestedMeta(MAX_RECORD_NESTING - 2) },
			{ ...previous, meta: nestedMeta(MAX_RECORD_NESTING - 1) },
			{ ...previous, meta: nestedMeta(MAX_RECORD_NESTING) },
			{ ...previous, x: 5, parentId: 'shape:elsewhere' },
			Object.fromEntries(Object.entries(previous).filter(([k]) => k !== 'rotation')),
			[previous],
			'shape',
		]
		for (const variant of variants) {
			const { record, bytes } = delivered(variant)
			expect(checkRecordChange('shape:a', record, previous, bytes), String(variants.indexOf(variant))).toBe(
				checkRecord('shape:a', record, bytes)
			)
		}
	})

	it('judges in full when the value it replaces did not pass the check here', () => {
		// A value the server never accepted (written before a rule existed, or by the server itself): moving it
		// does not make it valid.
		const legacy = { ...note('shape:a'), props: { color: 'not a colour' } }
		const moved = delivered({ ...legacy, x: 10 })
		expect(checkRecordChange('shape:a', moved.record, legacy, moved.bytes)).toBe('invalid')
	})
})

describe('hasValidAncestry', () => {
	it('needs a parent chain of frames and groups up to the page, without a cycle', () => {
		const frame = { id: 'shape:f', typeName: 'shape', type: 'frame', parentId: PAGE_ID }
		const records = new Map<string, unknown>([
			[PAGE_ID, { id: PAGE_ID, typeName: 'page' }],
			['shape:f', frame],
			['shape:n', note('shape:n')],
		])
		const get = (id: string) => records.get(id)
		expect(hasValidAncestry(note('shape:a', 'shape:f'), get)).toBe(true)
		expect(hasValidAncestry(note('shape:a', 'shape:n'), get)).toBe(false)
		expect(hasValidAncestry(note('shape:a', 'shape:missing'), get)).toBe(false)
		records.set('shape:f', { ...frame, parentId: 'shape:g' })
		records.set('shape:g', { ...frame, id: 'shape:g', parentId: 'shape:f' })
		expect(hasValidAncestry(note('shape:a', 'shape:f'), get)).toBe(false)
	})
})
