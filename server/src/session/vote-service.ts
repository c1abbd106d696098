import { RECORDS_MAP, VOTES_MAP, isVotableShape, type VoteAnswer, type VoteSummary } from '@kompasbord/shared'
import { httpError } from '../http/errors'
import type { Room } from '../rooms/room'
import type { VoteStore } from '../store/session-tables'
import { readSessionState } from './session-state'
import { RoomQueue } from './room-queue'

/**
 * Dot voting. Who put which dot where is kept in the store only (`vote_allocations`); the doc's votes map holds
 * nothing but a count per note, so votes are anonymous on every board. The server enforces the budget:
 * the store adds a dot only while the participant has dots left, in one transaction. Dots on notes that left
 * the board (deleted or hidden) are given back. Operations of one room run one after the other, so the counts
 * written to the doc always match the store.
 */
export class VoteService {
	private readonly queue = new RoomQueue()

	constructor(private readonly store: VoteStore) {}

	/**
	 * Adds one of the participant's dots to a note, or to a theme (its frame's id: the theme as one item, counted
	 * with its notes' dots). 409 outside a voting round or without dots left.
	 */
	cast(room: Room, participantId: string, noteId: string): Promise<VoteAnswer> {
		return this.queue.run(room, async () => {
			const { phase, votesPerParticipant } = readSessionState(room.doc)
			if (phase !== 'voting') throw notVoting()
			if (!isVotableShape(room.doc.getMap(RECORDS_MAP).get(noteId))) throw noteNotFound()
			await this.pruneGone(room)
			if (!(await this.store.addVote(room.id, participantId, noteId, votesPerParticipant))) {
				throw httpError(409, 'no_votes_left', `You have used all ${votesPerParticipant} of your votes`)
			}
			const counts = await this.syncCounts(room)
			return { noteId, votes: counts.get(noteId) ?? 0, ...(await this.summaryNow(room, participantId)) }
		})
	}

	/** Takes one of the participant's dots off a note. 409 outside a voting round, 404 without a dot there. */
	retract(room: Room, participantId: string, noteId: string): Promise<VoteAnswer> {
		return this.queue.run(room, async () => {
			if (readSessionState(room.doc).phase !== 'voting') throw notVoting()
			if (!(await this.store.removeVote(room.id, participantId, noteId))) {
				throw httpError(404, 'no_vote', 'You have no vote on this note')
			}
			const counts = await this.syncCounts(room)
			return { noteId, votes: counts.get(noteId) ?? 0, ...(await this.summaryNow(room, participantId)) }
		})
	}

	/** The participant's dots and budget. */
	summary(room: Room, participantId: string): Promise<VoteSummary> {
		return this.queue.run(room, () => this.summaryNow(room, participantId))
	}

	/** Throws away every dot of the room (a new round) and clears the counts on the board. */
	reset(room: Room): Promise<void> {
		return this.queue.run(room, async () => {
			await this.store.clearVotes(room.id)
			await this.syncCounts(room)
		})
	}

	/** Gives back the dots on notes that left the board, and brings the board's counts in line. */
	forgetNotes(room: Room, noteIds: readonly string[]): Promise<void> {
		return this.queue.run(room, async () => {
			await this.store.deleteNoteVotes(room.id, noteIds)
			await this.syncCounts(room)
		})
	}

	private async summaryNow(room: Room, participantId: string): Promise<VoteSummary> {
		const budget = readSessionState(room.doc).votesPerParticipant
		const records = room.doc.getMap(RECORDS_MAP)
		const mine: Record<string, number> = {}
		let used = 0
		for (const { noteId, dots } of await this.store.listParticipantVotes(room.id, participantId)) {
			if (!isVotableShape(records.get(noteId))) continue
			mine[noteId] = dots
			used += dots
		}
		return { budget, used, remaining: Math.max(0, budget - used), mine }
	}

	/** Deletes the dots on notes that are not on the board any more. */
	private async pruneGone(room: Room): Promise<void> {
		const records = room.doc.getMap(RECORDS_MAP)
		const gone = [...(await this.store.countVotes(room.id)).keys()].filter((id) => !isVotableShape(records.get(id)))
		if (gone.length) await this.store.deleteNoteVotes(room.id, gone)
	}

	/** Writes the store's counts into the doc's votes map (only what differs); returns them. */
	private async syncCounts(room: Room): Promise<Map<string, number>> {
		const counts = await this.store.countVotes(room.id)
		const votes = room.doc.getMap<number>(VOTES_MAP)
		const stale = [...votes.keys()].filter((id) => !counts.has(id))
		const changed = [...counts].filter(([id, n]) => votes.get(id) !== n)
		if (stale.length || changed.length) {
			await room.change(() => {
				for (const id of stale) votes.delete(id)
				for (const [id, n] of changed) votes.set(id, n)
			})
		}
		return counts
	}
}

function notVoting() {
	return httpError(409, 'not_voting', 'There is no voting round now')
}

function noteNotFound() {
	return httpError(404, 'note_not_found', 'No note with this id on the board')
}
