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

/** The state JSON without the fields this peer may not set; the same string when nothing had to go. */
function stripFields(json: string, fields: readonly string[]): string {
	if (!fields.some((f) => json.includes(f))) return json
	const state = JSON.parse(json) as unknown
	if (!state || typeof state !== 'object' || Array.isArray(state)) return json
	let changed = false
	for (const field of fields) {
		if (field in state) {
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
 * - an entry for a client id that belongs to another connection, or to the server itself, is dropped — no
 *   one can overwrite or remove someone else's presence;
 * - fields of the facilitator toolkit are removed from the states of non-facilitators (a participant cannot
 *   send "Iedereen naar mij"), and the server's notice field from everyone's.
 *
 * Returns the update to apply (the same bytes when nothing changed), or null when nothing is left.
 * Throws on an update that does not decode (the caller closes that socket).
 */
export function guardAwarenessUpdate(room: Room, peer: RoomPeer, update: Uint8Array): Uint8Array | null {
	const entries = decodeEntries(update)
	const forbidden =
		peer.role === 'facilitator' ? SERVER_ONLY_FIELDS : [...SERVER_ONLY_FIELDS, ...FACILITATOR_ONLY_FIELDS]
	const serverId = room.awareness.clientID
	let changed = false
	const kept: AwarenessEntry[] = []
	for (const entry of entries) {
		if (entry.clientId === serverId || ownedByOther(room, peer, entry.clientId)) {
			changed = true
			continue
		}
		const json = entry.json === 'null' ? entry.json : stripFields(entry.json, forbidden)
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
