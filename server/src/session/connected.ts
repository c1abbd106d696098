import type { ConnectedCounts } from '@kompasbord/shared'
import type { Room } from '../rooms/room'

/** A phone counts as connected this long after it last asked for the session state (it polls far more often). */
export const PHONE_SEEN_MS = 45_000
/** Phones remembered per room at most (a flood of made-up ids cannot grow memory without bound). */
const MAX_PHONES_PER_ROOM = 2_000

/**
 * Remembers when each phone last asked for the session state, per room, so the facilitator can see how many
 * people take part: boards are counted from the room's connections, phones from these sightings.
 */
export class PhoneSightings {
	private readonly rooms = new Map<string, Map<string, number>>()

	constructor(private readonly now: () => number = Date.now) {}

	/** Records that a participant's phone is there now. */
	seen(roomId: string, participantId: string): void {
		let phones = this.rooms.get(roomId)
		if (!phones) {
			phones = new Map()
			this.rooms.set(roomId, phones)
		}
		phones.delete(participantId)
		phones.set(participantId, this.now())
		if (phones.size > MAX_PHONES_PER_ROOM) this.sweep(roomId, phones)
	}

	/** Participant ids of the phones seen in the last {@link PHONE_SEEN_MS}. */
	recent(roomId: string): Set<string> {
		const phones = this.rooms.get(roomId)
		if (!phones) return new Set()
		this.sweep(roomId, phones)
		return new Set(phones.keys())
	}

	private sweep(roomId: string, phones: Map<string, number>): void {
		const cutoff = this.now() - PHONE_SEEN_MS
		// Insertion order is last-seen order: the oldest come first.
		for (const [id, at] of phones) {
			if (at >= cutoff && phones.size <= MAX_PHONES_PER_ROOM) break
			phones.delete(id)
		}
		if (phones.size === 0) this.rooms.delete(roomId)
	}
}

/** Counts a room's connections by role, and its recently seen phones. */
export function connectedCounts(room: Room, sightings: PhoneSightings): ConnectedCounts {
	let boards = 0
	let viewers = 0
	let facilitators = 0
	const people = new Set<string>()
	let boardsWithoutId = 0
	for (const peer of room.peers) {
		if (peer.role === 'viewer') viewers++
		else if (peer.role === 'facilitator') facilitators++
		else {
			boards++
			if (peer.participantId) people.add(peer.participantId)
			else boardsWithoutId++
		}
	}
	const phones = sightings.recent(room.id)
	for (const id of phones) people.add(id)
	return { participants: people.size + boardsWithoutId, boards, phones: phones.size, viewers, facilitators }
}
