import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/**
 * A message on the room bus: a committed doc update with its room sequence number, or an awareness update
 * (not stored, no sequence number). `server` is the sender's id, so a server skips what it sent itself.
 */
export type BusMessage =
	| { type: 'update'; server: string; seq: number; payload: Uint8Array }
	| { type: 'awareness'; server: string; payload: Uint8Array }
	| { type: 'control'; server: string; event: RoomEvent }

/**
 * What happened to a room as a whole: `deleted` (its boards close with 4404 everywhere), `record-changed` (its
 * record changed: closed, reopened, a new facilitator key; read it again).
 */
export type RoomEvent = 'deleted' | 'record-changed'

const UPDATE = 0
const AWARENESS = 1
const CONTROL = 2
const EVENTS: readonly RoomEvent[] = ['deleted', 'record-changed']

/** Binary form: type (varuint), server id (varstring), seq (varuint, updates only), payload (varuint8array). */
export function encodeBusMessage(message: BusMessage): Uint8Array {
	const encoder = encoding.createEncoder()
	encoding.writeVarUint(
		encoder,
		message.type === 'update' ? UPDATE : message.type === 'awareness' ? AWARENESS : CONTROL
	)
	encoding.writeVarString(encoder, message.server)
	if (message.type === 'control') {
		encoding.writeVarString(encoder, message.event)
		return encoding.toUint8Array(encoder)
	}
	if (message.type === 'update') encoding.writeVarUint(encoder, message.seq)
	encoding.writeVarUint8Array(encoder, message.payload)
	return encoding.toUint8Array(encoder)
}

/** Reads a bus message; null when it is not one (another program on the channel). */
export function decodeBusMessage(bytes: Uint8Array): BusMessage | null {
	try {
		const decoder = decoding.createDecoder(bytes)
		const type = decoding.readVarUint(decoder)
		const server = decoding.readVarString(decoder)
		if (type === UPDATE) {
			const seq = decoding.readVarUint(decoder)
			return { type: 'update', server, seq, payload: decoding.readVarUint8Array(decoder) }
		}
		if (type === AWARENESS) return { type: 'awareness', server, payload: decoding.readVarUint8Array(decoder) }
		if (type === CONTROL) {
			const event = decoding.readVarString(decoder) as RoomEvent
			return EVENTS.includes(event) ? { type: 'control', server, event } : null
		}
		return null
	} catch {
		return null
	}
}
