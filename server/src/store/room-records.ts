/** A room's metadata as stored; the board's content lives in its Y.Doc updates. */
export interface RoomRecord {
	roomId: string
	title: string
	templateId: string
	/** Result columns of the activity matrix (1–4); null for other templates. */
	columns: number | null
	joinCode: string
	/** SHA-256 (hex) of the facilitator key; the key itself is never stored. */
	facilitatorKeyHash: string
	/** Anonymous mode: no author names stored with notes. */
	anonymous: boolean
	createdAt: number
	/** Set when the facilitator closes the session; a closed room's join code no longer works. */
	closedAt: number | null
	/**
	 * The room's passphrase as `scrypt$…` (salted, server/src/rooms/passphrase.ts); null: joining needs none. The
	 * passphrase itself is never stored.
	 */
	passphraseHash: string | null
	/** When the join code stops making new participants (epoch ms); null: never while the room is open. */
	joinCodeExpiresAt: number | null
}

/** What {@link RoomRecordStore.updateRoom} may change. */
export type RoomRecordPatch = Partial<
	Pick<RoomRecord, 'title' | 'closedAt' | 'joinCode' | 'passphraseHash' | 'joinCodeExpiresAt'>
>

/** The `rooms` column each field of a {@link RoomRecordPatch} is stored in (the same in every backend). */
export const ROOM_PATCH_COLUMNS: { readonly [K in keyof Required<RoomRecordPatch>]: string } = {
	title: 'title',
	closedAt: 'closed_at',
	joinCode: 'join_code',
	passphraseHash: 'passphrase_hash',
	joinCodeExpiresAt: 'join_code_expires_at',
}

/** The fields a patch sets, with their columns, in {@link ROOM_PATCH_COLUMNS}' order. */
export function roomPatchColumns(patch: RoomRecordPatch): { field: keyof RoomRecordPatch; column: string }[] {
	return (Object.keys(ROOM_PATCH_COLUMNS) as (keyof RoomRecordPatch)[])
		.filter((field) => patch[field] !== undefined)
		.map((field) => ({ field, column: ROOM_PATCH_COLUMNS[field] }))
}

/** One persisted Yjs update of a room. */
export interface StoredUpdate {
	roomId: string
	update: Uint8Array
}

/** What {@link RoomRecordStore.loadUpdates} returns: the updates in commit order and the last sequence number. */
export interface LoadedUpdates {
	updates: Uint8Array[]
	/** Sequence number of the last update (pass to {@link RoomRecordStore.compact}); 0 when there is none. */
	lastSeq: number
}

/**
 * Rooms and their docs: the room records (title, join code, facilitator key hash, closed or not, passphrase hash,
 * join-code expiry) and each room's
 * Y.Doc as a log of updates (a snapshot plus the updates since). Every write resolves once it is durable.
 */
export interface RoomRecordStore {
	/** Creates a room with its initial doc state (one update) in one transaction. Throws {@link JoinCodeTakenError}. */
	createRoom(room: RoomRecord, initialUpdate: Uint8Array): Promise<void>
	getRoom(roomId: string): Promise<RoomRecord | null>
	/** The open (not closed) room with this join code. */
	findOpenRoomByJoinCode(joinCode: string): Promise<RoomRecord | null>
	/** The most recently closed room that had this join code (to tell "closed" from "unknown"). */
	findClosedRoomByJoinCode(joinCode: string): Promise<RoomRecord | null>
	/** Changes a room's metadata. Throws {@link JoinCodeTakenError} when a new or reopened room's code is in use. */
	updateRoom(roomId: string, patch: RoomRecordPatch): Promise<void>
	loadUpdates(roomId: string): Promise<LoadedUpdates>
	/**
	 * Appends updates of one or more rooms in one transaction (group commit); appends commit in the order they
	 * were made. Rejects when the transaction failed (nothing of it is stored).
	 */
	appendUpdates(batch: StoredUpdate[]): Promise<void>
	/** Replaces every update of the room up to and including `uptoSeq` by one snapshot update. */
	compact(roomId: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>
	/**
	 * Replaces every stored update of the room by the snapshot of a doc rebuilt without history, and keeps the
	 * client ids of the old doc as retired (see {@link RetiredClientStore} and server/src/rooms/doc-rebuild.ts);
	 * one transaction. Only for a room no one is using: an update of the old doc committed afterwards would mix
	 * the two.
	 */
	replaceDoc(roomId: string, snapshot: Uint8Array, retiredClients: readonly number[]): Promise<void>
	/** Number of stored updates of a room (used to decide when to compact). */
	countUpdates(roomId: string): Promise<number>
}

/**
 * The Yjs client ids of a room's replaced docs (written by {@link RoomRecordStore.replaceDoc}): a peer whose
 * state vector names one of them holds a doc the server no longer has and must reload.
 */
export interface RetiredClientStore {
	/** The client ids of the room's replaced docs (empty when it was never rebuilt). */
	listRetiredClients(roomId: string): Promise<number[]>
}

/** Thrown by {@link RoomRecordStore.createRoom} when the join code is already used by an open room. */
export class JoinCodeTakenError extends Error {
	constructor(joinCode: string) {
		super(`join code ${joinCode} is taken`)
		this.name = 'JoinCodeTakenError'
	}
}
