import type { TLInstancePageState, TLRecord, TLShape, TLStore } from 'tldraw'
import { STRUCTURE_KIND } from '@kompasbord/shared'
import type { KeyValueStorage } from '../i18n'

/**
 * Roles on a board. The facilitator link carries the facilitator key in its hash (`/b/<roomId>#key=…`): the
 * board keeps it in sessionStorage, takes it out of the address bar (the board is often projected) and offers
 * it to the websocket as its credential subprotocol. The view link carries the room's view token the same way
 * (`#view=…`) and is read-only. Everyone else is a participant, with the participant token this browser got
 * when it joined (the board link's `#code=…`, or the code typed on the board), who may not change the
 * template's structure while the session keeps it locked; the server enforces the same rules and reverts what
 * slips through, this only keeps the canvas from pretending otherwise.
 */

/** What a board's user may do. */
export type BoardRole = 'facilitator' | 'participant' | 'viewer'

/** sessionStorage key prefix of a room's facilitator key. */
export const FACILITATOR_KEY_PREFIX = 'kompasbord:facilitatorKey:'
/** sessionStorage key prefix of a room's view token. */
export const VIEW_TOKEN_PREFIX = 'kompasbord:viewToken:'

/** The capabilities a board link carries in its hash: `key` (facilitator), `view` (view token), `code` (join code). */
const HASH_CAPABILITIES = ['key', 'view', 'code'] as const

/** Reads one parameter from a location hash such as `#key=abc` or `#x=1&key=abc`. */
export function fromHash(hash: string, name: (typeof HASH_CAPABILITIES)[number]): string | null {
	const value = new URLSearchParams(hash.replace(/^#/, '')).get(name)
	return value ? value : null
}

/** Reads `key` from a location hash such as `#key=abc` or `#x=1&key=abc`. */
export function keyFromHash(hash: string): string | null {
	return fromHash(hash, 'key')
}

/** The hash without its capabilities (`key`, `view`, `code`; '' when nothing else was in it). */
export function hashWithoutKey(hash: string): string {
	const params = new URLSearchParams(hash.replace(/^#/, ''))
	for (const name of HASH_CAPABILITIES) params.delete(name)
	const rest = params.toString()
	return rest ? `#${rest}` : ''
}

/** Whether a location hash carries a capability to take out of the address bar. */
export function hasCapabilityInHash(hash: string): boolean {
	return HASH_CAPABILITIES.some((name) => fromHash(hash, name) !== null)
}

/** A secret from the hash (then remembered for this tab under `prefix + roomId`) or the one remembered earlier. */
function resolveFromHash(
	prefix: string,
	name: 'key' | 'view',
	roomId: string,
	hash: string,
	storage: KeyValueStorage | null
): string | null {
	const storageKey = prefix + roomId
	const given = fromHash(hash, name)
	try {
		if (given) {
			storage?.setItem(storageKey, given)
			return given
		}
		return storage?.getItem(storageKey) ?? null
	} catch {
		return given
	}
}

/**
 * The facilitator key for a room: the one in the hash (then remembered for this tab) or the one remembered
 * earlier in this tab.
 */
export function resolveFacilitatorKey(roomId: string, hash: string, storage: KeyValueStorage | null): string | null {
	return resolveFromHash(FACILITATOR_KEY_PREFIX, 'key', roomId, hash, storage)
}

/** The view token for a room: the view link's (`#view=…`, then remembered for this tab) or the one remembered. */
export function resolveViewToken(roomId: string, hash: string, storage: KeyValueStorage | null): string | null {
	return resolveFromHash(VIEW_TOKEN_PREFIX, 'view', roomId, hash, storage)
}

/** The role a board connects with: the view link wins over a remembered key. */
export function roleFor(options: { facilitatorKey: string | null; view: boolean }): BoardRole {
	if (options.view) return 'viewer'
	return options.facilitatorKey ? 'facilitator' : 'participant'
}

/** Whether a record is a shape the template drew (`meta.kind === 'structure'`). */
export function isStructureShape(record: TLRecord | undefined | null): record is TLShape {
	return !!record && record.typeName === 'shape' && record.meta?.kind === STRUCTURE_KIND
}

/**
 * Keeps a participant's hands off the structure while `canEditStructure()` is false, for changes the local
 * user makes (remote changes, e.g. the facilitator's, always apply):
 *
 * - a change to a structure shape (move, resize, rename, restyle, reorder) is refused (the shape stays as it was);
 * - deleting a structure shape is refused;
 * - a new shape cannot claim to be structure (`meta.kind` is dropped, e.g. from a pasted copy);
 * - structure shapes cannot be selected or edited, so they do not even look movable.
 *
 * Returns the function that removes the guards.
 */
export function registerStructureGuards(store: TLStore, canEditStructure: () => boolean): () => void {
	const { sideEffects } = store
	const guarded = (source: 'remote' | 'user') => source === 'user' && !canEditStructure()
	const isStructureId = (id: string | null) => !!id && isStructureShape(store.get(id as TLShape['id']))

	const removers = [
		sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
			if (guarded(source) && (isStructureShape(prev) || isStructureShape(next))) return prev
			return next
		}),
		sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
			if (guarded(source) && isStructureShape(shape)) return false
			return
		}),
		sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
			if (!guarded(source) || !isStructureShape(shape)) return shape
			const { kind: _kind, ...meta } = shape.meta
			return { ...shape, meta }
		}),
		sideEffects.registerBeforeChangeHandler('instance_page_state', (_prev, next, source) => {
			if (!guarded(source)) return next
			const selectedShapeIds = next.selectedShapeIds.filter((id) => !isStructureId(id))
			const patch: Partial<TLInstancePageState> = {}
			if (selectedShapeIds.length !== next.selectedShapeIds.length) patch.selectedShapeIds = selectedShapeIds
			if (isStructureId(next.editingShapeId)) patch.editingShapeId = null
			if (isStructureId(next.croppingShapeId)) patch.croppingShapeId = null
			return Object.keys(patch).length ? { ...next, ...patch } : next
		}),
	]
	return () => {
		for (const remove of removers) remove()
	}
}

/**
 * Keeps everyone but the facilitator from renaming or deleting the page and changing the document record:
 * the server owns them (it would revert such a change for everyone). Adding pages is prevented with tldraw's
 * `maxPages: 1` option. Returns the function that removes the guards.
 */
export function registerServerOwnedGuards(store: TLStore): () => void {
	const { sideEffects } = store
	const removers = [
		sideEffects.registerBeforeChangeHandler('page', (prev, next, source) => (source === 'user' ? prev : next)),
		sideEffects.registerBeforeDeleteHandler('page', (_page, source) => (source === 'user' ? false : undefined)),
		sideEffects.registerBeforeChangeHandler('document', (prev, next, source) => (source === 'user' ? prev : next)),
	]
	return () => {
		for (const remove of removers) remove()
	}
}
