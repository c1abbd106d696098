/**
 * TypeBox schemas of "who gets in": the room's optional passphrase (asked once per device when joining) and the
 * join code's expiry, both set by the facilitator (`GET`/`PUT /api/rooms/:roomId/access`), and the body of
 * `POST /api/join/:joinCode` that carries the passphrase. Runtime TypeBox objects, like `./schemas`.
 *
 * @packageDocumentation
 */
import { type Static, Type } from '@sinclair/typebox'
import { MAX_PASSPHRASE } from './limits'

/** A passphrase as typed; the server trims it, folds case and checks its length (`bad_passphrase`). */
const RawPassphrase = Type.String({ maxLength: MAX_PASSPHRASE * 4 })

/**
 * `POST /api/join/:joinCode` body: the room's passphrase when it has one (else nothing, or no body at all). A
 * request that carries a participant token of the room needs no passphrase.
 */
export const JoinRequest = Type.Union([
	Type.Object({ passphrase: Type.Optional(RawPassphrase) }, { additionalProperties: false }),
	Type.Null(),
])
export type JoinRequest = Static<typeof JoinRequest>

/** `GET`/`PUT /api/rooms/:roomId/access` answer (facilitator): never the passphrase itself. */
export const RoomAccess = Type.Object({
	/** Whether joining needs a passphrase. */
	passphrase: Type.Boolean(),
	/** When the join code stops working (epoch ms); null: while the session is open. */
	joinCodeExpiresAt: Type.Union([Type.Integer(), Type.Null()]),
	/** Whether that moment has passed: new participants are refused (410 `join_code_expired`). */
	joinCodeExpired: Type.Boolean(),
})
export type RoomAccess = Static<typeof RoomAccess>

/**
 * `PUT /api/rooms/:roomId/access` body: a new passphrase (null or "": none any more) and a new expiry of the join
 * code (epoch ms, at most a year ahead; null: none). A field left out stays as it is.
 */
export const RoomAccessChange = Type.Object(
	{
		// Null first: the server's validator coerces types, and would turn a null into "" or 0 for the other branch.
		passphrase: Type.Optional(Type.Union([Type.Null(), RawPassphrase])),
		joinCodeExpiresAt: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 1 })])),
	},
	{ additionalProperties: false }
)
export type RoomAccessChange = Static<typeof RoomAccessChange>
