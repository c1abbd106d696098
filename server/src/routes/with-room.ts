import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import type { RoomManager } from '../rooms/room-manager'

/**
 * Runs `fn` on the loaded room (loading it when no one has it open) and answers what `fn` answers; a 404
 * `room_not_found` for an unknown room. The room routes that read or write a room's doc go through it.
 */
export async function withRoom<T>(rooms: RoomManager, roomId: string, fn: (room: Room) => Promise<T>): Promise<T> {
	const result = await rooms.use(roomId, async (room) => ({ value: await fn(room) }))
	if (!result) throw httpError(404, 'room_not_found', 'No room with this id')
	return result.value
}
