/** Why an upgrade from an address is refused: too many sockets, or too many rooms held open. */
export type AddressRefusal = 'too_many_sockets' | 'too_many_rooms'

/** What {@link AddressLimits.admit} hands out: give it back with {@link AddressLimits.release} when the socket closes. */
export interface AddressTicket {
	readonly address: string
	readonly roomId: string
}

interface AddressUse {
	sockets: number
	/** Open sockets per room id. */
	rooms: Map<string, number>
}

/**
 * Caps on what one client address may hold: open websockets, and distinct rooms with an open websocket (every
 * such room is loaded in memory). One hostile participant cannot take the server's memory with thousands of
 * sockets or by loading every room it can name; a venue where 300 people share one public address stays
 * under the defaults (see config.ts).
 */
export class AddressLimits {
	private readonly byAddress = new Map<string, AddressUse>()

	constructor(
		private readonly maxSockets: number,
		private readonly maxRooms: number
	) {}

	/** Counts a socket of `address` in `roomId`, or says why it may not open. */
	admit(address: string, roomId: string): AddressTicket | AddressRefusal {
		let use = this.byAddress.get(address)
		if (use && use.sockets >= this.maxSockets) return 'too_many_sockets'
		if (use && !use.rooms.has(roomId) && use.rooms.size >= this.maxRooms) return 'too_many_rooms'
		if (!use) {
			use = { sockets: 0, rooms: new Map() }
			this.byAddress.set(address, use)
		}
		use.sockets++
		use.rooms.set(roomId, (use.rooms.get(roomId) ?? 0) + 1)
		return { address, roomId }
	}

	/** Forgets a socket admitted with `ticket` (once per ticket). */
	release(ticket: AddressTicket): void {
		const use = this.byAddress.get(ticket.address)
		if (!use) return
		use.sockets--
		const inRoom = (use.rooms.get(ticket.roomId) ?? 0) - 1
		if (inRoom > 0) use.rooms.set(ticket.roomId, inRoom)
		else use.rooms.delete(ticket.roomId)
		if (use.sockets <= 0) this.byAddress.delete(ticket.address)
	}

	/** Open sockets of an address. */
	socketsOf(address: string): number {
		return this.byAddress.get(address)?.sockets ?? 0
	}

	/** Rooms an address holds open. */
	roomsOf(address: string): number {
		return this.byAddress.get(address)?.rooms.size ?? 0
	}
}
