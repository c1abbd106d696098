/**
 * The one answer to "is this record a participant's sticky note": a tldraw `note` shape that is not part of a
 * template's structure (`meta.kind` `structure`). Notes from phones carry `meta.kind` `note`; notes drawn on
 * the canvas may carry nothing. No runtime dependency beyond the doc layout's names.
 *
 * @packageDocumentation
 */
import type { TLNoteShape } from '@tldraw/tlschema'
import { STRUCTURE_KIND } from '../doc-layout'

/** Whether a record is a participant's sticky note (a note shape that is not part of a template). */
export function isStickyNote(record: unknown): record is TLNoteShape {
	if (!record || typeof record !== 'object') return false
	const r = record as { typeName?: unknown; type?: unknown; meta?: unknown }
	if (r.typeName !== 'shape' || r.type !== 'note') return false
	const meta = r.meta && typeof r.meta === 'object' ? (r.meta as { kind?: unknown }) : undefined
	return meta?.kind !== STRUCTURE_KIND
}
