import { createHash } from 'node:crypto'

/**
 * The owner tag of a participant's notes in a room: what a note carries in `meta.ownerId`. A hash of the room id
 * and the participant identity, so the shared doc never shows a participant's identity (nor links one person
 * across rooms), while the server can tell whose note it is. Only the server writes it: for phone notes when
 * it places them, for canvas notes from the identity of the connection that drew them (rooms/room.ts).
 */
export function ownerTag(roomId: string, participantId: string): string {
	return createHash('sha256').update(`${roomId}\u0000${participantId}`).digest('base64url').slice(0, 22)
}
