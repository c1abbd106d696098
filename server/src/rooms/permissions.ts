import {
	type DenialReason,
	NOTE_KIND,
	RECORDS_MAP,
	STRUCTURE_KIND,
	THEME_KIND,
	type SessionPhase,
	isStickyNote,
} from '@kompasbord/shared'
import type { Role } from './room'

/** Why the server reverted a peer's change; the client shows it (the contract's list, `DENIAL_REASONS`). */
export type { DenialReason }

/** What the rules need to know about the room when judging a change. */
export interface PermissionContext {
	role: Role
	phase: SessionPhase
	structureLocked: boolean
	/** "Notities eerst bekijken": participants' new notes (and new text) go to the facilitator's queue instead. */
	screening?: boolean
	/** Whether the facilitator lets participants group notes into themes (else they may only move a theme). */
	participantThemes?: boolean
	/** Whether a shape id is a theme frame in the room (to tell grouping a note from moving it). */
	isThemeFrame?: (shapeId: string) => boolean
	/** Anonymous room: no author names are stored, so no tldraw `user` records (they carry names). */
	anonymous?: boolean
	/** The participant identity the peer acts under; null when the connection carries none. */
	identity?: string | null
	/**
	 * Who wrote a note (the participant identity the server recorded when it was made: the note ledger), or
	 * undefined when no participant did (the facilitator's notes, notes of old rooms).
	 */
	ownerOf?: (noteId: string) => string | undefined
	/** Ids of notes the facilitator hid or deleted: no participant writes them back. */
	retiredNoteIds?: ReadonlySet<string>
}

/** One changed key of one top-level doc map, with its value before and after. */
export interface MapChange {
	map: string
	key: string
	/** Undefined when the key was added. */
	oldValue: unknown
	/** Undefined when the key was deleted. */
	newValue: unknown
}

function metaOf(record: unknown): Record<string, unknown> {
	if (!record || typeof record !== 'object') return {}
	const meta = (record as { meta?: unknown }).meta
	return meta && typeof meta === 'object' ? (meta as Record<string, unknown>) : {}
}

function metaKind(record: unknown): unknown {
	return metaOf(record).kind
}

function typeName(record: unknown): unknown {
	return record && typeof record === 'object' ? (record as { typeName?: unknown }).typeName : undefined
}

/**
 * Judges one change a peer made. Returns null when allowed, else the reason it is reverted.
 *
 * - In an anonymous room nobody may store a tldraw `user` record (it carries a name).
 * - The facilitator may change anything else.
 * - Viewers may change nothing (their updates are normally dropped before they reach the doc).
 * - Participants: nothing once the session is closed; only the tldraw records map (session state, votes and
 *   schema belong to the server); not the document or page records; no structure shape while the structure
 *   is locked (neither changing one nor turning a record into one), and never a new structure shape or a
 *   shape's `meta.zoneId` (only the template's structure frames are zones); any note may be moved, but only
 *   the participant who wrote a note may change its text or delete it; no note the facilitator hid or deleted;
 *   during private writing no new shape with text (nor new text on a shape): phones' notes are held by the
 *   server instead, see the README; the same while screening is on (reason `screening`): a new note goes to the
 *   facilitator's queue instead; a theme frame (`meta.kind` `theme`) only moved, and no shape moved into or out
 *   of one, unless the facilitator lets participants group notes.
 *
 * The records themselves (valid tldraw records, their parents) are checked for everyone in room.ts with
 * record-validation.ts.
 */
