import { NOTE_KIND, RECORDS_MAP, STRUCTURE_KIND, type SessionPhase } from '@kompasbord/shared'
import type { Role } from './room'

/** Why the server reverted a peer's change; the client shows it. */
export type DenialReason =
	| 'read-only'
	| 'session-closed'
	| 'structure-locked'
	| 'server-owned'
	| 'private-writing'
	| 'anonymous'

/** What the rules need to know about the room when judging a change. */
export interface PermissionContext {
	role: Role
	phase: SessionPhase
	structureLocked: boolean
	/** Anonymous room: no author names are stored, so no tldraw `user` records (they carry names). */
	anonymous?: boolean
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

function metaKind(record: unknown): unknown {
	if (!record || typeof record !== 'object') return undefined
	const meta = (record as { meta?: unknown }).meta
	return meta && typeof meta === 'object' ? (meta as { kind?: unknown }).kind : undefined
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
 *   is locked (neither changing one nor turning a record into one); no new sticky note on the canvas during
 *   private writing (phones' notes are held by the server instead, see the README).
 */
export function judgeChange(ctx: PermissionContext, change: MapChange): DenialReason | null {
	// tldraw's attribution writes `user` records with the author's name: not in an anonymous room, from anyone.
	if (ctx.anonymous && change.map === RECORDS_MAP && typeName(change.newValue) === 'user') return 'anonymous'
	if (ctx.role === 'facilitator') return null
	if (ctx.role === 'viewer') return 'read-only'
	if (ctx.phase === 'closed') return 'session-closed'
	if (change.map !== RECORDS_MAP) return 'server-owned'
	const before = typeName(change.oldValue)
	const after = typeName(change.newValue)
	if (before === 'document' || before === 'page' || after === 'document' || after === 'page') return 'server-owned'
	if (
		ctx.structureLocked &&
		(metaKind(change.oldValue) === STRUCTURE_KIND || metaKind(change.newValue) === STRUCTURE_KIND)
	) {
		return 'structure-locked'
	}
	if (ctx.phase === 'private' && change.oldValue === undefined && isNote(change.newValue)) return 'private-writing'
	return null
}

function isNote(record: unknown): boolean {
	if (!record || typeof record !== 'object') return false
	const r = record as { typeName?: unknown; type?: unknown }
	return (r.typeName === 'shape' && r.type === 'note') || metaKind(record) === NOTE_KIND
}
