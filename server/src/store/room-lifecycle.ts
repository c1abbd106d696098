/** One room as the admin view lists it. */
export interface RoomSummary {
	roomId: string
	title: string
	templateId: string
	createdAt: number
	closedAt: number | null
	/** Last time anyone used the room (connected, posted, exported, …); at least `createdAt`. */
	lastActivityAt: number
	/** Distinct participant ids that wrote a note or placed a dot. */
	participants: number
	/** Bytes the room takes in the store: its doc updates, note ledger and hidden notes. */
	bytes: number
}

/**
 * A room's life as a whole: when it was last used, listing rooms for the operator, and deleting one with
 * everything it left behind (the AVG's right to erasure, retention). The backend is
 * {@link import('./sqlite-room-lifecycle').SqliteRoomLifecycle}.
 */
export interface RoomLifecycleStore {
	/**
	 * Deletes the room and every row of it in every table (record, doc updates, note ledger, votes, hidden
	 * notes, retired client ids, and any table added later with a `room_id` column) in one transaction, so
	 * that its content is not left in the store's files; false when there was no such room.
	 */
	deleteRoom(roomId: string): Promise<boolean>
	/** Records that the room was used at `at` (ms); never moves the time back. */
	touchRoom(roomId: string, at: number): Promise<void>
	/** Rooms closed before `cutoff`, or not used since before it (ms), oldest activity first. */
	listExpiredRooms(cutoff: number): Promise<string[]>
	/** Every room with its activity, participants and size, most recently used first. */
	listRoomSummaries(): Promise<RoomSummary[]>
	/** Replaces the facilitator key's hash (the old key stops working). */
	setFacilitatorKeyHash(roomId: string, facilitatorKeyHash: string): Promise<void>
}
