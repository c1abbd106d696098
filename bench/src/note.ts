/**
 * The benchmark payload: a real tldraw note shape record (~600 bytes of JSON), the same one for both servers.
 * Each benchmark client owns notes and changes them by setting the whole record again into the records map,
 * as the board client does (see `shared/src/doc-layout.ts`).
 */
import { NOTE_KIND, PAGE_ID, noteShapeRecord } from '@kompasbord/shared'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/** The text of every benchmark note: a realistic sticky note sentence, so the record is note-sized. */
const NOTE_TEXT =
	'Jongeren zelf betrekken bij het opstellen van de gedragsregels op school, samen met de GGD en het jongerenwerk.'

/**
 * A valid tldraw fractional index key for the i-th note (`a0`…`az`, `b00`…`bzz`, `c000`…), so that many
 * notes sort in creation order.
 */
export function noteIndexKey(i: number): string {
	if (i < 62) return `a${BASE62[i]}`
	if (i < 62 + 62 ** 2) {
		const j = i - 62
		return `b${BASE62[Math.floor(j / 62)]}${BASE62[j % 62]}`
	}
	const k = i - 62 - 62 ** 2
	return `c${BASE62[Math.floor(k / 3844) % 62]}${BASE62[Math.floor(k / 62) % 62]}${BASE62[k % 62]}`
}

/** The shape id of a benchmark note. */
export function noteId(owner: string, i: number): string {
	return `shape:bench-${owner}-${i}`
}

/** A JSON record as it lives in the records map. */
export type NoteRecord = Record<string, unknown> & { id: string; meta: Record<string, unknown> & { rev: number } }

/**
 * Builds the note record of note `i` owned by `owner`, at revision `rev`: each revision moves the note, like a
 * participant dragging it. `meta.rev` lets a receiver tell which change it is looking at.
 */
export function noteRecord(owner: string, i: number, rev: number): NoteRecord {
	return noteShapeRecord({
		id: noteId(owner, i),
		parentId: PAGE_ID,
		index: noteIndexKey(i),
		x: 120 + (i % 40) * 220 + (rev % 7) * 3,
		y: 160 + Math.floor(i / 40) * 220 + (rev % 5) * 2,
		text: NOTE_TEXT,
		meta: { kind: NOTE_KIND, authorName: 'Deelnemer', rev },
	}) as unknown as NoteRecord
}
