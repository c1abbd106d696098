import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { FACILITATOR_FIELD, SERVER_FIELD } from '@kompasbord/shared/session-awareness'
import type { Room, RoomPeer } from '../rooms/room'

/** Awareness fields only a facilitator connection may set. */
const FACILITATOR_ONLY_FIELDS = [FACILITATOR_FIELD]
/** Awareness fields nobody but the server may set. */
const SERVER_ONLY_FIELDS = [SERVER_FIELD]

interface AwarenessEntry {
	clientId: number
	clock: number
	json: string
}

function decodeEntries(update: Uint8Array): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update)
	const n = decoding.readVarUint(decoder)
	const entries: AwarenessEntry[] = []
	for (let i = 0; i < n; i++) {
		entries.push({
			clientId: decoding.readVarUint(decoder),
			clock: decoding.readVarUint(decoder),
			json: decoding.readVarString(decoder),
		})
	}
	return entries
}

function encodeEntries(entries: AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(encoder, entries.length)
	for (const e of entries) {
		encoding.writeVarUint(encoder, e.clientId)
		encoding.writeVarUint(encoder, e.clock)
		encoding.writeVarString(encoder, e.json)
	}
	return encoding.toUint8Array(encoder)
}

/** Most awareness states one connection may hold (a board has one; a few tabs' worth of slack). */
export const MAX_AWARENESS_STATES_PER_PEER = 4
/** Largest awareness state a connection may set, as JSON (a presence with a large selection stays below). */
export const MAX_AWARENESS_STATE_BYTES = 32 * 1024

/**
 * Awareness client ids a facilitator connection of the room has used: reserved for facilitators for as long as
 * the room is loaded, so no participant can take the facilitator's id over after the facilitator reconnects.
 */
const facilitatorIds = new WeakMap<Room, Set<number>>()

/**
 * The state to apply for an entry: parsed (never matched as text), without the fields this peer may not set.
 * Null when the entry is dropped: not JSON, not an object (or null, a removal), or too big.
 */
function checkedState(json: string, forbidden: readonly string[]): string | null {
	if (json.length > MAX_AWARENESS_STATE_BYTES) return null
	let state: unknown
	try {
		state = JSON.parse(json)
	} catch {
		return null
	}
	if (state === null) return 'null'
	if (typeof state !== 'object' || Array.isArray(state)) return null
	let changed = false
	for (const field of forbidden) {
		if (Object.hasOwn(state, field)) {
			delete (state as Record<string, unknown>)[field]
			changed = true
		}
	}
	return changed ? JSON.stringify(state) : json
}

/**
 * Filters an awareness update a peer sent before the room applies it (y-protocols' awareness encoding:
 * count, then client id, clock and state JSON per entry):
 *
 * - an entry for a client id that belongs to another connection, to the server itself, or that a facilitator
 *   connection of this room has used (for a non-facilitator) is dropped — no one can overwrite, remove or
 *   take over someone else's presence;
 * - each state is parsed as JSON: fields of the facilitator toolkit are removed from the states of
 *   non-facilitators (a participant cannot send "Iedereen naar mij"), and the server's notice field from
 *   everyone's; a state that is not a JSON object, or is over {@link MAX_AWARENESS_STATE_BYTES}, is dropped;
 * - a connection holds at most {@link MAX_AWARENESS_STATES_PER_PEER} client ids; entries for more are dropped.
 *
 * Returns the update to apply (the same bytes when nothing changed), or null when nothing is left.
 * Throws on an update that does not decode (the caller closes that socket).
 */
export function guardAwarenessUpdate(room: Room, peer: RoomPeer, update: Uint8Array): Uint8Array | null {
	const entries = decodeEntries(update)
	const isFacilitator = peer.role === 'facilitator'
	const forbidden = isFacilitator ? SERVER_ONLY_FIELDS : [...SERVER_ONLY_FIELDS, ...FACILITATOR_ONLY_FIELDS]
	const serverId = room.awareness.clientID
	// Made for a room once a facilitator sets a presence in it: rooms without one keep no set.
	let reserved = facilitatorIds.get(room)
	if (!reserved && isFacilitator) {
		reserved = new Set()
		facilitatorIds.set(room, reserved)
	}
	// Ids this connection will hold once the entries kept so far apply.
	const held = new Set(peer.awarenessClientIds)
	let changed = false
	const kept: AwarenessEntry[] = []
	for (const entry of entries) {
		const id = entry.clientId
		const taken = id === serverId || ownedByOther(room, peer, id) || (!isFacilitator && reserved?.has(id) === true)
		const json = taken ? null : checkedState(entry.json, forbidden)
		const overCap = json !== null && json !== 'null' && !held.has(id) && held.size >= MAX_AWARENESS_STATES_PER_PEER
		if (json === null || overCap) {
			changed = true
			continue
		}
		if (json !== 'null') held.add(id)
		if (isFacilitator) reserved?.add(id)
		if (json !== entry.json) changed = true
		kept.push({ ...entry, json })
	}
	if (!changed) return update
	return kept.length ? encodeEntries(kept) : null
}
function ownedByOther(room: Room, peer: RoomPeer, clientId: number): boolean {
	if (peer.awarenessClientIds.has(clientId)) return false
	for (const other of room.peers) if (other !== peer && other.awarenessClientIds.has(clientId)) return true
	return false
}
