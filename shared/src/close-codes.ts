/**
 * WebSocket close codes of the y-websocket endpoint that clients act on (the public contract; the server's full
 * list is in server/src/ws/protocol.ts).
 *
 * @packageDocumentation
 */

/** The room does not exist (any more). */
export const CLOSE_ROOM_NOT_FOUND = 4404

/**
 * The client holds a doc the server has since rebuilt without its history (see server/src/rooms/doc-rebuild.ts):
 * it must drop its doc, connect again with an empty one, and write its unsent changes again.
 */
export const CLOSE_DOC_REPLACED = 4410

/**
 * The client sent an update that depends on changes the server does not have (a gap in its history, e.g. after
 * the server lost a write): the server kept none of what was pending. In y-websocket's "try again" range
 * (4500–4599), so the client reconnects as usual; the sync on connecting sends everything it holds, so nothing
 * is lost.
 */
export const CLOSE_UPDATE_INCOMPLETE = 4512

/**
 * The server could not store a change (e.g. its disk is full): it dropped the room from memory and loads it
 * again from what is stored. Outside 44xx, so y-websocket reconnects by itself; on reconnecting, the client's
 * sync exchange sends what it holds that the store lacks — including the change that was not stored, which no
 * one else has received (updates are broadcast only once stored).
 */
export const CLOSE_STORE_FAILED = 4503

/**
 * The facilitator key this connection used was replaced (an admin made a new facilitator link): the old key no
 * longer works, so the board must not reconnect with it.
 */
export const CLOSE_KEY_REPLACED = 4403
