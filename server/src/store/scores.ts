/** One participant's mark for one part of a score round. */
export interface ScoreEntry {
	participantId: string
	/** The zone (part) the mark is for. */
	zoneId: string
	score: number
	updatedAt: number
}

/**
 * The marks of a room's score round, one per participant per part (kept off the doc, which holds only the
 * counts per mark, so nobody sees who gave what). Writes resolve once durable. The table has a `room_id`
 * column, so deleting the room deletes its marks.
 */
export interface ScoreStore {
	/** Sets a participant's mark for a part, replacing the one they gave before. */
	setScore(roomId: string, entry: ScoreEntry): Promise<void>
	/** Every mark of the room, ordered by part, then participant. */
	listScores(roomId: string): Promise<ScoreEntry[]>
	/** Removes every mark of the room (a new round). */
	clearScores(roomId: string): Promise<void>
}
