import { PAGE_ID, RECORDS_MAP, noteShapeRecord } from '@kompasbord/shared'
import type * as Y from 'yjs'

const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** A valid fractional index for the i-th of many siblings (`a0`…`az`, then `b00`…). */
export function nthIndex(i: number): string {
	if (i < 62) return `a${DIGITS[i]}`
	const j = i - 62
	return `b${DIGITS[Math.floor(j / 62) % 62]}${DIGITS[j % 62]}`
}

/** Writes `count` valid sticky notes of `textBytes` characters on the page, one transaction (one update) each. */
export function writeNotes(doc: Y.Doc, count: number, textBytes: number, prefix = 'n'): string[] {
	const records = doc.getMap<unknown>(RECORDS_MAP)
	const ids: string[] = []
	for (let i = 0; i < count; i++) {
		const id = `shape:${prefix}${i}`
		ids.push(id)
		const text = `${prefix}${i} ${'x'.repeat(Math.max(0, textBytes - 8))}`
		doc.transact(() => {
			records.set(id, noteShapeRecord({ id, parentId: PAGE_ID, index: nthIndex(i), x: 40 * i, y: 0, text }))
		})
	}
	return ids
}