export function judgeChange(ctx: PermissionContext, change: MapChange): DenialReason | null {
	// tldraw's attribution writes `user` records with the author's name: not in an anonymous room, from anyone.
	if (ctx.anonymous && change.map === RECORDS_MAP && typeName(change.newValue) === 'user') return 'anonymous'
	if (ctx.role === 'facilitator') return null
	if (ctx.role === 'viewer') return 'read-only'
	if (ctx.phase === 'closed') return 'session-closed'
	if (change.map !== RECORDS_MAP) return 'server-owned'
	const { oldValue: before, newValue: after } = change
	const beforeType = typeName(before)
	const afterType = typeName(after)
	if (beforeType === 'document' || beforeType === 'page' || afterType === 'document' || afterType === 'page') {
		return 'server-owned'
	}
	const wasStructure = metaKind(before) === STRUCTURE_KIND
	const isStructure = metaKind(after) === STRUCTURE_KIND
	if (ctx.structureLocked && (wasStructure || isStructure)) return 'structure-locked'
	if (after !== undefined) {
		// Only the template makes structure and zones: a shape cannot become structure, nor claim or change a zone.
		if (isStructure && !wasStructure) return 'server-owned'
		if (wasStructure && !isStructure) return 'server-owned'
		if (!sameJson(metaOf(before).zoneId, metaOf(after).zoneId)) return 'server-owned'
	}
	if (!ctx.participantThemes && (metaKind(before) === THEME_KIND || metaKind(after) === THEME_KIND)) {
		// Only the facilitator groups: a participant may move a theme (its notes move with it), nothing else.
		if (!movedOnly(before, after)) return 'themes-facilitator'
	}
	if (!ctx.participantThemes && ctx.isThemeFrame && before !== undefined && after !== undefined) {
		// Dragging a note into or out of a theme groups or ungroups it: the facilitator's, unless participants may.
		const from = parentOf(before)
		const to = parentOf(after)
		if (from !== to && ((from && ctx.isThemeFrame(from)) || (to && ctx.isThemeFrame(to)))) return 'themes-facilitator'
	}
	if (before === undefined && ctx.retiredNoteIds?.has(change.key)) return 'moderated'
	const owner = ctx.ownerOf?.(change.key)
	const own = !!ctx.identity && owner === ctx.identity
	if (isNote(before) && !own && (after === undefined || textChanged(before, after))) return 'not-your-note'
	// A note id that belongs to someone else (a note of theirs that was deleted) is not taken over.
	if (before === undefined && owner !== undefined && !own) return 'not-your-note'
	if (ctx.phase === 'private' || ctx.screening) {
		const reason = ctx.phase === 'private' ? 'private-writing' : 'screening'
		if (before === undefined && (isNote(after) || hasText(after))) return reason
		if (before !== undefined && after !== undefined && textChanged(before, after)) return reason
	}
	return null
}

/**
 * A sticky note (the contract's `isStickyNote`), or any record that claims to be one (`meta.kind` `note`): the
 * rules treat both alike, so a note cannot slip past them dressed as another shape.
 */
export function isNote(record: unknown): boolean {
	return isStickyNote(record) || metaKind(record) === NOTE_KIND
}

function propsOf(record: unknown): Record<string, unknown> {
	if (!record || typeof record !== 'object') return {}
	const props = (record as { props?: unknown }).props
	return props && typeof props === 'object' ? (props as Record<string, unknown>) : {}
}

/** Whether rich text (tldraw's TipTap JSON) holds any text. */
function richTextHasText(node: unknown, depth = 0): boolean {
	if (!node || typeof node !== 'object' || depth > 32) return false
	const n = node as { text?: unknown; content?: unknown }
	if (typeof n.text === 'string' && n.text.trim() !== '') return true
	return Array.isArray(n.content) && n.content.some((child) => richTextHasText(child, depth + 1))
}

/** Whether a shape carries text: a label, a text shape, an arrow's label (`props.richText` or `props.text`). */
export function hasText(record: unknown): boolean {
	const props = propsOf(record)
	if (typeof props.text === 'string' && props.text.trim() !== '') return true
	return richTextHasText(props.richText)
}

/** Whether the text of a shape differs between two versions. */
function textChanged(before: unknown, after: unknown): boolean {
	const a = propsOf(before)
	const b = propsOf(after)
	return !sameJson(a.richText, b.richText) || !sameJson(a.text, b.text)
}

function parentOf(record: unknown): string | undefined {
	const parentId = record && typeof record === 'object' ? (record as { parentId?: unknown }).parentId : undefined
	return typeof parentId === 'string' ? parentId : undefined
}

/** Whether a record changed only its place (x, y), as when someone drags it. */
function movedOnly(before: unknown, after: unknown): boolean {
	if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return false
	const { x: _bx, y: _by, ...restBefore } = before as Record<string, unknown>
	const { x: _ax, y: _ay, ...restAfter } = after as Record<string, unknown>
	return sameJson(restBefore, restAfter)
}

/**
 * Whether two values are the same as JSON. A value JSON cannot hold (nested too deep for `JSON.stringify`, a
 * BigInt) counts as different: a peer's update may carry anything Yjs can decode, and the rules' verdict must
 * not be an exception.
 */
function sameJson(a: unknown, b: unknown): boolean {
	if (a === b) return true
	try {
		return JSON.stringify(a) === JSON.stringify(b)
	} catch {
		return false
	}
}
