import { describe, expect, it } from 'vitest'
import { PAGE_ID, noteShapeRecord } from '@kompasbord/shared'
import { MAX_RECORD_BYTES, checkRecord, hasValidAncestry, type PlainRecord } from './record-validation'

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
