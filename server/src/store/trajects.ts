/**
 * A traject: the boards one municipality makes while it works through the kwaliteitskompas, bouwsteen by
 * bouwsteen. The traject key (stored as its SHA-256 only, like a facilitator key) lets its holder list the
 * boards, create the next one and carry results forward.
 */
export interface TrajectRecord {
	trajectId: string
	title: string
	/** SHA-256 (hex) of the traject key; the key itself is never stored. */
	keyHash: string
	createdAt: number
}

/**
 * A note carried from an earlier board of the traject into a later one: which note of which board it came from
 * and which note it became. Kept so that carrying forward again offers only what is new, even when the carried
 * note was moved or deleted on the later board since.
 */
export interface CarriedNote {
	targetRoomId: string
	sourceRoomId: string
	sourceNoteId: string
	/** The shape id of the note on the target board. */
	targetNoteId: string
	carriedAt: number
}

/** The last image of a board its facilitator sent (PNG), shown on the traject page and in the traject report. */
export interface BoardSnapshot {
	roomId: string
	png: Uint8Array
	updatedAt: number
}

/**
 * Trajects, the boards in each, the notes carried between them and the boards' last images. Every write resolves
 * once it is durable.
 */
export interface TrajectStore {
	createTraject(traject: TrajectRecord): Promise<void>
	getTraject(trajectId: string): Promise<TrajectRecord | null>
	/** Puts a room into a traject (a room belongs to at most one; adding it again changes nothing). */
	addTrajectRoom(trajectId: string, roomId: string, addedAt: number): Promise<void>
	/** The room ids of a traject, in the order they were added. */
	listTrajectRooms(trajectId: string): Promise<string[]>
	/** The traject a room belongs to, or null. */
	trajectOfRoom(roomId: string): Promise<string | null>
	/** Records carried notes; a (target, source note) pair already recorded is left as it was. */
	recordCarriedNotes(notes: readonly CarriedNote[]): Promise<void>
	/** The notes carried into a room, oldest first. */
	listCarriedNotes(targetRoomId: string): Promise<CarriedNote[]>
	/** Stores (replaces) a board's image. */
	saveBoardSnapshot(snapshot: BoardSnapshot): Promise<void>
	getBoardSnapshot(roomId: string): Promise<BoardSnapshot | null>
}
